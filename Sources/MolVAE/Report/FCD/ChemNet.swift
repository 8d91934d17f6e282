import Foundation
import Synchronization

/// ChemNet (Preuer et al. 2018) as fcd_torch 1.0.7 runs it, inference only: the 512 features of
/// a molecule whose means and covariances the Fréchet ChemNet Distance compares.
///
/// The network, on a [350, 35] one-hot input (`ChemNetInput`): Conv1d 35→32 and 32→32 (kernel 4,
/// stride 2, TensorFlow "same" padding, no bias, SELU each), giving 88 positions; an LSTM 32→128
/// over the positions in reverse order, returning every step; the outputs reversed back and an
/// LSTM 128→512 over them, keeping the last step.
///
/// Every input is padded to 350 positions, and fcd_torch runs both LSTMs over all 88 of them. A
/// typical MOSES molecule fills about 12. The zero tail is the same for every molecule, and this
/// implementation computes it once instead of once per molecule, exactly:
/// - no convolution has a bias and SELU(0) = 0, so positions past a molecule's own length P are
///   exactly zero after the convolutions;
/// - the first LSTM reads the reversed sequence, so it starts with 88 − P zero inputs from zero
///   states: the same states for every molecule, computed once (`PaddingTrajectory`); each
///   molecule then runs only its own P steps from the shared state after 88 − P;
/// - the second LSTM's inputs at positions t ≥ P are those shared first-LSTM outputs, so their
///   input projections are computed once too; its recurrent steps stay per molecule.
public final class ChemNet: @unchecked Sendable {
    public static let featureCount = 512
    /// The bundled weights file (converted by scripts/convert-chemnet).
    public static let bundledFileName = "chemnet-v0.13.safetensors"

    let conv1: StridedConv1d
    let conv2: StridedConv1d
    let lstm1: LSTM
    let lstm2: LSTM
    /// Positions after each convolution: 350 → 175 → 88.
    let conv1Length: Int
    let positions: Int
    let padding: PaddingTrajectory
    public let path: String
    /// The weights file's sha256: statistics files record it, so statistics made with other
    /// weights are never mixed with these.
    public let sha256: String

    /// Loads the bundled weights (Data/chemnet-v0.13.safetensors).
    public static func bundled(kernel: ProductKernel = .auto, fusedSteps: Bool = true) throws -> ChemNet {
        try ChemNet(contentsOf: try DataFiles.path(of: bundledFileName), kernel: kernel, fusedSteps: fusedSteps)
    }

    /// Loads weights from a safetensors file, checking every tensor's name, shape and values.
    /// `kernel` chooses the products' code (`ProductKernel`); `.blas` is for checking the path
    /// of CPUs without AVX-512 on one that has it. `fusedSteps: false` keeps both LSTMs on the unfused
    /// step (same bits; for benchmarks and checks).
    public init(contentsOf path: String, kernel: ProductKernel = .auto, fusedSteps: Bool = true) throws {
        self.path = path
        let file: SafeTensors
        do {
            file = try SafeTensors.read(from: path)
            sha256 = try SHA256.hexDigest(ofFileAt: path)
        } catch { throw ChemNetError(path: path, problem: "\(error)") }
        func tensor(_ name: String, _ shape: [Int]) throws -> [Float] {
            guard let t = file.tensors[name] else {
                throw ChemNetError(path: path, problem: "tensor \(name) is missing; this is not a ChemNet weights file (make one with scripts/convert-chemnet)")
            }
            guard t.shape == shape else { throw ChemNetError(path: path, problem: "tensor \(name) has shape \(t.shape), expected \(shape)") }
            if let bad = t.values.firstIndex(where: { !$0.isFinite }) {
                throw ChemNetError(path: path, problem: "tensor \(name) holds a non-finite value (\(t.values[bad])) at element \(bad)")
            }
            return t.values
        }
        let symbols = ChemNetInput.alphabet.count
        conv1 = StridedConv1d(weight: try tensor("conv1.weight", [32, symbols, 4]), inChannels: symbols, outChannels: 32, kernel: 4, stride: 2,
                              product: kernel)
        conv2 = StridedConv1d(weight: try tensor("conv2.weight", [32, 32, 4]), inChannels: 32, outChannels: 32, kernel: 4, stride: 2, product: kernel)
        lstm1 = LSTM(weightIH: try tensor("lstm1.weight_ih", [512, 32]), weightHH: try tensor("lstm1.weight_hh", [512, 128]),
                     biasIH: try tensor("lstm1.bias_ih", [512]), biasHH: try tensor("lstm1.bias_hh", [512]),
                     inputSize: 32, hiddenSize: 128, kernel: kernel, fusedStep: fusedSteps)
        lstm2 = LSTM(weightIH: try tensor("lstm2.weight_ih", [2048, 128]), weightHH: try tensor("lstm2.weight_hh", [2048, 512]),
                     biasIH: try tensor("lstm2.bias_ih", [2048]), biasHH: try tensor("lstm2.bias_hh", [2048]),
                     inputSize: 128, hiddenSize: 512, kernel: kernel, fusedStep: fusedSteps)
        conv1Length = conv1.outputLength(ChemNetInput.length)
        positions = conv2.outputLength(conv1Length)
        padding = PaddingTrajectory(lstm1: lstm1, lstm2: lstm2, positions: positions)
    }

