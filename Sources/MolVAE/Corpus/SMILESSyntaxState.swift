/// Where a SMILES string being written token by token stands, for deciding which tokens may come
/// next without making it unparsable: the state of a syntax mask for one decoded sequence.
///
/// It forbids exactly what makes RDKit 2022.09's SMILES parser fail with a syntax error: a
/// misplaced atom, bond, parenthesis, ring label or dot; `<eos>` with a branch or ring still open;
/// a ring bond from an atom to itself (`C11`) or one that duplicates a bond already made, whether
/// a chain or branch bond (`C1C1`, `C(C1)1`) or another ring bond (`C12CC12`). It never forbids a
/// token that a valid SMILES has at that point: the tests check every RDKit-canonical molecule of
/// the bundled sets and every short string over a small alphabet against RDKit itself. It knows
/// nothing of valence or aromaticity, which only RDKit's sanitisation can judge. Given the number
/// of tokens a decoder may still write (`allows(_:within:)`), it also refuses tokens after which
/// the string could not be completed in time, since a string cut off at the limit is unparsable.
///
/// The rules follow RDKit, which accepts more than the textbook grammar: a ring label may follow
/// `)` (it attaches to the branch point: `C(C)1CC1`), `)` may follow `)`, and `.` may appear inside
/// a branch (`C(C.C)`). A bond's order does not have to agree at both ends of a ring bond
/// (`C=1CCCCC-1` parses).
///
/// The state is a fixed-size value (no heap storage), so decoders keep one per row and copy it
/// freely without allocating. Atom identities are kept for the first 65,535 atoms, 32 nested
/// branches, 16 rings open at once and 32 ring bonds made; past those limits the duplicate-bond
/// checks that need the missing identity are skipped (the token is allowed), so a limit can only
/// make the mask more permissive, never forbid a valid token.
public struct SMILESSyntaxState: Sendable {
    /// What the last token makes possible next.
    enum Position: UInt8 {
        /// Nothing written yet: an atom.
        case start
        /// After an atom, a ring label or `)`: an atom, bond, `(`, `)`, ring label, `.` or `<eos>`.
        case afterAtom
        /// After a bond that follows an atom, ring label or `)`: an atom or a ring label.
        case afterBond
        /// After `(`: an atom or a bond.
        case afterBranchOpen
        /// After a bond right after `(`: an atom.
        case afterBranchBond
        /// After `.`: an atom.
        case afterDot
        /// After `<eos>` or a token that can never be valid: nothing.
        case ended
    }

    /// An atom's number in the string (0, 1, ...); `unknownAtom` for "none" or "not tracked".
    typealias AtomIndex = UInt16
    static let unknownAtom = AtomIndex.max
    static let branchCapacity = 32
    static let openRingCapacity = 16
    static let ringBondCapacity = 32

    private(set) var position = Position.start
    /// Atoms written so far.
    private(set) var atomCount = 0
    /// The atom the next bond, branch or ring label attaches to.
    private(set) var currentAtom = unknownAtom
    /// The atom `currentAtom` is bonded to by the chain (its predecessor, or the branch point
    /// of its branch); unknown at the start of the string or of a dot-separated fragment.
    private var currentParent = unknownAtom

    /// Open branches, and for the first `branchCapacity` of them the branch point and its parent
    /// (restored as current by `)`).
    private(set) var branchDepth = 0
    private var branchAtoms = SIMD32<AtomIndex>(repeating: unknownAtom)
    private var branchParents = SIMD32<AtomIndex>(repeating: unknownAtom)

    /// Which ring labels 0–99 are open: bit l of `openLow` (l < 64) or of `openHigh` (l − 64).
    private(set) var openLow: UInt64 = 0, openHigh: UInt64 = 0
    /// How many are (kept rather than counted: the baseline x86-64 target has no popcount).
    private var openRingTotal = 0
    /// For up to `openRingCapacity` open rings: the label, the atom that opened it and that
    /// atom's parent (to see whether closing would duplicate the opener's chain bond).
    private(set) var openRingCount = 0
    private var openRingLabels = SIMD16<UInt8>(repeating: 0)
    private var openRingAtoms = SIMD16<AtomIndex>(repeating: unknownAtom)
    private var openRingParents = SIMD16<AtomIndex>(repeating: unknownAtom)
    /// The bond order each tracked open ring took from its opener (`SMILESSyntaxState+Valence`).
    var openRingOrders = SIMD16<UInt8>(repeating: 1)
    /// The branch depth each tracked open ring was opened at (`SMILESSyntaxState+CanonicalForm`).
    private(set) var openRingDepths = SIMD16<UInt8>(repeating: 0)
    /// The ring labels closed on the current atom, as bits like `openLow`/`openHigh`: RDKit does
    /// not reuse them for a ring the same atom opens (`SMILESSyntaxState+CanonicalForm`).
    private(set) var closedHereLow: UInt64 = 0, closedHereHigh: UInt64 = 0

