import Foundation
import Testing
@testable import MolVAE

/// `mpirun -np 2 molvae train` against one process on the same global batches.
///
/// Tolerance: the ranks' gradients are sums over half a batch each, added by MPI_Allreduce;
/// one process sums the whole batch in one GEMM. Same mathematics, different order of float
/// additions, so parameters after K steps agree to rounding, not bit for bit: we assert a
/// relative difference under 1e-5 of the distance the parameters travelled (measured: 4.7e-7
/// plain, 8.9e-7 with free bits, word dropout and the validity term, after 6 steps). Where the order is
/// the same (one rank under mpirun against a plain run; a resumed two-rank run against an
/// uninterrupted one) we assert bit identity.
@Suite(.serialized) struct TrainingUnderMPITests {
    static let data = Launcher.fixture("sixty.smi")

    /// A tiny model: every step is cheap, so the launch dominates (about a second per run).
    static func arguments(out: String, steps: Int, extra: [String] = []) -> [String] {
        ["train", "--data", data, "--out", out, "--max-steps", String(steps), "--batch", "16", "--latent", "8", "--hidden", "32",
         "--dense", "32", "--conv-channels", "6,6", "--conv-kernels", "3,3", "--samples", "20", "--threads", "1", "--seed", "3",
         "--checkpoint-every", "3"] + extra
    }

    static func parameters(_ dir: String) throws -> [String: [Float]] {
        let c = try Checkpoint.read(from: dir + "/checkpoint.safetensors")
        var out: [String: [Float]] = [:]
        for p in c.model.parameters + (c.propertyHead?.parameters ?? []) { out[p.name] = p.values }
        for (name, m) in c.moments { out["adam.m." + name] = m.m; out["adam.v." + name] = m.v }
        return out
    }

    /// ‖a − b‖ / ‖a − start‖ over the model parameters (not the Adam moments).
    static func relativeDifference(_ a: [String: [Float]], _ b: [String: [Float]], start: [String: [Float]]) -> Double {
        var diff = 0.0, travelled = 0.0
        for (name, x) in a where !name.hasPrefix("adam.") {
            let y = b[name]!, s = start[name]!
            for i in x.indices { diff += Double(x[i] - y[i]) * Double(x[i] - y[i]); travelled += Double(x[i] - s[i]) * Double(x[i] - s[i]) }
        }
        return (diff / max(travelled, 1e-30)).squareRoot()
    }

    static func expectSuccess(_ o: Launcher.Outcome, _ what: String) {
        #expect(o.status == 0 && !o.timedOut, "\(what) failed (status \(o.status), \(o.timedOut ? "timed out" : "")): \(o.error.suffix(2000))")
    }

    @Test(arguments: [[String](), ["--free-bits", "0.05", "--word-dropout", "0.2", "--validity-weight", "0.5", "--validity-samples", "8"]])
    func twoRanksMatchOneProcess(extra: [String]) throws {
        let root = Launcher.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let steps = 6
        Self.expectSuccess(Launcher.plain(Self.arguments(out: root + "/start", steps: 0, extra: extra)), "0 steps")
        let plain = Launcher.plain(Self.arguments(out: root + "/plain", steps: steps, extra: extra))
        Self.expectSuccess(plain, "plain run")
        let one = try Launcher.mpi(1, Self.arguments(out: root + "/np1", steps: steps, extra: extra))
        Self.expectSuccess(one, "mpirun -np 1")
        let two = try Launcher.mpi(2, Self.arguments(out: root + "/np2", steps: steps, extra: extra))
        Self.expectSuccess(two, "mpirun -np 2")
        #expect(two.error.contains("2 ranks"), "rank 0 should say it trains over 2 ranks: \(two.error.suffix(800))")

        let p = try Self.parameters(root + "/plain"), p1 = try Self.parameters(root + "/np1"), p2 = try Self.parameters(root + "/np2")
        // One rank under mpirun computes exactly what a plain run does.
        #expect(p1 == p, "mpirun -np 1 differs from a plain run")
        // Two ranks: the same model up to float rounding, and really trained (not the start).
        let initial = try Self.parameters(root + "/start")
        let relative = Self.relativeDifference(p2, p, start: initial)
        print("2 ranks vs 1 process (\(extra)): relative parameter difference \(relative)")
        #expect(relative < 1e-5, "2 ranks vs 1 process: relative parameter difference \(relative)")
        #expect(p2 != initial, "the two-rank run did not change the parameters")
        // Only rank 0 wrote, and wrote everything.
        for file in ["checkpoint.safetensors", "best.safetensors", "last.safetensors", "metrics.jsonl", "metrics.csv", "curves.svg"] {
            #expect(FileManager.default.fileExists(atPath: root + "/np2/" + file), "np2 lacks \(file)")
        }
        let m1 = try String(contentsOfFile: root + "/plain/metrics.csv", encoding: .utf8).split(separator: "\n")
        let m2 = try String(contentsOfFile: root + "/np2/metrics.csv", encoding: .utf8).split(separator: "\n")
        #expect(m1.count == m2.count, "metrics rows: \(m1.count) vs \(m2.count)")
    }

