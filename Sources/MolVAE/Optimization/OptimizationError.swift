/// Why a search cannot start: a start molecule that is not a molecule or that the model cannot
/// encode, a method the model or objective cannot support, bad settings. Every message names
/// the input and says what to do.
public struct OptimizationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
