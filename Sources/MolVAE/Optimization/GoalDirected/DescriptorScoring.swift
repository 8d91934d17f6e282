/// GuacaMol's `RdkitScoringFunction`: a descriptor's value through a score modifier.
public struct DescriptorScoring: MoleculeScoringFunction {
    public let descriptor: GoalDirectedDescriptor
    public let modifier: ScoreModifier

    public init(_ descriptor: GoalDirectedDescriptor, modifier: ScoreModifier = .identity) {
        self.descriptor = descriptor
        self.modifier = modifier
    }

    public func score(_ molecule: Molecule) -> Double? {
        descriptor.value(of: molecule).map { modifier($0) }
    }
}