    /// Whether the string must also take the form of RDKit's canonical SMILES, on top of being
    /// parsable (`SMILESSyntaxState+CanonicalForm`).
    public let followsCanonicalForm: Bool

    /// Ring bonds made so far (up to `ringBondCapacity`), each as its two atoms packed
    /// lower << 16 | higher, so a second ring bond between the same atoms is caught.
    private var ringBondCount = 0
    private var ringBonds = SIMD32<UInt32>(repeating: 0)

    /// The valence mask's counts (`SMILESSyntaxState+Valence`): for each of the first
    /// `valenceCapacity` atoms, the bond orders it may still take; and the order of a bond token
    /// just written, for the atom or ring label it leads to. Only `advance(_:valence:)` spends
    /// them, so the syntax rules alone never see them.
    static let valenceCapacity = 64
    var remainingValence = SIMD64<UInt8>(repeating: SMILESTokenValence.unlimited)
    var pendingBondOrder: UInt8 = 1

    /// The state before the first token; with `followsCanonicalForm`, the form rules of
    /// `SMILESSyntaxState+CanonicalForm` apply on top of the syntax rules.
    public init(followsCanonicalForm: Bool = false) {
        self.followsCanonicalForm = followsCanonicalForm
    }

    /// Whether `<eos>` may come now: at least one atom, nothing open, not after a bond or `(`.
    public var isComplete: Bool { allows(.end) }

    /// Whether `token` may come next without making the string unparsable.
    public func allows(_ token: SMILESTokenClass) -> Bool {
        switch token {
        case .atom:
            return position != .ended
        case .bond:
            return position == .afterAtom || position == .afterBranchOpen
        case .branchOpen:
            return position == .afterAtom
        case .branchClose:
            return position == .afterAtom && branchDepth > 0 && (!followsCanonicalForm || closesNoRingOfTheBranch)
        case .ringLabel(let label):
            return (position == .afterAtom || position == .afterBond) && ringLabelIsAllowed(label)
                && (!followsCanonicalForm || isOpen(label) || label == lowestFreeRingLabel)
        case .dot:
            return position == .afterAtom && (!followsCanonicalForm || (branchDepth == 0 && openRingTotal == 0))
        case .end:
            return position == .afterAtom && branchDepth == 0 && openRingTotal == 0
        case .never:
            return false
        }
    }

    // MARK: - The step limit

    /// Decoders stop after a fixed number of steps, and a string cut off there is unparsable
    /// (a ring or branch left open): with `steps` tokens left to write, this one and `<eos>`
    /// included, a token is also refused when the string could no longer be completed in time.
    /// The completion length used is a lower bound (`minimumTokensToFinish`), so no string
    /// that fits is ever refused; in the rare states where the bound is too low to be met (rings
    /// inside branches that need extra atoms before they can close) no token may pass both
    /// tests, and `SMILESSyntaxMask` then falls back to the syntax rules alone.
    public func allows(_ token: SMILESTokenClass, within steps: Int) -> Bool {
        guard allows(token) else { return false }
        let counted = 1 + countedTokensToFinish(after: token)
        if counted > steps { return false }
        // Far from the limit the counted tokens decide: the atoms that rings may need on top are
        // fewer than openRingTotal + 4. Near it, the token is written on a copy and the full
        // bound taken (a few hundred bytes copied, no allocation, in the last steps only).
        if counted + openRingTotal + 4 <= steps { return true }
        var next = self
        next.advance(token)
        return 1 + next.minimumTokensToFinish <= steps
    }

    /// Whether the step limit cannot refuse any token now: every token `allows(_:)` accepts
    /// also passes `allows(_:within: steps)` (the largest count after one token is
    /// openRingTotal + branchDepth + 4, and the shortcut above adds openRingTotal + 4). Lets a
    /// decoder skip the limit's arithmetic on all but the last steps.
    public func isFarFromLimit(_ steps: Int) -> Bool {
        steps >= 2 * openRingTotal + branchDepth + 8
    }

    /// The fewest tokens, `<eos>` included, that can complete the string: one `)` per open
    /// branch, one label per open ring, `<eos>`, an atom where the last token needs one, and
    /// the atoms rings need before they can close (`extraAtomsToCloseRings`). A lower bound:
    /// never more than a real completion takes.
    public var minimumTokensToFinish: Int {
        switch position {
        case .ended:
            return 0
        case .afterAtom:
            return openRingTotal + branchDepth + 1 + extraAtomsToCloseRings
        case .afterBond:
            // An atom, or a label that closes a ring with this bond: the better of the two.
            var next = self
            next.advance(.atom)
            var best = 1 + next.minimumTokensToFinish
            for label in 0...99 where isOpen(label) && ringLabelIsAllowed(label) {
                var closed = self
                closed.advance(.ringLabel(label))
                best = min(best, 1 + closed.minimumTokensToFinish)
            }
            return best
        case .start, .afterDot, .afterBranchOpen, .afterBranchBond:
            var next = self
            next.advance(.atom)
            return 1 + next.minimumTokensToFinish
        }
    }

