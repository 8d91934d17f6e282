import Foundation

/// The SMILES VAE: conv encoder over token vectors with masked pooling, Gaussian latent,
/// GRU decoder fed [embedding(previous token) ; z] at every step (z projected once per
/// molecule), linear head to vocabulary logits.
///
/// Usage per training step: zeroGradients(); let loss = forward(batch, epsilon:);
/// backward(reconWeight:klWeight:); clip; optimiser update. forward sorts the batch by length
/// (longest first) internally; everything exposed (mu, logvar, gradient inputs) is in the
/// batch's own order.
public final class SmilesVAE {
    public let config: VAEConfig
    public let encoderEmbedding: Embedding
    public let convs: [Conv1d]
    public let pool: MaskedPooling
    public let encoderDense: Linear
    public let muHead: Linear
    public let logvarHead: Linear
    public let latentToHidden: Linear
    public let decoderEmbedding: Embedding
    public let gru: GRU
    public let outputHead: Linear
    /// The input-gate rows of the decoder's structure features ([categories, 3H]), when the
    /// configuration has them (`StructureFeatures`); they start at zero.
    public let structureGates: Parameter?
    public let parameters: [Parameter]
    /// The vocabulary's structure roles, which the structure features are computed from: given
    /// at construction exactly when the configuration has the features.
    public let structure: StructureFeatures?

    // Per-batch state (sorted order unless named otherwise). Arrays keep their capacity.
    var order: [Int] = []          // sorted row -> batch row
    var sortCounts: [Int] = []
    var batchSize = 0
    let encoderLayout = RaggedLayout()
    let decoderLayout = TimeMajorLayout()
    let encoderIds = IntBuffer()
    let decoderIds = IntBuffer()
    let targets = IntBuffer()
    let structureIds = IntBuffer()
    let epsSorted = FloatBuffer()
    let z = FloatBuffer()
    let dz = FloatBuffer()
    let dmu = FloatBuffer()
    let dlogvar = FloatBuffer()
    let dDense = FloatBuffer()
    let dPooled = FloatBuffer()
    let dConv = [FloatBuffer(), FloatBuffer()]
    let dEncoderInput = FloatBuffer()
    let dGRUOutput = FloatBuffer()
    let dh0 = FloatBuffer()
    /// mu and logvar of the last forward/encode, [batch, latent], in the batch's order.
    public let mu = FloatBuffer()
    public let logvar = FloatBuffer()
    /// When set, forward() replaces decoder input tokens (not <bos>) by <unk> as the draw says
    /// (word dropout, Bowman et al. 2016). Training sets it per step; nil for evaluation.
    public var wordDropout: WordDropout?
    var hasForward = false
    /// What the last forward divided its losses by (the batch size, or a global batch's).
    var lossDivisor = 1

    /// `structure`: the vocabulary's roles (`StructureFeatures(vocabulary:)`), required for a
    /// configuration with structure features and refused for one without.
    public init(config: VAEConfig, seed: UInt64 = 0, structure: StructureFeatures? = nil) throws {
        try config.validate()
        if let structure {
            guard config.hasStructureFeatures else {
                throw VAEConfigError(reason: "structure roles given to a configuration without structure features")
            }
            guard structure.roles.count == config.vocabSize else {
                throw VAEConfigError(reason: "structure roles for \(structure.roles.count) tokens, vocabSize is \(config.vocabSize)")
            }
        } else if config.hasStructureFeatures {
            throw VAEConfigError(reason: "structure features need the vocabulary's structure roles")
        }
        self.config = config
        self.structure = structure
        let v = config.vocabSize
        encoderEmbedding = Embedding(name: "encoder.embedding", count: v, dim: config.encoderInputDim)
        var c = config.encoderInputDim
        var convs: [Conv1d] = []
        for i in 0..<config.convChannels.count {
            convs.append(Conv1d(name: "encoder.conv\(i)", inChannels: c, outChannels: config.convChannels[i],
                                kernel: config.convKernels[i], dilation: config.convDilations[i], padding: config.convPadding))
            c = config.convChannels[i]
        }
        self.convs = convs
        pool = MaskedPooling(kind: config.pooling, channels: c, positions: config.maxTokens + 1)
        encoderDense = Linear(name: "encoder.dense", inputs: pool.width, outputs: config.dense)
        muHead = Linear(name: "encoder.mu", inputs: config.dense, outputs: config.latent)
        logvarHead = Linear(name: "encoder.logvar", inputs: config.dense, outputs: config.latent)
        latentToHidden = Linear(name: "decoder.latent_to_hidden", inputs: config.latent, outputs: config.hidden * config.layers)
        decoderEmbedding = Embedding(name: "decoder.embedding", count: v, dim: config.decoderEmbedding)
        gru = GRU(name: "decoder.gru", inputSize: config.decoderEmbedding, constantSize: config.latent,
                  hiddenSize: config.hidden, layers: config.layers)
        outputHead = Linear(name: "decoder.head", inputs: config.hidden, outputs: v)
        structureGates = config.hasStructureFeatures
            ? Parameter(name: "decoder.structure_gates", shape: [StructureFeatures.categoryCount, 3 * config.hidden]) : nil
        parameters = encoderEmbedding.parameters + convs.flatMap(\.parameters) + encoderDense.parameters
            + muHead.parameters + logvarHead.parameters + latentToHidden.parameters
            + decoderEmbedding.parameters + gru.parameters + outputHead.parameters + (structureGates.map { [$0] } ?? [])
        initialise(seed: seed)
    }