    /// Molecules per unit of work: fixed, so that results never depend on the thread count.
    static let chunkSize = 512

    /// The 512 features of each SMILES, row i for smiles[i], [count, 512]. The strings are read
    /// as given: pass canonical SMILES (fcd_torch canonicalises with RDKit before ChemNet).
    /// Chunks of `chunkSize` molecules of similar length run on `threads` threads.
    public func activations(_ smiles: [String], threads: Int) -> [Float] {
        let n = smiles.count
        var out = [Float](repeating: 0, count: n * Self.featureCount)
        guard n > 0 else { return out }
        let symbols = smiles.map(ChemNetInput.symbols)
        out.withUnsafeMutableBufferPointer { buffer in
            forward(chunks: Self.chunks(of: symbols), symbols: symbols, threads: threads, placement: .byIndex, into: buffer.baseAddress!)
        }
        return out
    }

    /// The units of work for `symbols`: indices sorted by decreasing length (similar lengths
    /// together, so a chunk's active rows shrink together), cut every `chunkSize`. A molecule's
    /// features depend on which molecules share its chunk in the last bits (the products' sizes
    /// change), so every way of running a set, over threads or ranks, uses these same chunks.
    static func chunks(of symbols: [[UInt8]]) -> [[Int]] {
        let n = symbols.count
        let order = (0..<n).sorted { (symbols[$0].count, $0) > (symbols[$1].count, $1) }
        return stride(from: 0, to: n, by: chunkSize).map { Array(order[$0..<min(n, $0 + chunkSize)]) }
    }

    /// Where `forward(chunks:...)` puts a molecule's 512 features: at row `index` of the whole
    /// set, or packed, the chunks' rows one after another in the order given.
    enum Placement { case byIndex, packed }

