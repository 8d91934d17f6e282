/// A vocabulary's tokens classed for the SMILES grammar, computed once: what the decoding loops
/// consult (with one `SMILESSyntaxState` per sequence) to keep every token that would make the
/// string unparsable from being chosen. The loops see token ids and classes only, never strings.
///
/// `<eos>` is `end`; `<pad>`, `<bos>` and `<unk>` are never allowed (the decoder is never trained
/// to emit them).
///
/// With `checksValence` the mask is also a valence mask: a token that would give an atom more
/// bonds than RDKit permits is excluded too (`SMILESSyntaxState+Valence`). Where that leaves no
/// token at all (the string has been written into a corner), the syntax rules alone decide.
///
/// With `followsCanonicalForm` the strings must also take the form of RDKit's canonical SMILES
/// (ring labels, branches and dots where RDKit puts them: `SMILESSyntaxState+CanonicalForm`), the
/// form of every string a model trained on canonicalised data has seen.
public struct SMILESSyntaxMask: Sendable {
    /// The class of each token, by id.
    public let classes: [SMILESTokenClass]
    /// What each token does to valence, by id (all `unconstrained` unless `checksValence`).
    public let valences: [SMILESTokenValence]
    /// Whether the mask also keeps every atom within its valence.
    public let checksValence: Bool
    /// Whether the mask also keeps the strings in RDKit's canonical form.
    public let followsCanonicalForm: Bool
    /// The distinct (class, valence) pairs of the vocabulary, atoms first (the class most often
    /// allowed), each with its tokens' positions in `groupedIDs`: a step judges each pair once,
    /// not each token (the 14 atoms of the MOSES vocabulary share one syntax verdict, and six
    /// valence ones). `never` is not among them.
    private let groups: [Group]
    private typealias Group = (kind: SMILESTokenClass, valence: SMILESTokenValence, members: Range<Int>)
    /// Token ids ordered by group.
    private let groupedIDs: [Int32]
    /// Ids of the tokens that are never allowed.
    private let neverIDs: [Int32]

    /// The mask of `vocabulary`, a valence mask too when `checksValence`, keeping RDKit's
    /// canonical form too when `followsCanonicalForm`; nil when it has no atom token (nothing
    /// could ever be written, so there is nothing to constrain).
    public init?(vocabulary: Vocabulary, checksValence: Bool = false, followsCanonicalForm: Bool = false) {
        var classes = vocabulary.tokens.map(SMILESTokenClass.init(token:))
        let special = vocabulary.specialTokens
        for id in [special.pad, special.bos, special.unk] { classes[Int(id)] = .never }
        classes[Int(special.eos)] = .end
        guard classes.contains(.atom) else { return nil }
        self.classes = classes
        self.checksValence = checksValence
        self.followsCanonicalForm = followsCanonicalForm
        let valences = classes.indices.map { id in
            checksValence && classes[id] != .never && classes[id] != .end
                ? SMILESTokenValence(token: vocabulary.tokens[id]) : .unconstrained
        }
        self.valences = valences
        // Atoms first, then the other classes, each pair where its first token stands.
        let ordered = classes.indices.filter { classes[$0] == .atom } + classes.indices.filter { classes[$0] != .atom && classes[$0] != .never }
        var kinds: [(SMILESTokenClass, SMILESTokenValence)] = []
        for id in ordered where !kinds.contains(where: { $0 == (classes[id], valences[id]) }) { kinds.append((classes[id], valences[id])) }
        var groups: [Group] = []
        var groupedIDs: [Int32] = []
        for (kind, valence) in kinds {
            let start = groupedIDs.count
            groupedIDs += classes.indices.filter { classes[$0] == kind && valences[$0] == valence }.map(Int32.init)
            groups.append((kind, valence, start..<groupedIDs.count))
        }
        self.groups = groups
        self.groupedIDs = groupedIDs
        neverIDs = classes.indices.filter { classes[$0] == .never }.map(Int32.init)
    }

    /// Number of tokens (the model's output size).
    public var count: Int { classes.count }

    /// The state a sequence starts from under this mask.
    public var initialState: SMILESSyntaxState { SMILESSyntaxState(followsCanonicalForm: followsCanonicalForm) }

    /// Whether token `id` may come next in a sequence at `state`: the syntax rules, and the
    /// valence counts when the mask checks them.
    @inline(__always)
    public func allows(_ id: Int32, in state: SMILESSyntaxState) -> Bool {
        state.allows(classes[Int(id)]) && hasValence(for: id, in: state)
    }

    /// Whether token `id` may come next with `steps` tokens left to write, this one and `<eos>`
    /// included: `allows(_:in:)` and the step limit (see `SMILESSyntaxState.allows(_:within:)`).
    @inline(__always)
    public func allows(_ id: Int32, in state: SMILESSyntaxState, within steps: Int) -> Bool {
        state.allows(classes[Int(id)], within: steps) && hasValence(for: id, in: state)
    }

    /// Whether the valence counts allow token `id` (always, when the mask does not check them).
    @inline(__always)
    private func hasValence(for id: Int32, in state: SMILESSyntaxState) -> Bool {
        !checksValence || state.hasValence(for: classes[Int(id)], valences[Int(id)])
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

    /// Moves `state` past token `id` (one that `allows` accepted, or, where the valence counts
    /// left nothing, one the syntax rules accepted).
    @inline(__always)
    public func advance(_ state: inout SMILESSyntaxState, by id: Int32) {
        if checksValence {
            state.advance(classes[Int(id)], valence: valences[Int(id)])
        } else {
            state.advance(classes[Int(id)])
        }
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
        func syntaxAllows(_ kind: SMILESTokenClass) -> Bool {
            budget == Int.max ? state.allows(kind) : state.allows(kind, within: budget)
        }
        guard checksValence else {
            for group in groups where !syntaxAllows(group.kind) {
                for member in group.members { logits[Int(groupedIDs[member])] = -.infinity }
            }
            return
        }
        // With the valence counts, a token must also leave some token to write after it (a
        // carbon that fills the current atom while a ring is open and no branch can return is a
        // dead end). Each rule gives way when it would leave nothing: then the counts without the
        // look-ahead, then the syntax rules alone.
        func valenceAllows(_ group: Group) -> Bool {
            syntaxAllows(group.kind) && state.hasValence(for: group.kind, group.valence)
        }
        func leavesATokenAfter(_ group: Group) -> Bool {
            guard valenceAllows(group) else { return false }
            if group.kind == .end { return true }
            var next = state
            next.advance(group.kind, valence: group.valence)
            return groups.contains { next.allows($0.kind, $0.valence) }
        }
        var verdicts: UInt64 = 0
        if groups.count <= 64 {
            for (g, group) in groups.enumerated() where leavesATokenAfter(group) { verdicts |= 1 << UInt64(g) }
        }
        if verdicts == 0 {
            for (g, group) in groups.enumerated() where valenceAllows(group) { verdicts |= 1 << UInt64(g) }
        }
        for (g, group) in groups.enumerated() {
            let allowed = verdicts == 0 ? syntaxAllows(group.kind) : (verdicts >> UInt64(g)) & 1 == 1
            if !allowed {
                for member in group.members { logits[Int(groupedIDs[member])] = -.infinity }
            }
        }
    }
}