    /// PyTorch's default initialisations (uniform ±1/sqrt(fan_in), N(0,1) embeddings); a
    /// one-hot encoder embedding starts as the identity.
    public func initialise(seed: UInt64) {
        var rng = CounterRNG(seed: seed, stream: 0xC0FFEE)
        if config.encoderEmbedding == 0 { encoderEmbedding.initIdentity() } else { encoderEmbedding.initNormal(rng: &rng) }
        for conv in convs { conv.initDefault(rng: &rng) }
        for l in [encoderDense, muHead, logvarHead, latentToHidden] { l.initDefault(rng: &rng) }
        decoderEmbedding.initNormal(rng: &rng)
        gru.initDefault(rng: &rng)
        outputHead.initDefault(rng: &rng)
        if let structureGates { structureGates.value.update(repeating: 0, count: structureGates.count) }
    }

    public var parameterCount: Int { parameters.scalarCount }

    public func zeroGradients() { parameters.zeroGrad() }

    /// Runs one step of the largest configured batch (maxBatch x maxTokens) so that every
    /// workspace reaches its final size; later steps of that size or smaller allocate nothing.
    public func reserveWorkspaces() {
        let seq = [Int32](repeating: TokenID.unk, count: config.maxTokens)
        let batch = TokenBatch(sequences: Array(repeating: seq, count: config.maxBatch))
        _ = forward(batch, epsilon: .zero)
        backward()
        zeroGradients()
    }

    // MARK: forward

    /// Stable counting sort of the batch rows by length, longest first.
    func sortBatch(_ batch: TokenBatch) {
        let b = batch.count
        var longest = 0
        for l in batch.lengths { longest = max(longest, l) }
        sortCounts.removeAll(keepingCapacity: true)
        for _ in 0...(longest + 1) { sortCounts.append(0) }
        for l in batch.lengths { sortCounts[longest - l + 1] += 1 }
        for i in 1..<sortCounts.count { sortCounts[i] += sortCounts[i - 1] }
        order.removeAll(keepingCapacity: true)
        for _ in 0..<b { order.append(0) }
        for (row, l) in batch.lengths.enumerated() {
            order[sortCounts[longest - l]] = row
            sortCounts[longest - l] += 1
        }
        batchSize = b
    }

    /// Encoder of the sorted batch; leaves mu/logvar in sorted order in the head buffers.
    func runEncoder(_ batch: TokenBatch) {
        let b = batchSize
        encoderLayout.removeAll()
        for i in 0..<b { encoderLayout.append(batch.lengths[order[i]] + 1) }
        let ids = encoderIds.reserve(encoderLayout.total)
        for i in 0..<b {
            let row = order[i], base = encoderLayout.offsets[i], l = batch.lengths[row]
            for t in 0..<l { ids[base + t] = batch.token(row, t) }
            ids[base + l] = TokenID.eos
        }
        var x = UnsafePointer(encoderEmbedding.forward(ids, rows: encoderLayout.total))
        var layout = encoderLayout
        for conv in convs {
            let y = conv.forward(x, layout: layout)
            let n = conv.outputLayout.total * conv.outChannels
            for i in 0..<n { y[i] = max(y[i], 0) }
            x = UnsafePointer(y)
            layout = conv.outputLayout
        }
        let pooled = pool.forward(x, layout: layout)
        let hd = encoderDense.forward(pooled, rows: b, activeInputs: pool.activeWidth)
        for i in 0..<(b * config.dense) { hd[i] = max(hd[i], 0) }
        muHead.forward(hd, rows: b)
        logvarHead.forward(hd, rows: b)
    }