    /// Runs `chunks` on `threads` threads into `out`.
    func forward(chunks: [[Int]], symbols: [[UInt8]], threads: Int, placement: Placement, into out: UnsafeMutablePointer<Float>) {
        let workers = max(1, min(threads, chunks.count))
        // Where each chunk's rows start when packed.
        var starts: [Int] = []
        var row = 0
        for chunk in chunks { starts.append(row); row += chunk.count }
        let firstRows = starts
        let next = Atomic<Int>(0)
        let result = UncheckedSendable(out)
        // Our threads each run single-threaded products; OpenBLAS's own threads would split
        // them differently from one call to the next and oversubscribe the cores.
        EngineThreads.withSingleThreadedBLAS {
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                let workspace = Workspace()
                while true {
                    let c = next.add(1, ordering: .relaxed).oldValue
                    guard c < chunks.count else { break }
                    let members = chunks[c]
                    self.forward(members.map { symbols[$0] }, workspace: workspace)
                    for (row, index) in members.enumerated() {
                        let target = placement == .byIndex ? index : firstRows[c] + row
                        (result.value + target * Self.featureCount).update(from: workspace.h2 + row * Self.featureCount, count: Self.featureCount)
                    }
                }
            }
        }
    }

    /// Buffers for one thread's chunks; they keep their capacity between chunks.
    final class Workspace {
        let input = FloatBuffer(), columns = FloatBuffer(), conv1Out = FloatBuffer(), conv2Out = FloatBuffer()
        let layout0 = RaggedLayout(), layout1 = RaggedLayout(), layout2 = RaggedLayout()
        let projection1 = FloatBuffer(), gates1 = FloatBuffer(), h1 = FloatBuffer(), c1 = FloatBuffer()
        let output1 = FloatBuffer(), projection2 = FloatBuffer(), gates2 = FloatBuffer()
        let h2Buffer = FloatBuffer(), c2 = FloatBuffer()
        /// The fused steps' second h buffers and their rows' input halves (`LSTM.fusedStep`).
        let h1Next = FloatBuffer(), h2Next = FloatBuffer()
        let rowInputs = UnsafeMutablePointer<UnsafePointer<Float>?>.allocate(capacity: ChemNet.chunkSize)
        deinit { rowInputs.deallocate() }
        /// The packed product's packed rows of A (`PackedWeights`).
        let productScratch = FloatBuffer()
        var h2: UnsafeMutablePointer<Float> { h2Buffer.pointer }
    }

    /// Runs one chunk, sorted longest first; the features end in workspace.h2 [batch, 512].
    func forward(_ batch: [[UInt8]], workspace w: Workspace) {
        let b = batch.count
        // One-hot input, only the positions that hold a symbol.
        w.layout0.removeAll()
        for s in batch { w.layout0.append(s.count) }
        let width = ChemNetInput.alphabet.count
        let x = w.input.reserve(w.layout0.total * width)
        x.update(repeating: 0, count: w.layout0.total * width)
        for (m, s) in batch.enumerated() {
            for (p, symbol) in s.enumerated() { x[(w.layout0.offsets[m] + p) * width + Int(symbol)] = ChemNetInput.scale }
        }
        conv1.forward(x, layout: w.layout0, nominalLength: ChemNetInput.length, output: w.conv1Out, outputLayout: w.layout1, columns: w.columns,
                      scratch: w.productScratch)
        Activation.selu.forward(w.conv1Out.pointer, w.conv1Out.pointer, count: w.layout1.total * 32)
        conv2.forward(w.conv1Out.pointer, layout: w.layout1, nominalLength: conv1Length, output: w.conv2Out, outputLayout: w.layout2, columns: w.columns,
                      scratch: w.productScratch)
        Activation.selu.forward(w.conv2Out.pointer, w.conv2Out.pointer, count: w.layout2.total * 32)
        let lengths = w.layout2.lengths, offsets = w.layout2.offsets, rows = w.layout2.total
        let longest = lengths.max() ?? 0

        // First LSTM over positions longest−1 … 0 (the reversed sequence, aligned at its end).
        // Molecule m joins at position P_m − 1 with the shared state after 88 − P_m zero steps.
        let g1 = lstm1.gateWidth, hidden1 = lstm1.hiddenSize
        let projection1 = w.projection1.reserve(rows * g1)
        let fused1 = lstm1.usesFusedStep
        if fused1 {
            lstm1.projectInterleaved(w.conv2Out.pointer, rows: rows, into: projection1, scratch: w.productScratch)
        } else {
            lstm1.project(w.conv2Out.pointer, rows: rows, into: projection1, scratch: w.productScratch)
        }
        let h1 = w.h1.reserve(b * hidden1), c1 = w.c1.reserve(b * hidden1)
        let output1 = w.output1.reserve(rows * hidden1)
        // The fused step reads the input halves where they lie and writes h into the other buffer.
        var hIn1 = h1, hOut1 = w.h1Next.reserve(b * hidden1)
        var active = 0
        for p in stride(from: longest - 1, through: 0, by: -1) {
            while active < b && lengths[active] > p {
                let zeroSteps = positions - lengths[active]
                padding.state1(after: zeroSteps, h: hIn1 + active * hidden1, c: c1 + active * hidden1)
                active += 1
            }
            if fused1 {
                for m in 0..<active { w.rowInputs[m] = UnsafePointer(projection1 + (offsets[m] + p) * g1) }
                lstm1.fusedStep(inputs: w.rowInputs, hIn: hIn1, hOut: hOut1, c: c1, rows: active, scratch: w.productScratch)
                swap(&hIn1, &hOut1)
            } else {
                let gates1 = w.gates1.reserve(b * g1)
                for m in 0..<active { (gates1 + m * g1).update(from: projection1 + (offsets[m] + p) * g1, count: g1) }
                lstm1.step(gates: gates1, h: hIn1, c: c1, rows: active, scratch: w.productScratch)
            }
            for m in 0..<active { (output1 + (offsets[m] + p) * hidden1).update(from: hIn1 + m * hidden1, count: hidden1) }
        }

        // Second LSTM over positions 0 … 87: a molecule's own outputs, then the shared tail.
        let g2 = lstm2.gateWidth, hidden2 = lstm2.hiddenSize
        let projection2 = w.projection2.reserve(rows * g2)
        let h2 = w.h2Buffer.reserve(b * hidden2), c2 = w.c2.reserve(b * hidden2)
        h2.update(repeating: 0, count: b * hidden2)
        c2.update(repeating: 0, count: b * hidden2)
        active = b
        if lstm2.usesFusedStep {
            // The fused step reads each row's input half where it lies (the shared tail's for
            // rows past their molecule) and writes h into the other buffer.
            lstm2.projectInterleaved(output1, rows: rows, into: projection2, scratch: w.productScratch)
            var hIn = h2, hOut = w.h2Next.reserve(b * hidden2)
            for t in 0..<positions {
                while active > 0 && lengths[active - 1] <= t { active -= 1 }
                for m in 0..<active { w.rowInputs[m] = UnsafePointer(projection2 + (offsets[m] + t) * g2) }
                let tail = padding.projection2(at: t)
                for m in active..<b { w.rowInputs[m] = tail }
                lstm2.fusedStep(inputs: w.rowInputs, hIn: hIn, hOut: hOut, c: c2, rows: b, scratch: w.productScratch)
                swap(&hIn, &hOut)
            }
            if hIn != h2 { h2.update(from: hIn, count: b * hidden2) }
            return
        }
        lstm2.project(output1, rows: rows, into: projection2, scratch: w.productScratch)
        let gates2 = w.gates2.reserve(b * g2)
        for t in 0..<positions {
            while active > 0 && lengths[active - 1] <= t { active -= 1 }
            for m in 0..<active { (gates2 + m * g2).update(from: projection2 + (offsets[m] + t) * g2, count: g2) }
            let tail = padding.projection2(at: t)
            for m in active..<b { (gates2 + m * g2).update(from: tail, count: g2) }
            lstm2.step(gates: gates2, h: h2, c: c2, rows: b, scratch: w.productScratch)
        }
    }
}