    /// One `)` per open branch, one label per open ring, an atom where the last token needs
    /// one, and `<eos>`, once `token` (an allowed one) is written: the cheap part of the bound.
    private func countedTokensToFinish(after token: SMILESTokenClass) -> Int {
        let rings = openRingTotal, depth = branchDepth
        switch token {
        case .atom: return rings + depth + 1
        case .bond: return position == .afterBranchOpen ? 1 + rings + depth + 1 : max(rings, 1) + depth + 1
        case .branchOpen: return 1 + rings + (depth + 1) + 1
        case .branchClose: return rings + (depth - 1) + 1
        case .ringLabel(let label): return (isOpen(label) ? rings - 1 : rings + 1) + depth + 1
        case .dot: return 1 + rings + depth + 1
        case .end, .never: return 0
        }
    }

    /// After an atom: the new atoms open rings need before they can all close, a lower bound.
    ///
    /// A ring closes on the current atom, on a branch point that `)` returns to, or on a new
    /// atom, and one atom closes at most one ring of each opener (a second would duplicate the
    /// bond). So the rings of one opener need at least as many new atoms as they outnumber the
    /// existing atoms they may close on (`C12CC` ends as `C12CCC1C2`). Outside branches the rings
    /// the current atom opened need one more: its next atom is bonded to it already (`C1` ends
    /// as `C1CC1`, or `C1.C1`), which makes the count exact there; under the form rules, so do
    /// rings the current atom opened in the branch it is in, which must close in that branch.
    /// Checks that lack an atom's identity assume the ring can close.
    private var extraAtomsToCloseRings: Int {
        guard branchDepth <= Self.branchCapacity else { return 0 }
        var extra = 0
        for i in 0..<openRingCount {
            let opener = openRingAtoms[i], openerParent = openRingParents[i]
            var isFirstOfItsOpener = true
            for j in 0..<i where Self.same(openRingAtoms[j], opener) { isFirstOfItsOpener = false }
            guard isFirstOfItsOpener else { continue }
            var sharing = 1
            for j in (i + 1)..<openRingCount where Self.same(openRingAtoms[j], opener) { sharing += 1 }
            let closesInThisBranch = branchDepth == 0 || (followsCanonicalForm && Int(openRingDepths[i]) >= branchDepth)
            if closesInThisBranch && Self.same(opener, currentAtom) {
                extra = max(extra, 1 + sharing)
                continue
            }
            var places = canClose(opener: opener, openerParent: openerParent, at: currentAtom, parent: currentParent) ? 1 : 0
            // Under the form rules a ring closes inside the branch it opened in: not on the branch
            // points that `)` returns to below it.
            let lowestLevel = followsCanonicalForm ? min(Int(openRingDepths[i]), branchDepth) : 0
            for level in lowestLevel..<branchDepth
            where canClose(opener: opener, openerParent: openerParent, at: branchAtoms[level], parent: branchParents[level]) {
                places += 1
            }
            extra = max(extra, sharing - places)
        }
        return extra
    }

    // MARK: - Advancing

    /// Moves past `token`. After a token that `allows` refuses the state is ended (nothing is
    /// allowed any more): the string can no longer become valid.
    public mutating func advance(_ token: SMILESTokenClass) {
        guard allows(token) else {
            position = .ended
            return
        }
        switch token {
        case .atom:
            // The first atom of the string or of a fragment has no chain bond; any other is bonded
            // to the current atom (the previous atom, or the branch point after `(`).
            currentParent = position == .start || position == .afterDot ? Self.unknownAtom : currentAtom
            currentAtom = atomCount < Int(Self.unknownAtom) ? AtomIndex(atomCount) : Self.unknownAtom
            atomCount += 1
            closedHereLow = 0
            closedHereHigh = 0
            position = .afterAtom
        case .bond:
            position = position == .afterBranchOpen ? .afterBranchBond : .afterBond
        case .branchOpen:
            if branchDepth < Self.branchCapacity {
                branchAtoms[branchDepth] = currentAtom
                branchParents[branchDepth] = currentParent
            }
            branchDepth += 1
            position = .afterBranchOpen
        case .branchClose:
            branchDepth -= 1
            closedHereLow = 0
            closedHereHigh = 0
            if branchDepth < Self.branchCapacity {
                currentAtom = branchAtoms[branchDepth]
                currentParent = branchParents[branchDepth]
            } else {
                currentAtom = Self.unknownAtom
                currentParent = Self.unknownAtom
            }
            position = .afterAtom
        case .ringLabel(let label):
            if isOpen(label) { close(ring: label) } else { open(ring: label) }
            position = .afterAtom
        case .dot:
            position = .afterDot
        case .end, .never:
            position = .ended
        }
    }