    /// Copies batch-order rows of src into sorted order in dst (sortBatch done); returns dst's storage.
    @discardableResult
    func sortRows(_ src: [Float], into dst: FloatBuffer, width: Int) -> UnsafeMutablePointer<Float> {
        let d = dst.reserve(batchSize * width)
        src.withUnsafeBufferPointer { p in
            for i in 0..<batchSize { (d + i * width).update(from: p.baseAddress! + order[i] * width, count: width) }
        }
        return d
    }

    /// Copies sorted-order rows of src into batch order in dst.
    func unsort(_ src: UnsafePointer<Float>, into dst: FloatBuffer, width: Int) {
        let d = dst.reserve(batchSize * width)
        for i in 0..<batchSize { (d + order[i] * width).update(from: src + i * width, count: width) }
    }

    /// dst (sorted order) += src (batch order).
    func addUnsorted(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, width: Int) {
        for i in 0..<batchSize {
            let s = src + order[i] * width, d = dst + i * width
            for j in 0..<width { d[j] += s[j] }
        }
    }

    /// mu and logvar of a batch (no decoder work), in the batch's order, [count * latent] each.
    public func encode(_ batch: TokenBatch) -> (mu: [Float], logvar: [Float]) {
        sortBatch(batch)
        runEncoder(batch)
        let n = batchSize * config.latent
        unsort(muHead.output.pointer, into: mu, width: config.latent)
        unsort(logvarHead.output.pointer, into: logvar, width: config.latent)
        hasForward = false
        return (mu.toArray(n), logvar.toArray(n))
    }

    /// Forward pass and loss of a batch. Also computes d(recon sum)/d logits (fused softmax
    /// cross-entropy); backward() finishes the gradient. `divisor` (default: the batch's size)
    /// is the count the losses and gradients are averaged over: a rank holding part of a global
    /// batch passes the global size, so the ranks' losses and gradients sum to the batch means.
    @discardableResult
    public func forward(_ batch: TokenBatch, epsilon: Epsilon, divisor: Int? = nil) -> VAELoss {
        precondition(batch.count > 0, "empty batch")
        sortBatch(batch)
        lossDivisor = divisor ?? batch.count
        runEncoder(batch)
        let b = batchSize, lat = config.latent
        let muS = muHead.output.pointer, lvS = logvarHead.output.pointer
        unsort(muS, into: mu, width: lat)
        unsort(lvS, into: logvar, width: lat)

        let eps = epsSorted.reserve(b * lat)
        switch epsilon {
        case .given(let values):
            precondition(values.count == b * lat, "epsilon needs \(b * lat) values")
            sortRows(values, into: epsSorted, width: lat)
        case let .random(seed, step, firstRow):
            for i in 0..<b {
                var rng = CounterRNG(seed: seed, stream: (step << 24) ^ UInt64(firstRow + order[i]))
                for j in 0..<lat { eps[i * lat + j] = rng.nextNormal() }
            }
        case .zero:
            eps.update(repeating: 0, count: b * lat)
        }
        let zs = z.reserve(b * lat)
        GaussianLatent.reparameterise(mu: muS, logvar: lvS, eps: eps, z: zs, count: b * lat)

        let (logits, tg, n) = runDecoder(batch, z: zs, wordDropout: wordDropout)
        let ce = SoftmaxCrossEntropy.forwardBackward(logits: logits, targets: tg, rows: n, classes: config.vocabSize,
                                                     ignoreIndex: nil, dlogits: logits)
        let kl = GaussianLatent.kl(mu: muS, logvar: lvS, count: b * lat)
        hasForward = true
        return VAELoss(recon: ce.loss / Double(lossDivisor), kl: kl / Double(lossDivisor), tokens: ce.count, batch: b)
    }

    /// The decoder under teacher forcing for the sorted batch (sortBatch done) and its latent
    /// points zs (sorted order): h0 = tanh(W z), <bos> + tokens in (some replaced by <unk> under
    /// word dropout), tokens + <eos> as targets, GRU, output head. Returns the logits and targets
    /// (rows in decoderLayout order) and their row count. Shared by forward and logLikelihoods.
    func runDecoder(_ batch: TokenBatch, z zs: UnsafePointer<Float>, wordDropout: WordDropout?)
        -> (logits: UnsafeMutablePointer<Float>, targets: UnsafeMutablePointer<Int32>, rows: Int) {
        let b = batchSize, h = config.hidden, layers = config.layers
        let h0 = latentToHidden.forward(zs, rows: b)
        Activation.tanh.forward(h0, h0, count: b * layers * h)

        decoderLayout.set(count: b) { batch.lengths[self.order[$0]] + 1 }
        let n = decoderLayout.total
        let ids = decoderIds.reserve(n), tg = targets.reserve(n)
        for i in 0..<b {
            let row = order[i], l = batch.lengths[row]
            for t in 0...l {
                let r = decoderLayout.row(i, t)
                if t == 0 {
                    ids[r] = TokenID.bos
                } else if let wordDropout, wordDropout.drops(row: row, position: t) {
                    ids[r] = TokenID.unk
                } else {
                    ids[r] = batch.token(row, t - 1)
                }
                tg[r] = t < l ? batch.token(row, t) : TokenID.eos
            }
        }
        let out = gru.forward(tokens: ids, embedding: decoderEmbedding, constant: zs, h0: h0, h0Stride: layers * h,
                              layout: decoderLayout, gateRows: structureGateRows(batch, rows: n))
        return (outputHead.forward(out, rows: n), tg, n)
    }

