/// A vocabulary's tokens classed for the SMILES grammar, computed once: what the decoding loops
/// consult (with one `SMILESSyntaxState` per sequence) to keep every token that would make the
/// string unparsable from being chosen. The loops see token ids and classes only, never strings.
///
/// `<eos>` is `end`; `<pad>`, `<bos>` and `<unk>` are never allowed (the decoder is never trained
/// to emit them).
public struct SMILESSyntaxMask: Sendable {
    /// The class of each token, by id.
    public let classes: [SMILESTokenClass]
    /// The distinct classes of the vocabulary, atoms first (the class most often allowed), each
    /// with its tokens' positions in `groupedIDs`: a step judges each class once, not each token
    /// (the 14 atoms of the MOSES vocabulary share one verdict). `never` is not among them.
    private let groups: [(kind: SMILESTokenClass, members: Range<Int>)]
    /// Token ids ordered by group.
    private let groupedIDs: [Int32]
    /// Ids of the tokens that are never allowed.
    private let neverIDs: [Int32]

    /// The mask of `vocabulary`; nil when it has no atom token (nothing could ever be written,
    /// so there is nothing to constrain).
    public init?(vocabulary: Vocabulary) {
        var classes = vocabulary.tokens.map(SMILESTokenClass.init(token:))
        let special = vocabulary.specialTokens
        for id in [special.pad, special.bos, special.unk] { classes[Int(id)] = .never }
        classes[Int(special.eos)] = .end
        guard classes.contains(.atom) else { return nil }
        self.classes = classes
        var kinds: [SMILESTokenClass] = [.atom]
        for kind in classes where kind != .never && !kinds.contains(kind) { kinds.append(kind) }
        var groups: [(kind: SMILESTokenClass, members: Range<Int>)] = []
        var groupedIDs: [Int32] = []
        for kind in kinds {
            let start = groupedIDs.count
            groupedIDs += classes.indices.filter { classes[$0] == kind }.map(Int32.init)
            groups.append((kind, start..<groupedIDs.count))
        }
        self.groups = groups
        self.groupedIDs = groupedIDs
        neverIDs = classes.indices.filter { classes[$0] == .never }.map(Int32.init)
    }

    /// Number of tokens (the model's output size).
    public var count: Int { classes.count }

    /// Whether token `id` may come next in a sequence at `state` (the syntax rules alone).
    @inline(__always)
    public func allows(_ id: Int32, in state: SMILESSyntaxState) -> Bool {
        state.allows(classes[Int(id)])
    }

    /// Whether token `id` may come next with `steps` tokens left to write, this one and `<eos>`
    /// included: the syntax rules and the step limit (see `SMILESSyntaxState.allows(_:within:)`).
    @inline(__always)
    public func allows(_ id: Int32, in state: SMILESSyntaxState, within steps: Int) -> Bool {
        state.allows(classes[Int(id)], within: steps)
    }

    /// The step budget to judge tokens with at `state`: `steps` when some token completes within
    /// it, else `Int.max`: when the limit is too far to refuse anything, or when the lower bound
    /// on the completion length cannot be met (then only the syntax rules apply and the row will
    /// be cut off at the limit).
    @inline(__always)
    public func budget(in state: SMILESSyntaxState, steps: Int) -> Int {
        if state.isFarFromLimit(steps) { return Int.max }
        for group in groups where state.allows(group.kind, within: steps) { return steps }
        return Int.max
    }

    /// Moves `state` past token `id` (one that `allows` accepted).
    @inline(__always)
    public func advance(_ state: inout SMILESSyntaxState, by id: Int32) {
        state.advance(classes[Int(id)])
    }

    /// Sets the logits of the tokens that may not come next, with `steps` tokens left to write
    /// (this one and `<eos>` included; `Int.max`: no limit), to −infinity, so a softmax at any
    /// temperature renormalises over the allowed tokens and an argmax picks among them. At least
    /// one token (an atom) is always left. No allocation: this runs per row per decoding step.
    @inline(__always)
    public func forbidDisallowed(_ logits: UnsafeMutablePointer<Float>, in state: SMILESSyntaxState, steps: Int = .max) {
        let budget = budget(in: state, steps: steps)
        for id in neverIDs { logits[Int(id)] = -.infinity }
        // No budget: the syntax rules alone (the same verdicts, without the limit's arithmetic).
        for group in groups where !(budget == Int.max ? state.allows(group.kind) : state.allows(group.kind, within: budget)) {
            for member in group.members { logits[Int(groupedIDs[member])] = -.infinity }
        }
    }
}
