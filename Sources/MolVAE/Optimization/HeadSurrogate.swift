/// The part of an objective that the property head can predict, as a linear function of the
/// head's standardised outputs: `offset + Σ_j weights[j] · prediction_j`. Gradient ascent climbs
/// this surrogate; RDKit then scores the decoded molecules with the full objective.
///
/// The head predicts logP, QED and SA, so penalized logP loses its ring penalty (taken as zero)
/// and a molecular-weight window has no surrogate at all; those terms are listed in `omitted`.
public struct HeadSurrogate: Sendable {
    /// Weights on the head's standardised outputs, in the head's output order.
    public let weights: [Float]
    /// The constant part (means of the standardisation, constants of the normalised form).
    public let offset: Double
    /// Terms (or parts of terms) the head cannot predict, by name.
    public let omitted: [String]
}

extension Objective {
    /// The surrogate of this objective for a head trained on `standardisation`'s properties.
    /// Throws when no term can be predicted (nothing to climb).
    public func headSurrogate(for standardisation: PropertyStandardisation) throws(OptimizationError) -> HeadSurrogate {
        // Coefficients on raw property values (logp, qed, sa) and a constant.
        var coefficients: [String: Double] = [:]
        var offset = 0.0
        var omitted: [String] = []
        for term in terms {
            let w = term.weight
            switch term.property {
            case .logP: coefficients["logp", default: 0] += w
            case .qed: coefficients["qed", default: 0] += w
            case .syntheticAccessibility: coefficients["sa", default: 0] += w
            case .rawPenalizedLogP:
                coefficients["logp", default: 0] += w
                coefficients["sa", default: 0] -= w
                omitted.append("ring penalty of plogp-raw")
            case .penalizedLogP:
                // (logP − mL)/sL + (−SA + mS)/sS + (−cycle + mC)/sC with cycle taken as 0.
                let (mL, sL) = (2.4570953396190123, 1.434324401111988)
                let (mS, sS) = (3.0525811293166134, 0.8335207024513095)
                let (mC, sC) = (0.0485696876403053, 0.2860212110245455)
                coefficients["logp", default: 0] += w / sL
                coefficients["sa", default: 0] -= w / sS
                offset += w * (-mL / sL + mS / sS + mC / sC)
                omitted.append("ring penalty of plogp")
            case .molecularWeightWindow:
                omitted.append(term.property.name)
            }
        }
        var weights = [Float](repeating: 0, count: standardisation.names.count)
        var used = false
        for (name, c) in coefficients where c != 0 {
            guard let j = standardisation.names.firstIndex(of: name) else {
                omitted.append(name + " (not predicted by this model's head)")
                continue
            }
            // value_j = sd_j · prediction_j + mean_j
            weights[j] = Float(c * standardisation.sds[j])
            offset += c * standardisation.means[j]
            used = true
        }
        guard used else {
            throw OptimizationError("objective \"\(text)\": the property head predicts only "
                                    + "\(standardisation.names.joined(separator: ", ")), so gradient ascent has nothing to climb; "
                                    + "use --method cmaes, bo or interpolate")
        }
        return HeadSurrogate(weights: weights, offset: offset, omitted: omitted.sorted())
    }
}
