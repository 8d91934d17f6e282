/// What one vocabulary token does to the molecule being written, for `SMILESStructureTracker`:
/// its grammar class plus what kekulisation needs to know of an atom.
public enum SMILESStructureRole: Sendable, Equatable {
    /// An atom. `aromatic`: written lower-case (`c`, `n`, `[nH]`...). `pi`: what it gives an
    /// aromatic ring's Kekulé structure.
    case atom(aromatic: Bool, pi: PiRole)
    /// A bond symbol; `double` for `=`.
    case bond(double: Bool)
    case branchOpen
    case branchClose
    case ringLabel(Int)
    case dot
    /// `<bos>`, `<eos>`, `<pad>`, `<unk>` and anything the grammar does not know: no change.
    case none

    /// How an aromatic atom takes part in its ring's Kekulé structure (RDKit's rules, reduced to
    /// the atoms drug-like data have).
    public enum PiRole: Sendable, Equatable {
        /// Needs one double bond in the ring (`c`, `[n+]`), unless it has a double bond
        /// out of the ring (`c(=O)`).
        case needsDoubleBond
        /// Like `n` or `p`: needs a double bond with two neighbours, none with three (`Cn1cccc1`).
        case needsDoubleBondUnlessThreeBonds
        /// Gives a lone pair, never a double bond: `o`, `s`, `[nH]`, `[se]`.
        case lonePair
    }

    /// The role of a corpus token spelled `token`.
    public init(token: String) {
        switch SMILESTokenClass(token: token) {
        case .atom:
            self = Self.atomRole(token)
        case .bond:
            self = .bond(double: token == "=")
        case .branchOpen:
            self = .branchOpen
        case .branchClose:
            self = .branchClose
        case .ringLabel(let label):
            self = .ringLabel(label)
        case .dot:
            self = .dot
        case .end, .never:
            self = .none
        }
    }

    private static func atomRole(_ token: String) -> SMILESStructureRole {
        guard token.hasPrefix("[") else {
            switch token {
            case "c", "b": return .atom(aromatic: true, pi: .needsDoubleBond)
            case "n", "p": return .atom(aromatic: true, pi: .needsDoubleBondUnlessThreeBonds)
            case "o", "s": return .atom(aromatic: true, pi: .lonePair)
            default: return .atom(aromatic: false, pi: .needsDoubleBond)
            }
        }
        // A bracket atom: isotope digits, then the element; aromatic when lower-case.
        let inner = token.dropFirst().dropLast().drop(while: { $0.isNumber })
        guard let first = inner.first, first.isLowercase else { return .atom(aromatic: false, pi: .needsDoubleBond) }
        let element = inner.prefix { $0.isLetter && $0 != "H" }.prefix(first == "s" || first == "t" ? 2 : 1)
        let hydrogens = inner.contains("H"), negative = inner.contains("-"), positive = inner.contains("+")
        if element == "o" || element == "s" || element == "se" || element == "te" || hydrogens || negative {
            return .atom(aromatic: true, pi: .lonePair)
        }
        if positive || element == "c" || element == "b" { return .atom(aromatic: true, pi: .needsDoubleBond) }
        return .atom(aromatic: true, pi: .needsDoubleBondUnlessThreeBonds)
    }
}

/// The molecule behind a SMILES prefix, as a decoder writing it token by token would want to know
/// it: how deep in branches it is, which rings are open and how large the newest would be if
/// closed now, and whether the aromatic system it is in can still be given a Kekulé structure.
/// The decoder's structure features (`SmilesVAE+StructureFeatures`) read it at every step; the
/// same tracker runs over the training strings (teacher forcing) and over the decoder's own
/// output (sampling), so the features mean the same thing in both.
///
/// A fixed-size value (no heap storage): decoders keep one per row and copy it freely. The first
/// `atomCapacity` atoms are tracked; later ones are counted but have no bonds in the graph, which
/// only makes the features less informative for molecules far larger than drug-like ones.
public struct SMILESStructureTracker: Sendable {
    public static let atomCapacity = 64
    static let branchCapacity = 32
    static let openRingCapacity = 16
    static let none: Int8 = -1

    /// Bonds of the tracked atoms: bit j of `adjacency[i]`.
    private var adjacency = SIMD64<UInt64>(repeating: 0)
    private var aromatic: UInt64 = 0
    /// Aromatic atoms that never need a double bond (`o`, `s`, `[nH]`).
    private var lonePair: UInt64 = 0
    /// Aromatic `n`/`p`: no double bond needed once they have three bonds.
    private var nitrogenLike: UInt64 = 0
    /// Atoms with a double bond written to them (`c(=O)` has its double bond outside the ring).
    private var doubleBonded: UInt64 = 0
    public private(set) var atomCount = 0
    /// The atom the next bond, branch or ring label attaches to (`none` at the start or after `.`).
    private var current = none
    private var pendingDouble = false
    public private(set) var branchDepth = 0
    private var branchAtoms = SIMD32<Int8>(repeating: none)
    /// Open rings in the order opened: their labels and opening atoms.
    public private(set) var openRingCount = 0
    private var openLabels = SIMD16<UInt8>(repeating: 0)
    private var openAtoms = SIMD16<Int8>(repeating: none)

