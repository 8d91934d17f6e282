/// The decoder's structure features: at every step, what the SMILES written so far says about the
/// molecule (`SMILESStructureTracker`), as a few small categories, each with its own learned row
/// of input gates for the decoder's first GRU layer (`SmilesVAE.structureGates`).
///
/// Why: a GRU that writes a SMILES string has to count, from the tokens alone, how deep it is in
/// branches, which rings are open and how many atoms each would close, and whether an aromatic
/// system still has an atom waiting for its double bond. Most invalid samples are the counts gone
/// wrong: aromatic rings RDKit cannot kekulise (an `n` where `[nH]` was needed) and strings that
/// lost their rings and branches (docs/MODEL.md sections 11 and 14). The features give it those
/// counts, computed exactly, as inputs. They are inputs, not constraints: the model is still
/// trained by maximum likelihood on the data and sampled as before, and nothing is refused.
///
/// The categories (one of each per step, their rows added to the gates):
/// - branch depth: 0, 1, 2, 3 or more;
/// - open rings: 0, 1, 2, 3 or more;
/// - the ring that closing the newest open ring now would make: none, 3 atoms or fewer, 4, 5, 6,
///   7, 8, 9 or more (or no path);
/// - the current atom's aromatic system: not aromatic, an even or an odd number of atoms needing
///   a double bond;
/// - the current atom's bonds so far: 0, 1, 2, 3 or more.
public struct StructureFeatures: Sendable {
    public static let perStep = 5
    public static let categoryCount = 23
    static let depthBase: Int32 = 0, ringsBase: Int32 = 4, sizeBase: Int32 = 8, aromaticBase: Int32 = 16, bondsBase: Int32 = 19

    /// Each vocabulary token's role, by id.
    public let roles: [SMILESStructureRole]

    public init(vocabulary: [String]) {
        roles = vocabulary.enumerated().map { id, token in
            id < TokenID.firstRegularID ? .none : SMILESStructureRole(token: token)
        }
    }

    /// Advances `tracker` by token `id` (special tokens and ids outside the vocabulary change nothing).
    @inline(__always)
    public func advance(_ tracker: inout SMILESStructureTracker, by id: Int32) {
        if id >= 0 && Int(id) < roles.count { tracker.advance(roles[Int(id)]) }
    }

    /// The `perStep` category ids of `tracker`'s state, written to ids[0..<perStep].
    public static func write(_ tracker: SMILESStructureTracker, to ids: UnsafeMutablePointer<Int32>) {
        ids[0] = depthBase + Int32(min(tracker.branchDepth, 3))
        ids[1] = ringsBase + Int32(min(tracker.openRingCount, 3))
        let size: Int32
        switch tracker.newestRingSizeIfClosedNow {
        case nil: size = tracker.openRingCount > 0 ? 7 : 0
        case let s? where s <= 3: size = 1
        case let s? where s >= 9: size = 7
        case let s?: size = Int32(s - 2)
        }
        ids[2] = sizeBase + size
        switch tracker.aromaticSystemHasOddNeeders {
        case nil: ids[3] = aromaticBase
        case false?: ids[3] = aromaticBase + 1
        case true?: ids[3] = aromaticBase + 2
        }
        ids[4] = bondsBase + Int32(min(tracker.currentBondCount, 3))
    }
}
