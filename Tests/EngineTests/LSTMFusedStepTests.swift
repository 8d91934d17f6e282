import Testing
@testable import MolVAE

/// The fused LSTM step (CKernels/lstm_step.c) against the unfused one (copy the input half into
/// the gates, `step`): the same bits, over several steps, on shapes that exercise its edges: row
/// counts not a multiple of the 14-row tile and more rows than one row block (266), one K block
/// and two (hidden 264 = 256 + 8), rows that share an input half (ChemNet's shared tail) and
/// rows whose input halves lie anywhere.
@Suite(.enabled(if: ProductKernel.packedAvailable, "the CPU has no AVX-512 (or MOLVAE_PORTABLE_KERNELS=1)"))
struct LSTMFusedStepTests {
    @Test(arguments: [(1, 19, 8), (31, 19, 40), (13, 128, 264), (300, 7, 16), (29, 128, 512)])
    func fusedStepEqualsTheUnfusedStep(_ shape: (Int, Int, Int)) {
        let (rows, input, hidden) = shape
        let g = 4 * hidden, steps = 3
        let lstm = LSTM(weightIH: randomValues(g * input, seed: 21, scale: 0.3), weightHH: randomValues(g * hidden, seed: 22, scale: 0.3),
                        biasIH: randomValues(g, seed: 23), biasHH: randomValues(g, seed: 24), inputSize: input, hiddenSize: hidden)
        #expect(lstm.usesFusedStep)
        // Input rows: `rows` of their own per step plus one shared row; rows r ≡ 2 (mod 3) read the
        // shared one, as ChemNet's rows past their molecule read the tail's projection.
        let sources = rows * steps + 1
        let x = randomValues(sources * input, seed: 25)
        let plain = Vec(zeros: sources * g), interleaved = Vec(zeros: sources * g)
        let scratch = FloatBuffer()
        x.withUnsafeBufferPointer { xs in
            lstm.project(xs.baseAddress!, rows: sources, into: plain.p, scratch: scratch)
            lstm.projectInterleaved(xs.baseAddress!, rows: sources, into: interleaved.p, scratch: scratch)
        }
        func source(_ r: Int, _ t: Int) -> Int { r % 3 == 2 ? sources - 1 : t * rows + (rows - 1 - r) }

        let start = randomValues(rows * hidden, seed: 26), startC = randomValues(rows * hidden, seed: 27)
        let h = Vec(start), c = Vec(startC), gates = Vec(zeros: rows * g)
        let hA = Vec(start), hB = Vec(zeros: rows * hidden), c2 = Vec(startC)
        let inputs = UnsafeMutablePointer<UnsafePointer<Float>?>.allocate(capacity: rows)
        defer { inputs.deallocate() }
        var hIn = hA, hOut = hB
        for t in 0..<steps {
            for r in 0..<rows { (gates.p + r * g).update(from: plain.p + source(r, t) * g, count: g) }
            lstm.step(gates: gates.p, h: h.p, c: c.p, rows: rows, scratch: scratch)
            for r in 0..<rows { inputs[r] = UnsafePointer(interleaved.p + source(r, t) * g) }
            lstm.fusedStep(inputs: inputs, hIn: hIn.p, hOut: hOut.p, c: c2.p, rows: rows, scratch: scratch)
            swap(&hIn, &hOut)
            let hDifferent = (0..<(rows * hidden)).filter { h[$0] != hIn[$0] }.count
            let cDifferent = (0..<(rows * hidden)).filter { c[$0] != c2[$0] }.count
            let largest = (0..<(rows * hidden)).map { abs(h[$0] - hIn[$0]) }.max()!
            #expect(hDifferent == 0 && cDifferent == 0,
                    "\(rows)×\(input)→\(hidden), step \(t): \(hDifferent) h and \(cDifferent) c differ, largest \(largest)")
        }
    }

    /// The interleaved projection holds the same values as `project`, permuted.
    @Test func interleavedProjectionIsAPermutation() {
        let input = 11, hidden = 24, g = 4 * hidden, rows = 5
        let lstm = LSTM(weightIH: randomValues(g * input, seed: 31), weightHH: randomValues(g * hidden, seed: 32),
                        biasIH: randomValues(g, seed: 33), biasHH: randomValues(g, seed: 34), inputSize: input, hiddenSize: hidden)
        let x = randomValues(rows * input, seed: 35)
        let plain = Vec(zeros: rows * g), interleaved = Vec(zeros: rows * g), scratch = FloatBuffer()
        x.withUnsafeBufferPointer { xs in
            lstm.project(xs.baseAddress!, rows: rows, into: plain.p, scratch: scratch)
            lstm.projectInterleaved(xs.baseAddress!, rows: rows, into: interleaved.p, scratch: scratch)
        }
        for r in 0..<rows {
            for q in 0..<g {
                // Column q = 32·p + 8·gate + u: gate `gate` of unit 8·p + u.
                let original = (q % 32) / 8 * hidden + q / 32 * 8 + q % 8
                #expect(interleaved[r * g + q] == plain[r * g + original])
            }
        }
    }

    /// Where the fused step is not used: OpenBLAS's path, a hidden size not a multiple of 8, or
    /// `fusedStep: false`.
    @Test func fusedStepOnlyWhereItApplies() {
        func make(hidden: Int, kernel: ProductKernel = .auto, fused: Bool = true) -> LSTM {
            LSTM(weightIH: randomValues(4 * hidden * 3, seed: 41), weightHH: randomValues(4 * hidden * hidden, seed: 42),
                 biasIH: randomValues(4 * hidden, seed: 43), biasHH: randomValues(4 * hidden, seed: 44), inputSize: 3, hiddenSize: hidden,
                 kernel: kernel, fusedStep: fused)
        }
        #expect(make(hidden: 16).usesFusedStep)
        #expect(!make(hidden: 16, kernel: .blas).usesFusedStep)
        #expect(!make(hidden: 12).usesFusedStep)
        #expect(!make(hidden: 16, fused: false).usesFusedStep)
    }
}