    public init() {}

    /// The state after one more token of role `role`.
    public mutating func advance(_ role: SMILESStructureRole) {
        switch role {
        case let .atom(isAromatic, pi):
            let index = atomCount < Self.atomCapacity ? Int8(atomCount) : Self.none
            atomCount += 1
            if index != Self.none {
                let bit = UInt64(1) << UInt64(index)
                if isAromatic { aromatic |= bit }
                if isAromatic && pi == .lonePair { lonePair |= bit }
                if isAromatic && pi == .needsDoubleBondUnlessThreeBonds { nitrogenLike |= bit }
                if current != Self.none { bond(current, index) }
            }
            current = index
            pendingDouble = false
        case .bond(let double):
            pendingDouble = double
        case .branchOpen:
            if branchDepth < Self.branchCapacity { branchAtoms[branchDepth] = current }
            branchDepth += 1
        case .branchClose:
            guard branchDepth > 0 else { return }
            branchDepth -= 1
            if branchDepth < Self.branchCapacity { current = branchAtoms[branchDepth] }
        case .ringLabel(let label):
            if let slot = openSlot(of: label) {
                if current != Self.none && openAtoms[slot] != Self.none { bond(current, openAtoms[slot]) }
                for i in slot..<(openRingCount - 1) {
                    openLabels[i] = openLabels[i + 1]
                    openAtoms[i] = openAtoms[i + 1]
                }
                openRingCount -= 1
            } else if openRingCount < Self.openRingCapacity {
                openLabels[openRingCount] = UInt8(label)
                openAtoms[openRingCount] = current
                openRingCount += 1
            }
            pendingDouble = false
        case .dot:
            current = Self.none
            pendingDouble = false
        case .none:
            break
        }
    }

    private mutating func bond(_ a: Int8, _ b: Int8) {
        adjacency[Int(a)] |= UInt64(1) << UInt64(b)
        adjacency[Int(b)] |= UInt64(1) << UInt64(a)
        if pendingDouble {
            doubleBonded |= (UInt64(1) << UInt64(a)) | (UInt64(1) << UInt64(b))
        }
    }

    private func openSlot(of label: Int) -> Int? {
        for i in 0..<openRingCount where Int(openLabels[i]) == label { return i }
        return nil
    }

    /// Bonds of atom i written so far, ring bonds it has opened included.
    public func bondCount(of i: Int) -> Int {
        var n = adjacency[i].nonzeroBitCount
        for r in 0..<openRingCount where Int(openAtoms[r]) == i { n += 1 }
        return n
    }

    // MARK: - What the decoder is told

    /// Atoms in the ring that closing the newest open ring at the current atom would make (the
    /// shortest path through the bonds written so far, both ends included); nil with no ring
    /// open, no current atom, or no path.
    public var newestRingSizeIfClosedNow: Int? {
        guard openRingCount > 0, current != Self.none else { return nil }
        let opener = openAtoms[openRingCount - 1]
        guard opener != Self.none else { return nil }
        let target = UInt64(1) << UInt64(current)
        var reached = UInt64(1) << UInt64(opener), frontier = reached
        var distance = 0
        while frontier & target == 0 {
            var next: UInt64 = 0
            var bits = frontier
            while bits != 0 {
                next |= adjacency[bits.trailingZeroBitCount]
                bits &= bits - 1
            }
            frontier = next & ~reached
            if frontier == 0 { return nil }
            reached |= frontier
            distance += 1
        }
        return distance + 1
    }

    /// For a current atom that is aromatic: whether the aromatic atoms bonded to it through
    /// aromatic atoms that still need a double bond are odd in number (a Kekulé structure pairs
    /// them, so an odd count means the system is not finished or cannot be). nil when the
    /// current atom is not aromatic.
    public var aromaticSystemHasOddNeeders: Bool? {
        guard current != Self.none, aromatic & (UInt64(1) << UInt64(current)) != 0 else { return nil }
        var reached = UInt64(1) << UInt64(current), frontier = reached
        while frontier != 0 {
            var next: UInt64 = 0
            var bits = frontier
            while bits != 0 {
                next |= adjacency[bits.trailingZeroBitCount] & aromatic
                bits &= bits - 1
            }
            frontier = next & ~reached
            reached |= frontier
        }
        var needers = reached & ~lonePair & ~doubleBonded
        var nitrogens = needers & nitrogenLike
        while nitrogens != 0 {
            let i = nitrogens.trailingZeroBitCount
            if bondCount(of: i) >= 3 { needers &= ~(UInt64(1) << UInt64(i)) }
            nitrogens &= nitrogens - 1
        }
        return needers.nonzeroBitCount % 2 == 1
    }

    /// Bonds of the current atom so far (0 with none).
    public var currentBondCount: Int { current == Self.none ? 0 : bondCount(of: Int(current)) }
}
