import Foundation

/// What a latent search maximises, computed by RDKit from a decoded molecule's properties.
///
/// An objective is a weighted sum of terms, written as text: `qed`, `plogp`, `5*qed-sa`,
/// `logp+mw:250-350`. Every term is a property's value and the sum is maximised, so a minus
/// sign minimises a term. The one exception is the lone objective `sa`: SA is a score to
/// minimise, so `sa` alone means `-sa` (reported scores are −SA, higher is better).
public struct Objective: Sendable, CustomStringConvertible, Equatable {
    /// A property a term can name.
    public enum Property: Sendable, Equatable {
        /// Normalised penalized logP (the JT-VAE/GCPN benchmark form), `plogp`.
        case penalizedLogP
        /// Raw penalized logP, logP − SA − ring penalty, `plogp-raw`.
        case rawPenalizedLogP
        /// QED (0…1), `qed`.
        case qed
        /// Crippen logP, `logp`.
        case logP
        /// SA score (1 easy … 10 hard), `sa`.
        case syntheticAccessibility
        /// 1 inside the molecular-weight window, falling as a Gaussian (sd 25 Da) outside it:
        /// `mw:LO-HI`. Added to another objective it acts as a soft constraint.
        case molecularWeightWindow(ClosedRange<Double>)

        public var name: String {
            switch self {
            case .penalizedLogP: return "plogp"
            case .rawPenalizedLogP: return "plogp-raw"
            case .qed: return "qed"
            case .logP: return "logp"
            case .syntheticAccessibility: return "sa"
            case .molecularWeightWindow(let w): return "mw:\(Self.number(w.lowerBound))-\(Self.number(w.upperBound))"
            }
        }

        /// Width (sd, Da) of the Gaussian fall-off outside a molecular-weight window.
        public static let windowFallOff = 25.0

        public func value(_ p: MolecularProperties) -> Double {
            switch self {
            case .penalizedLogP: return p.normalizedPenalizedLogP
            case .rawPenalizedLogP: return p.penalizedLogP
            case .qed: return p.qed
            case .logP: return p.logP
            case .syntheticAccessibility: return p.syntheticAccessibility
            case .molecularWeightWindow(let w):
                let distance = p.molecularWeight < w.lowerBound ? w.lowerBound - p.molecularWeight
                    : p.molecularWeight > w.upperBound ? p.molecularWeight - w.upperBound : 0
                let x = distance / Self.windowFallOff
                return Foundation.exp(-0.5 * x * x)
            }
        }

        static func number(_ x: Double) -> String {
            x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
        }
    }

    public struct Term: Sendable, Equatable {
        public var weight: Double
        public var property: Property
    }

    public let terms: [Term]
    /// The text the objective was parsed from.
    public let text: String

    /// The names `--help` lists.
    public static let help = """
        plogp (penalized logP, JT-VAE normalised form), plogp-raw (logP - SA - ring penalty), \
        qed, logp, sa (minimised: 'sa' alone scores -SA), mw:LO-HI (1 inside the weight window, \
        Gaussian fall-off of sd 25 Da outside), and weighted sums of these such as 5*qed-sa \
        (each name is the property's value; the sum is maximised)
        """

    public init(terms: [Term], text: String) {
        self.terms = terms
        self.text = text
    }

    /// The score of a molecule with these properties (higher is better).
    public func score(_ p: MolecularProperties) -> Double {
        terms.reduce(0) { $0 + $1.weight * $1.property.value(p) }
    }

    /// The objective as a formula, e.g. "5·qed − sa".
    public var description: String {
        var s = ""
        for (i, t) in terms.enumerated() {
            let magnitude = abs(t.weight)
            let factor = magnitude == 1 ? "" : Property.number(magnitude) + "·"
            if i == 0 { s += (t.weight < 0 ? "−" : "") + factor + t.property.name } else {
                s += (t.weight < 0 ? " − " : " + ") + factor + t.property.name
            }
        }
        return s
    }

    public static func == (a: Objective, b: Objective) -> Bool { a.terms == b.terms }
}

