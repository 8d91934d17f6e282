extension SmilesVAE {
    /// Teacher-forced token accuracy of the last forward(): how many target tokens (including
    /// <eos>) are the argmax of the decoder's logits. Call after forward() and before backward().
    /// forward() leaves softmax − onehot(target) in the logits buffer, so the target's
    /// probability is that value + 1 and the argmax is recovered exactly.
    public func lastForwardTokenAccuracy() -> (correct: Int, total: Int) {
        precondition(hasForward, "token accuracy needs a forward first")
        let n = decoderLayout.total, v = config.vocabSize
        let p = outputHead.output.pointer, tg = targets.pointer
        var correct = 0
        for r in 0..<n {
            let row = p + r * v, t = Int(tg[r])
            let pt = row[t] + 1
            var best = true
            for j in 0..<v where j != t && row[j] > pt { best = false; break }
            if best { correct += 1 }
        }
        return (correct, n)
    }
}
