import Foundation

/// Softmax cross-entropy over the classes of each row, fused with its gradient: one pass
/// finds the max (numerical stability), one sums exp, one writes softmax − onehot.
/// Rows whose target is `ignoreIndex` (padding) contribute nothing and get zero gradient.
public enum SoftmaxCrossEntropy {
    /// Returns the summed loss over non-ignored rows (in Double) and the number of such rows;
    /// writes d(sum loss)/d logits into dlogits (may alias logits).
    public static func forwardBackward(logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>, rows: Int, classes: Int,
                                       ignoreIndex: Int32? = 0, dlogits: UnsafeMutablePointer<Float>) -> (loss: Double, count: Int) {
        var total = 0.0, counted = 0
        for r in 0..<rows {
            let x = logits + r * classes, d = dlogits + r * classes
            let target = targets[r]
            if let ignoreIndex, target == ignoreIndex {
                d.update(repeating: 0, count: classes)
                continue
            }
            precondition(target >= 0 && Int(target) < classes, "target \(target) outside \(classes) classes")
            var m = x[0]
            for j in 1..<max(1, classes) { m = max(m, x[j]) }
            let xt = x[Int(target)]
            var s = Float(0)
            for j in 0..<classes { let e = Foundation.exp(x[j] - m); d[j] = e; s += e }
            let inv = 1 / s
            for j in 0..<classes { d[j] *= inv }
            d[Int(target)] -= 1
            total += Double(Foundation.log(s) + m - xt)
            counted += 1
        }
        return (total, counted)
    }
}