    @Test func resumeWithAnotherRankCount() throws {
        let root = Launcher.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // Two ranks for 3 steps, then the same two ranks on to 6: equal to 6 steps straight, bit for bit.
        Self.expectSuccess(try Launcher.mpi(2, Self.arguments(out: root + "/straight", steps: 6)), "np2 6 steps")
        Self.expectSuccess(try Launcher.mpi(2, Self.arguments(out: root + "/resumed", steps: 3)), "np2 3 steps")
        Self.expectSuccess(try Launcher.mpi(2, Self.arguments(out: root + "/resumed", steps: 6, extra: ["--resume"])), "np2 resume")
        let straight = try Self.parameters(root + "/straight")
        #expect(try Self.parameters(root + "/resumed") == straight, "np2 resumed differs from np2 uninterrupted")
        // Two ranks for 3 steps, then one plain process on to 6: the same model up to rounding.
        Self.expectSuccess(try Launcher.mpi(2, Self.arguments(out: root + "/switch", steps: 3)), "np2 3 steps")
        Self.expectSuccess(Launcher.plain(Self.arguments(out: root + "/switch", steps: 6, extra: ["--resume"])), "plain resume")
        Self.expectSuccess(Launcher.plain(Self.arguments(out: root + "/plain", steps: 6)), "plain 6 steps")
        let plain = try Self.parameters(root + "/plain")
        let switched = try Self.parameters(root + "/switch")
        let state = try Checkpoint.read(from: root + "/switch/checkpoint.safetensors").state
        #expect(state.step == 6)
        var diff = 0.0, norm = 0.0
        for (name, x) in plain where !name.hasPrefix("adam.") {
            for (a, b) in zip(x, switched[name]!) { diff += Double(a - b) * Double(a - b); norm += Double(a) * Double(a) }
        }
        #expect((diff / norm).squareRoot() < 1e-5, "np2 then plain vs plain: relative difference \((diff / norm).squareRoot())")
    }

    /// --eval-fcd under two ranks (samples drawn in blocks, ChemNet's chunks shared, rank 0's
    /// distance sent to every rank) equals a plain run's FCD bit for bit on the same parameters:
    /// the evaluation at step 0, before any step could make the parameters differ.
    @Test func sharedEvalFCDEqualsOneProcess() throws {
        let root = Launcher.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let extra = ["--eval-fcd", "600", "--eval-every", "2"]
        Self.expectSuccess(Launcher.plain(Self.arguments(out: root + "/plain", steps: 0, extra: extra)), "plain")
        Self.expectSuccess(try Launcher.mpi(2, Self.arguments(out: root + "/np2", steps: 0, extra: extra)), "np2")
        func fcd(_ dir: String) throws -> Double? {
            let line = try String(contentsOfFile: dir + "/metrics.jsonl", encoding: .utf8).split(separator: "\n").first.map(String.init) ?? ""
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return object?["fcd"] as? Double
        }
        let plain = try fcd(root + "/plain"), two = try fcd(root + "/np2")
        #expect(plain != nil && plain!.isFinite, "the plain run has no FCD")
        #expect(two == plain, "FCD: \(String(describing: two)) under 2 ranks, \(String(describing: plain)) plain")
    }

    @Test func aRankThatDiesStopsTheJob() throws {
        let root = Launcher.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // Rank 1 vanishes (SIGKILL) after step 4; the checkpoint of step 3 must survive intact.
        let o = try Launcher.mpi(2, Self.arguments(out: root + "/run", steps: 50), environment: ["MOLVAE_TEST_KILL_RANK_AT_STEP": "1:4"],
                                 deadline: 90)
        #expect(!o.timedOut, "the job hung after a rank died")
        #expect(o.status != 0)
        #expect(o.seconds < 60, "stopping took \(o.seconds) s")
        #expect(o.error.contains("rank 1") && o.error.contains("signal 9"), "no clear message: \(o.error.suffix(1500))")
        let checkpoint = try Checkpoint.read(from: root + "/run/checkpoint.safetensors")
        #expect(checkpoint.state.step == 3)
    }

    @Test func ranksThatDisagreeGiveOneErrorFromRankZero() throws {
        let root = Launcher.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let other = root + "/other.smi"
        let lines = try String(contentsOfFile: Self.data, encoding: .utf8).split(separator: "\n")
        try (lines.dropLast(5).joined(separator: "\n") + "\n").write(toFile: other, atomically: true, encoding: .utf8)
        let base = Self.arguments(out: root + "/a", steps: 3)
        func replacing(_ option: String, with value: String) -> [String] {
            var args = base
            args[args.firstIndex(of: option)! + 1] = value
            return args
        }
        let cases: [(args: [String], expected: [String])] = [
            (replacing("--data", with: other), ["rank 1's training data", "55 molecules", "60 molecules"]),
            (replacing("--batch", with: "8"), ["rank 1's option batch (8) differs from rank 0's (16)"]),
            (replacing("--data", with: root + "/missing.smi"), ["rank 1:", "missing.smi"]),
        ]
        for (args, expected) in cases {
            let o = try Launcher.mpi(perRank: [base, args], deadline: 60)
            #expect(!o.timedOut, "ranks that disagree hung: \(args)")
            #expect(o.status != 0)
            #expect(o.error.components(separatedBy: "do not agree").count == 2, "want exactly one report: \(o.error)")
            for text in expected { #expect(o.error.contains(text), "missing '\(text)' in: \(o.error)") }
            #expect(!FileManager.default.fileExists(atPath: root + "/a/checkpoint.safetensors"), "a disagreeing job trained")
        }
    }
}
