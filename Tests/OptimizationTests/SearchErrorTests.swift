import Foundation
import Testing
@testable import MolVAE
import MolVAETestSupport

/// Inputs a search cannot use give a message that names them and says why.
@Suite struct SearchErrorTests {
    static func message(_ body: () throws -> Void) -> String? {
        do { try body() } catch { return "\(error)" }
        return nil
    }

    @Test func invalidStartMoleculeIsNamed() throws {
        let tiny = try TinyModel.load()
        let m = Self.message { _ = try StartMolecule.prepare(smiles: "C1CC(", source: "--from", model: tiny) }
        let text = try #require(m)
        #expect(text.hasPrefix("--from: start molecule \"C1CC(\" is not a valid molecule"))
    }

    @Test func startTheModelCannotEncodeIsNamed() throws {
        let tiny = try TinyModel.load()
        // Bromine is not among the twelve molecules' tokens.
        #expect(tiny.vocabulary.id(of: "Br") == nil)
        let m = Self.message { _ = try StartMolecule.prepare(smiles: "CCBr", source: "starts.smi:3", model: tiny) }
        let text = try #require(m)
        #expect(text.hasPrefix("starts.smi:3: start molecule \"CCBr\" cannot be encoded by the model"))
        #expect(text.contains("Br"))
    }

    @Test func methodsThatNeedAStartSaySo() throws {
        let tiny = try TinyModel.load()
        let objective = try Objective(parsing: "qed")
        let references = try ReferenceTargets.load(path: TinyModel.smilesPath, limit: 12, top: 3, objective: objective, model: tiny, threads: 1)
        let interpolate = SearchSettings(objective: objective, method: .interpolate)
        let m1 = Self.message { _ = try LatentOptimizer(model: tiny, settings: interpolate, references: references).search(start: nil) }
        #expect(m1?.contains("interpolation searches from a start molecule") == true)
        var constrained = SearchSettings(objective: objective, method: .cmaes)
        constrained.minSimilarity = 0.4
        let m2 = Self.message { _ = try LatentOptimizer(model: tiny, settings: constrained).search(start: nil) }
        #expect(m2?.contains("--min-similarity needs a start molecule") == true)
        let m3 = Self.message { _ = try LatentOptimizer(model: tiny, settings: interpolate) }
        #expect(m3?.contains("--reference") == true)
    }

    @Test func gradientNeedsAPredictableObjective() throws {
        let tiny = try TinyModel.load()
        let settings = SearchSettings(objective: try Objective(parsing: "mw:200-300"), method: .gradient)
        let m = Self.message { _ = try LatentOptimizer(model: tiny, settings: settings) }
        #expect(m?.contains("gradient ascent has nothing to climb") == true)
    }

    @Test func badSettingsAreRejected() throws {
        let tiny = try TinyModel.load()
        var s = SearchSettings(objective: try Objective(parsing: "qed"), method: .bo)
        s.budget = 0
        #expect(Self.message { _ = try LatentOptimizer(model: tiny, settings: s) } == "--budget must be at least 1")
        s.budget = 10
        s.minSimilarity = 1.5
        #expect(Self.message { _ = try LatentOptimizer(model: tiny, settings: s) }?.contains("--min-similarity") == true)
    }
}