    // MARK: backward

    /// Accumulates into every parameter's gradient the gradient of
    ///   reconWeight * recon + klWeight * kl + sum(muGrad ⊙ mu) + sum(logvarGrad ⊙ logvar)
    /// for the last forward (recon and kl per molecule as in VAELoss). muGrad/logvarGrad are
    /// [batch, latent] in the batch's order: d(extra loss)/d mu from a property head, or free-bits
    /// adjustments of the KL gradient.
    public func backward(reconWeight: Float = 1, klWeight: Float = 1,
                         muGrad: UnsafePointer<Float>? = nil, logvarGrad: UnsafePointer<Float>? = nil) {
        precondition(hasForward, "backward needs a forward first")
        let b = batchSize, lat = config.latent, h = config.hidden, layers = config.layers
        let n = decoderLayout.total
        let scale = reconWeight / Float(lossDivisor)
        let dOut = dGRUOutput.reserve(n * h)
        outputHead.backward(gru.outputs[layers - 1].pointer, outputHead.output.pointer, rows: n, dx: dOut, scale: scale)
        let dh = dh0.reserve(b * layers * h)
        gru.backward(dOut: dOut, layout: decoderLayout, dh0: dh, h0Stride: layers * h)
        // The GRU accumulated the decoder embedding's gradient itself (token-input mode).
        let h0 = latentToHidden.output.pointer
        Activation.tanh.backward(h0, h0, dh, dh, count: b * layers * h)
        let dzs = dz.reserve(b * lat)
        dzs.update(from: gru.constantGrad.pointer, count: b * lat)
        latentToHidden.backward(z.pointer, dh, rows: b, dx: dzs, accumulate: true)

        let muS = muHead.output.pointer, lvS = logvarHead.output.pointer
        let dm = dmu.reserve(b * lat), dl = dlogvar.reserve(b * lat)
        dm.update(repeating: 0, count: b * lat)
        dl.update(repeating: 0, count: b * lat)
        GaussianLatent.reparameteriseBackward(dz: dzs, logvar: lvS, eps: epsSorted.pointer, dmu: dm, dlogvar: dl, count: b * lat)
        if klWeight != 0 {
            GaussianLatent.klBackward(mu: muS, logvar: lvS, scale: klWeight / Float(lossDivisor), dmu: dm, dlogvar: dl, count: b * lat)
        }
        if let muGrad { addUnsorted(muGrad, into: dm, width: lat) }
        if let logvarGrad { addUnsorted(logvarGrad, into: dl, width: lat) }
        let hd = encoderDense.output.pointer
        let dd = dDense.reserve(b * config.dense)
        muHead.backward(hd, dm, rows: b, dx: dd)
        logvarHead.backward(hd, dl, rows: b, dx: dd, accumulate: true)
        Activation.relu.backward(hd, hd, dd, dd, count: b * config.dense)
        let dp = dPooled.reserve(b * pool.width)
        encoderDense.backward(pool.output.pointer, dd, rows: b, dx: dp, activeInputs: pool.activeWidth)

        var layout = convs.last!.outputLayout
        var dy = dConv[0].reserve(layout.total * pool.channels)
        pool.backward(dp, layout: layout, dx: dy)
        for i in stride(from: convs.count - 1, through: 0, by: -1) {
            let conv = convs[i], y = conv.output.pointer
            Activation.relu.backward(y, y, dy, dy, count: layout.total * conv.outChannels)
            let inLayout = i == 0 ? encoderLayout : convs[i - 1].outputLayout
            let dx = i == 0 ? dEncoderInput.reserve(inLayout.total * conv.inChannels)
                            : dConv[(convs.count - i) % 2].reserve(inLayout.total * conv.inChannels)
            conv.backward(dy, layout: inLayout, dx: dx)
            dy = dx
            layout = inLayout
        }
        encoderEmbedding.backward(encoderIds.pointer, dEncoderInput.pointer, rows: encoderLayout.total)
        hasForward = false
    }
}
