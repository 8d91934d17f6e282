/// The valence mask: on top of the syntax rules, a count per atom of the bond orders it may still
/// take, so a decoder cannot give an atom more bonds than RDKit permits (`CC(C)(C)(C)C`, `FF=C`, a
/// ring closed on a saturated atom). Such strings are a third of the default model's invalid
/// samples. It is off by default: on the default model it removes 94% of the valence errors but
/// the strings it saves are mostly unlike the data (FCD/Test 0.599 -> 0.640, Filters 0.975 ->
/// 0.964), since a decoder that overfills an atom has usually lost its way (docs/MODEL.md
/// section 11).
///
/// The counts are conservative (`SMILESTokenValence`): a token is refused only when the atoms it
/// touches could not take it in any valid molecule, so the mask excludes strings RDKit rejects
/// and nothing else. It cannot see aromaticity (whether a ring can be kekulised), and it looks
/// one token ahead only: a decoder can still write itself into a corner (a ring left open behind
/// a saturated atom), where the mask falls back to the syntax rules (`SMILESSyntaxMask`).
extension SMILESSyntaxState {
    /// The bond orders `atom` may still take; unlimited for an atom that is not tracked.
    func remainingValence(of atom: AtomIndex) -> Int {
        guard atom != Self.unknownAtom, Int(atom) < Self.valenceCapacity else { return Int(SMILESTokenValence.unlimited) }
        return Int(remainingValence[Int(atom)])
    }

    /// The order of the bond an atom written now makes to the current atom, if it makes one: an
    /// atom after an atom, `(` or `)` bonds singly (or aromatically: also counted 1), after a bond by that
    /// bond's order; the first atom of the string or of a fragment bonds to nothing.
    private var orderOfAtomBond: Int? {
        switch position {
        case .afterAtom, .afterBranchOpen: return 1
        case .afterBond, .afterBranchBond: return Int(pendingBondOrder)
        case .start, .afterDot, .ended: return nil
        }
    }

    /// For a ring label: the order the ring bond counts at the current atom (the bond written
    /// before the label, else the order the ring was opened with; the lower when both are written,
    /// since RDKit accepts ends that disagree), and whether the label opens the ring.
    private func ringBond(_ label: Int) -> (order: Int, opens: Bool) {
        let written = position == .afterBond ? Int(pendingBondOrder) : nil
        guard isOpen(label) else { return (written ?? 1, true) }
        let opened = slot(ofOpenRing: label).map { Int(openRingOrders[$0]) } ?? 1
        return (written.map { min($0, opened) } ?? opened, false)
    }

    /// Whether the atoms `token` bonds have room for it (the syntax is judged by `allows(_:)`).
    public func hasValence(for token: SMILESTokenClass, _ valence: SMILESTokenValence) -> Bool {
        let room = remainingValence(of: currentAtom)
        switch token {
        case .atom:
            guard let order = orderOfAtomBond else { return true }
            return Int(valence.capacity) >= order && room >= order
        case .bond:
            return room >= Int(valence.order)
        case .branchOpen:
            return room >= 1
        case .ringLabel(let label):
            return room >= ringBond(label).order
        case .branchClose, .dot, .end, .never:
            return true
        }
    }

    /// Whether `token` may come next: the syntax rules and the valence counts.
    public func allows(_ token: SMILESTokenClass, _ valence: SMILESTokenValence) -> Bool {
        allows(token) && hasValence(for: token, valence)
    }

    /// Moves past `token` as `advance(_:)` does, and spends the valence its bonds take. A token
    /// the counts refuse (taken when the mask falls back to the syntax rules) leaves the atoms
    /// it overfills at zero.
    public mutating func advance(_ token: SMILESTokenClass, valence: SMILESTokenValence) {
        guard allows(token) else {
            advance(token)
            return
        }
        switch token {
        case .atom:
            let order = orderOfAtomBond ?? 0
            spend(order, at: currentAtom)
            let atom = atomCount
            advance(token)
            if atom < Self.valenceCapacity {
                remainingValence[atom] = UInt8(clamping: max(0, Int(valence.capacity) - order))
            }
            pendingBondOrder = 1
        case .bond:
            advance(token)
            pendingBondOrder = valence.order
        case .ringLabel(let label):
            let bond = ringBond(label)
            spend(bond.order, at: currentAtom)
            advance(token)
            if bond.opens, let slot = slot(ofOpenRing: label) { openRingOrders[slot] = UInt8(clamping: bond.order) }
            pendingBondOrder = 1
        default:
            advance(token)
        }
    }

    private mutating func spend(_ order: Int, at atom: AtomIndex) {
        guard order > 0, atom != Self.unknownAtom, Int(atom) < Self.valenceCapacity else { return }
        let index = Int(atom)
        if remainingValence[index] != SMILESTokenValence.unlimited {
            remainingValence[index] = UInt8(max(0, Int(remainingValence[index]) - order))
        }
    }
}