/// Why an objective's text was not understood; the message lists what is.
public struct ObjectiveError: Error, CustomStringConvertible, Sendable {
    public let text: String
    public let reason: String
    public var description: String {
        "objective \"\(text)\": \(reason). Known objectives: \(Objective.help)"
    }
}

extension Objective {
    /// Parses `qed`, `plogp-raw`, `5*qed-sa`, `0.5*logp + mw:200-400`, … Names are matched
    /// longest first, so `plogp-raw` is one name while `plogp-sa` is plogp minus sa.
    public init(parsing text: String) throws(ObjectiveError) {
        let chars = Array(text.lowercased().filter { !$0.isWhitespace })
        guard !chars.isEmpty else { throw ObjectiveError(text: text, reason: "it is empty") }
        var i = 0
        var terms: [Term] = []
        func fail(_ reason: String) -> ObjectiveError { ObjectiveError(text: text, reason: reason) }

        func number() -> Double? {
            var j = i
            while j < chars.count, chars[j].isNumber || chars[j] == "." { j += 1 }
            guard j > i else { return nil }
            // An exponent: e, an optional sign, digits.
            if j < chars.count, chars[j] == "e" {
                var k = j + 1
                if k < chars.count, chars[k] == "+" || chars[k] == "-" { k += 1 }
                let digits = k
                while k < chars.count, chars[k].isNumber { k += 1 }
                if k > digits { j = k }
            }
            guard let value = Double(String(chars[i..<j])), value.isFinite else { return nil }
            i = j
            return value
        }

        func property() throws(ObjectiveError) -> Property {
            let rest = String(chars[i...])
            if rest.hasPrefix("mw:") {
                i += 3
                let start = i
                guard let lo = number() else { throw fail("mw: needs a window LO-HI in daltons, e.g. mw:250-350") }
                guard i < chars.count, chars[i] == "-" else { throw fail("mw: needs a window LO-HI in daltons, e.g. mw:250-350") }
                i += 1
                guard let hi = number() else { throw fail("mw: needs a window LO-HI in daltons, e.g. mw:250-350") }
                guard lo >= 0, lo <= hi else {
                    throw fail("the weight window \(String(chars[start..<i])) must have 0 ≤ LO ≤ HI")
                }
                return .molecularWeightWindow(lo...hi)
            }
            let names: [(String, Property)] = [("plogp-raw", .rawPenalizedLogP), ("plogp", .penalizedLogP), ("qed", .qed),
                                               ("logp", .logP), ("sa", .syntheticAccessibility)]
            for (name, p) in names where rest.hasPrefix(name) {
                let end = i + name.count
                // A name must end at an operator or the end: "qedx" is not qed.
                if end < chars.count, chars[end].isLetter || chars[end].isNumber || chars[end] == "_" { continue }
                i = end
                return p
            }
            var end = i
            while end < chars.count, !"+-*".contains(chars[end]) { end += 1 }
            let word = end > i ? String(chars[i..<end]) : String(chars[i...].prefix(1))
            throw fail("unknown term \"\(word)\"")
        }

        while i < chars.count {
            var sign = 1.0
            if chars[i] == "+" || chars[i] == "-" {
                sign = chars[i] == "-" ? -1 : 1
                i += 1
            } else if !terms.isEmpty {
                throw fail("expected + or - before \"\(String(chars[i...]))\"")
            }
            guard i < chars.count else { throw fail("it ends with an operator") }
            var weight = 1.0
            if let w = number() {
                weight = w
                guard i < chars.count, chars[i] == "*" else { throw fail("a weight needs '*' before its property, e.g. 5*qed") }
                i += 1
                guard i < chars.count else { throw fail("it ends with an operator") }
            }
            terms.append(Term(weight: sign * weight, property: try property()))
        }
        // SA is minimised: the lone objective `sa` means −SA.
        if String(chars) == "sa" { terms[0].weight = -1 }
        self.init(terms: terms, text: text)
    }
}

/// An objective is a scoring function: RDKit's properties of the molecule, combined; nil when
/// RDKit cannot compute them. This is how `MoleculeOracle` scores a search of `molvae optimize`.
extension Objective: MoleculeScoringFunction {
    public func score(_ molecule: Molecule) -> Double? {
        guard let properties = try? molecule.properties() else { return nil }
        return score(properties)
    }
}