/// The part of ChemNet's computation that every molecule shares: the first LSTM's states after
/// k zero inputs from zero states (k = 0 … 88), and the second LSTM's input projection of the
/// first LSTM's output at each tail position.
final class PaddingTrajectory: @unchecked Sendable {
    /// [(positions + 1), 128] each: state after k zero steps.
    let h1: UnsafeMutablePointer<Float>
    let c1: UnsafeMutablePointer<Float>
    /// [positions, 2048]: W_ih·y + b for the first LSTM's output y read at position t when t is
    /// past the molecule (y = the hidden state after 88 − t zero steps); with its gate columns
    /// interleaved where the second LSTM uses the fused step (`LSTM.projectInterleaved`).
    let tail2: UnsafeMutablePointer<Float>
    let hidden1: Int
    let gates2: Int

    init(lstm1: LSTM, lstm2: LSTM, positions: Int) {
        hidden1 = lstm1.hiddenSize
        gates2 = lstm2.gateWidth
        h1 = .allocate(capacity: (positions + 1) * hidden1)
        c1 = .allocate(capacity: (positions + 1) * hidden1)
        tail2 = .allocate(capacity: positions * gates2)
        h1.update(repeating: 0, count: hidden1)
        c1.update(repeating: 0, count: hidden1)
        var gates = [Float](repeating: 0, count: lstm1.gateWidth)
        let zeros = [Float](repeating: 0, count: lstm1.inputSize)
        let scratch = FloatBuffer()
        for k in 1...positions {
            (h1 + k * hidden1).update(from: h1 + (k - 1) * hidden1, count: hidden1)
            (c1 + k * hidden1).update(from: c1 + (k - 1) * hidden1, count: hidden1)
            lstm1.project(zeros, rows: 1, into: &gates, scratch: scratch)
            lstm1.step(gates: &gates, h: h1 + k * hidden1, c: c1 + k * hidden1, rows: 1, scratch: scratch)
        }
        for t in 0..<positions {
            if lstm2.usesFusedStep {
                lstm2.projectInterleaved(h1 + (positions - t) * hidden1, rows: 1, into: tail2 + t * gates2, scratch: scratch)
            } else {
                lstm2.project(h1 + (positions - t) * hidden1, rows: 1, into: tail2 + t * gates2, scratch: scratch)
            }
        }
    }

    deinit {
        h1.deallocate()
        c1.deallocate()
        tail2.deallocate()
    }

    func state1(after steps: Int, h: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>) {
        h.update(from: h1 + steps * hidden1, count: hidden1)
        c.update(from: c1 + steps * hidden1, count: hidden1)
    }

    func projection2(at t: Int) -> UnsafePointer<Float> { UnsafePointer(tail2 + t * gates2) }
}

/// A ChemNet weights file that cannot be used, with the file named.
public struct ChemNetError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let problem: String
    public var description: String { "ChemNet weights \(path): \(problem)" }
}