    // MARK: - Ring bonds

    /// A label that is not open opens a ring on the current atom (always allowed); an open one
    /// closes it, unless that bonds the current atom to itself or to an atom it is already
    /// bonded to.
    private func ringLabelIsAllowed(_ label: Int) -> Bool {
        guard (0...99).contains(label) else { return false }
        guard isOpen(label) else { return true }
        let (opener, openerParent) = slot(ofOpenRing: label).map { (openRingAtoms[$0], openRingParents[$0]) }
            ?? (Self.unknownAtom, Self.unknownAtom)
        return canClose(opener: opener, openerParent: openerParent, at: currentAtom, parent: currentParent)
    }

    /// Whether a ring opened on `opener` (whose chain parent is `openerParent`) may close on
    /// `atom` (whose chain parent is `parent`): not the same atom, not already bonded by the
    /// chain (either is the other's parent) or by another ring bond.
    private func canClose(opener: AtomIndex, openerParent: AtomIndex, at atom: AtomIndex, parent: AtomIndex) -> Bool {
        if Self.same(opener, atom) { return false }
        if Self.same(opener, parent) || Self.same(openerParent, atom) { return false }
        if let pair = Self.pair(opener, atom) {
            for i in 0..<ringBondCount where ringBonds[i] == pair { return false }
        }
        return true
    }

    private mutating func open(ring label: Int) {
        setOpen(label, true)
        guard openRingCount < Self.openRingCapacity else { return }
        openRingLabels[openRingCount] = UInt8(label)
        openRingAtoms[openRingCount] = currentAtom
        openRingParents[openRingCount] = currentParent
        openRingDepths[openRingCount] = UInt8(clamping: branchDepth)
        openRingCount += 1
    }

    private mutating func close(ring label: Int) {
        setOpen(label, false)
        if label < 64 { closedHereLow |= 1 << UInt64(label) } else { closedHereHigh |= 1 << UInt64(label - 64) }
        var opener = Self.unknownAtom
        if let index = slot(ofOpenRing: label) {
            opener = openRingAtoms[index]
            // Keep the open rings packed at the front: the last one takes the freed slot.
            let last = openRingCount - 1
            openRingLabels[index] = openRingLabels[last]
            openRingAtoms[index] = openRingAtoms[last]
            openRingParents[index] = openRingParents[last]
            openRingOrders[index] = openRingOrders[last]
            openRingDepths[index] = openRingDepths[last]
            openRingLabels[last] = 0
            openRingAtoms[last] = Self.unknownAtom
            openRingParents[last] = Self.unknownAtom
            openRingOrders[last] = 1
            openRingDepths[last] = 0
            openRingCount = last
        }
        if let pair = Self.pair(opener, currentAtom), ringBondCount < Self.ringBondCapacity {
            ringBonds[ringBondCount] = pair
            ringBondCount += 1
        }
    }

    /// The slot of open ring `label` among the tracked ones.
    func slot(ofOpenRing label: Int) -> Int? {
        for i in 0..<openRingCount where openRingLabels[i] == UInt8(label) { return i }
        return nil
    }

    func isOpen(_ label: Int) -> Bool {
        label < 64 ? (openLow >> UInt64(label)) & 1 == 1 : (openHigh >> UInt64(label - 64)) & 1 == 1
    }

    private mutating func setOpen(_ label: Int, _ open: Bool) {
        openRingTotal += open ? 1 : -1
        if label < 64 {
            let bit = UInt64(1) << UInt64(label)
            openLow = open ? openLow | bit : openLow & ~bit
        } else {
            let bit = UInt64(1) << UInt64(label - 64)
            openHigh = open ? openHigh | bit : openHigh & ~bit
        }
    }

    /// Two known atoms that are the same atom (an unknown atom is never "the same": a check that
    /// lacks an identity must allow the token).
    private static func same(_ a: AtomIndex, _ b: AtomIndex) -> Bool { a != unknownAtom && a == b }

    /// The unordered pair of two known atoms, packed.
    private static func pair(_ a: AtomIndex, _ b: AtomIndex) -> UInt32? {
        guard a != unknownAtom, b != unknownAtom else { return nil }
        return UInt32(min(a, b)) << 16 | UInt32(max(a, b))
    }
}
