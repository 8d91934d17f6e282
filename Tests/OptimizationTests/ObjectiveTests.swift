import Foundation
import Testing
@testable import MolVAE

@Suite struct ObjectiveTests {
    static func properties(_ smiles: String) throws -> MolecularProperties { try Molecule(smiles: smiles).properties() }

    @Test func namedObjectivesScoreTheRDKitProperties() throws {
        let p = try Self.properties("CC(=O)Oc1ccccc1C(=O)O")  // aspirin
        #expect(try Objective(parsing: "qed").score(p) == p.qed)
        #expect(try Objective(parsing: "logp").score(p) == p.logP)
        #expect(try Objective(parsing: "plogp").score(p) == p.normalizedPenalizedLogP)
        #expect(try Objective(parsing: "plogp-raw").score(p) == p.penalizedLogP)
        // SA is minimised: the lone objective scores −SA.
        #expect(try Objective(parsing: "sa").score(p) == -p.syntheticAccessibility)
        #expect(try Objective(parsing: "-sa").score(p) == -p.syntheticAccessibility)
        #expect(abs(try Objective(parsing: "5*qed-sa").score(p) - (5 * p.qed - p.syntheticAccessibility)) < 1e-12)
        #expect(abs(try Objective(parsing: " 0.5 * logp + 2e0*qed ").score(p) - (0.5 * p.logP + 2 * p.qed)) < 1e-12)
        // plogp-raw is one name; plogp-sa is plogp minus sa.
        #expect(abs(try Objective(parsing: "plogp-sa").score(p) - (p.normalizedPenalizedLogP - p.syntheticAccessibility)) < 1e-12)
    }

    @Test func weightWindowIsOneInsideAndFallsOutside() throws {
        let p = try Self.properties("CC(=O)Oc1ccccc1C(=O)O")  // 180.16 Da
        #expect(try Objective(parsing: "mw:150-200").score(p) == 1)
        let below = try Objective(parsing: "mw:205-300").score(p)
        let further = try Objective(parsing: "mw:230-300").score(p)
        #expect(below < 1 && further < below && further > 0)
        #expect(abs(below - exp(-0.5 * pow((205 - p.molecularWeight) / 25, 2))) < 1e-12)
    }

    @Test func badObjectivesSayWhatIsKnown() {
        for text in ["", "foo", "qedx", "5qed", "qed+", "qed sa", "mw:300-200", "mw:abc", "5*"] {
            #expect(throws: ObjectiveError.self, "\(text)") { try Objective(parsing: text) }
        }
        do {
            _ = try Objective(parsing: "5*qed-foo")
            Issue.record("accepted an unknown term")
        } catch {
            #expect(error.description.contains("unknown term \"foo\""))
            #expect(error.description.contains("plogp-raw"))
        }
    }

    /// The surrogate through the head equals the objective computed from the head's
    /// de-standardised predictions (ring penalty taken as zero).
    @Test func headSurrogateIsTheObjectiveOfThePredictions() throws {
        let standardisation = PropertyStandardisation(names: ["logp", "qed", "sa"], means: [2.5, 0.6, 3], sds: [1.5, 0.2, 0.8], hidden: 4)
        let predictions: [Float] = [0.3, -1.2, 0.7]
        let logP = standardisation.destandardise(predictions[0], property: 0)
        let qed = standardisation.destandardise(predictions[1], property: 1)
        let sa = standardisation.destandardise(predictions[2], property: 2)
        let cases: [(String, Double)] = [
            ("qed", qed), ("sa", -sa), ("5*qed-sa", 5 * qed - sa), ("plogp-raw", logP - sa),
            ("plogp", PenalizedLogP.normalized(logP: logP, syntheticAccessibility: sa, largestRingSize: 0)),
        ]
        for (text, expected) in cases {
            let s = try Objective(parsing: text).headSurrogate(for: standardisation)
            let value = s.offset + zip(s.weights, predictions).reduce(0) { $0 + Double($1.0) * Double($1.1) }
            #expect(abs(value - expected) < 1e-5, "\(text)")
        }
        #expect(throws: OptimizationError.self) { try Objective(parsing: "mw:200-300").headSurrogate(for: standardisation) }
    }
}
