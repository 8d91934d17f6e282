/// GuacaMol's `IsomerScoringFunction`: closeness to a molecular formula. One Gaussian term
/// (σ = 1) per element on its atom count, one (σ = 2) on the total atom count with hydrogens,
/// combined by a geometric (GuacaMol's default) or arithmetic mean.
public struct IsomerScoring: MoleculeScoringFunction {
    public enum Mean: String, Sendable {
        case geometric, arithmetic
    }

    public let formula: String
    public let mean: Mean
    /// `parse_molecular_formula`: (element, count) in the formula's order.
    public let elements: [(symbol: String, count: Int)]

    public init(formula: String, mean: Mean = .geometric) {
        self.formula = formula
        self.mean = mean
        elements = IsomerScoring.parse(formula)
    }

    /// `re.findall(r'([A-Z][a-z]*)(\d*)', formula)`, a missing count being 1.
    public static func parse(_ formula: String) -> [(symbol: String, count: Int)] {
        var out: [(String, Int)] = []
        let chars = Array(formula.unicodeScalars)
        var i = 0
        while i < chars.count {
            guard ("A"..."Z").contains(chars[i]) else {
                i += 1
                continue
            }
            var symbol = String(chars[i])
            i += 1
            while i < chars.count, ("a"..."z").contains(chars[i]) {
                symbol.unicodeScalars.append(chars[i])
                i += 1
            }
            var digits = ""
            while i < chars.count, ("0"..."9").contains(chars[i]) {
                digits.unicodeScalars.append(chars[i])
                i += 1
            }
            out.append((symbol, digits.isEmpty ? 1 : Int(digits) ?? 1))
        }
        return out
    }

    public func score(_ molecule: Molecule) -> Double? {
        guard let counted = try? molecule.elementCounts(elements.map(\.symbol)) else { return nil }
        var scores: [Double] = []
        for (element, n) in zip(elements, counted.counts) {
            scores.append(ScoreModifier.gaussian(mu: Double(element.count), sigma: 1.0)(Double(n)))
        }
        let total = elements.reduce(0) { $0 + $1.count }
        scores.append(ScoreModifier.gaussian(mu: Double(total), sigma: 2.0)(Double(counted.atomsWithHydrogens)))
        switch mean {
        case .geometric: return GuacaMolScore.geometricMean(scores)
        case .arithmetic: return GuacaMolScore.arithmeticMean(scores)
        }
    }
}

extension IsomerScoring: Equatable {
    public static func == (a: IsomerScoring, b: IsomerScoring) -> Bool {
        a.formula == b.formula && a.mean == b.mean
    }
}
