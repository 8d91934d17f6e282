import Foundation

/// Reference values written by `scripts/make-chemistry-fixture` from Python RDKit 2022.09.
struct ReferenceFixture: Decodable {
    struct Entry: Decodable {
        let input: String
        let canonical: String
        let canonical_flat: String
        let logp, mr, mw, exact_mw, tpsa, qed, sa, plogp, plogp_norm: Double
        let hbd, hba, rotb, rings, aromatic_rings, heavy_atoms, formal_charge, largest_ring: Int
        let scaffold: String?
        let scaffold_rings: Int
        let brics: [String]
        let morgan1024: [Int]
        let morgan2048: [Int]
        let morgan_counts: [[UInt32]]
        let moses_pass: Bool
        let tanimoto2048_to_first: Double
        let count_tanimoto_to_first: Double
    }

    let rdkit_version: String
    let molecules: [Entry]
    let invalid: [String]

    static let shared: ReferenceFixture = {
        let data = try! Data(contentsOf: fixtureURL("chemistry_reference.json"))
        return try! JSONDecoder().decode(ReferenceFixture.self, from: data)
    }()
}

func fixtureURL(_ name: String) -> URL {
    Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(name)
}
