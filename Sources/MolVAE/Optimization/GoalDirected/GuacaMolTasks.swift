/// The multi-property tasks of `guacamol/standard_benchmarks.py`, one function each, named
/// after the Python function's molecule; every constant is the package's.
public enum GuacaMolTasks {
    private static func task(_ name: String, _ key: String, _ scoring: any MoleculeScoringFunction) -> GoalDirectedTask {
        GoalDirectedTask(name: name, key: key, scoring: scoring, contributions: GuacaMolSuite.uniform(1, 10, 100))
    }

    private static func value(_ descriptor: GoalDirectedDescriptor, of smiles: String) throws -> Double {
        guard let value = descriptor.value(of: try Molecule(smiles: smiles)) else {
            throw PropertyError(description: "\(descriptor) of \(smiles) failed")
        }
        return value
    }

    /// `median_camphor_menthol()`
    public static func medianCamphorMenthol() throws -> GoalDirectedTask {
        task("Median molecules 1", "median-molecules-1", GeometricMeanScoring([
            try TanimotoScoring(target: "CC(C)C1CCC(C)CC1O", fingerprint: .ecfp4),
            try TanimotoScoring(target: "CC1(C)C2CCC1(C)C(=O)C2", fingerprint: .ecfp4),
        ]))
    }

    /// `median_tadalafil_sildenafil()`
    public static func medianTadalafilSildenafil() throws -> GoalDirectedTask {
        task("Median molecules 2", "median-molecules-2", GeometricMeanScoring([
            try TanimotoScoring(target: "O=C1N(CC(N2C1CC3=C(C2C4=CC5=C(OCO5)C=C4)NC6=C3C=CC=C6)=O)C", fingerprint: .ecfp6),
            try TanimotoScoring(target: "CCCC1=NN(C2=C1N=C(NC2=O)C3=C(C=CC(=C3)S(=O)(=O)N4CCN(CC4)C)OCC)C",
                                fingerprint: .ecfp6),
        ]))
    }

    /// `hard_osimertinib()`
    public static func osimertinib() throws -> GoalDirectedTask {
        let smiles = "COc1cc(N(C)CCN(C)C)c(NC(=O)C=C)cc1Nc2nccc(n2)c3cn(C)c4ccccc34"
        return task("Osimertinib MPO", "osimertinib-mpo", GeometricMeanScoring([
            try TanimotoScoring(target: smiles, fingerprint: .fcfp4, modifier: .clipped(upperX: 0.8)),
            try TanimotoScoring(target: smiles, fingerprint: .ecfp6, modifier: .minGaussian(mu: 0.85, sigma: 0.1)),
            DescriptorScoring(.tpsa, modifier: .maxGaussian(mu: 100, sigma: 10)),
            DescriptorScoring(.logP, modifier: .minGaussian(mu: 1, sigma: 1)),
        ]))
    }

    /// `hard_fexofenadine()`
    public static func fexofenadine() throws -> GoalDirectedTask {
        let smiles = "CC(C)(C(=O)O)c1ccc(cc1)C(O)CCCN2CCC(CC2)C(O)(c3ccccc3)c4ccccc4"
        return task("Fexofenadine MPO", "fexofenadine-mpo", GeometricMeanScoring([
            try TanimotoScoring(target: smiles, fingerprint: .atomPairs, modifier: .clipped(upperX: 0.8)),
            DescriptorScoring(.tpsa, modifier: .maxGaussian(mu: 90, sigma: 10)),
            DescriptorScoring(.logP, modifier: .minGaussian(mu: 4, sigma: 1)),
        ]))
    }

    /// `ranolazine_mpo()` (the v2 one: geometric mean with TPSA; the starting population
    /// [ranolazine] is the generator's business)
    public static func ranolazine() throws -> GoalDirectedTask {
        let ranolazine = "COc1ccccc1OCC(O)CN2CCN(CC(=O)Nc3c(C)cccc3C)CC2"
        return task("Ranolazine MPO", "ranolazine-mpo", GeometricMeanScoring([
            try TanimotoScoring(target: ranolazine, fingerprint: .atomPairs, modifier: .clipped(upperX: 0.7)),
            DescriptorScoring(.logP, modifier: .maxGaussian(mu: 7, sigma: 1)),
            DescriptorScoring(.atomCount(element: "F"), modifier: .gaussian(mu: 1, sigma: 1.0)),
            DescriptorScoring(.tpsa, modifier: .maxGaussian(mu: 95, sigma: 20)),
        ]))
    }

    /// `perindopril_rings()`
    public static func perindopril() throws -> GoalDirectedTask {
        task("Perindopril MPO", "perindopril-mpo", GeometricMeanScoring([
            try TanimotoScoring(target: "O=C(OCC)C(NC(C(=O)N1C(C(=O)O)CC2CCCCC12)C)CCC", fingerprint: .ecfp4),
            DescriptorScoring(.aromaticRings, modifier: .gaussian(mu: 2, sigma: 0.5)),
        ]))
    }

    /// `amlodipine_rings()`
    public static func amlodipine() throws -> GoalDirectedTask {
        task("Amlodipine MPO", "amlodipine-mpo", GeometricMeanScoring([
            try TanimotoScoring(target: #"Clc1ccccc1C2C(=C(/N/C(=C2/C(=O)OCC)COCCN)C)\C(=O)OC"#, fingerprint: .ecfp4),
            DescriptorScoring(.rings, modifier: .gaussian(mu: 3, sigma: 0.5)),
        ]))
    }

    /// `sitagliptin_replacement()`
    public static func sitagliptin() throws -> GoalDirectedTask {
        let smiles = "Fc1cc(c(F)cc1F)CC(N)CC(=O)N3Cc2nnc(n2CC3)C(F)(F)F"
        return task("Sitagliptin MPO", "sitagliptin-mpo", GeometricMeanScoring([
            try TanimotoScoring(target: smiles, fingerprint: .ecfp4, modifier: .gaussian(mu: 0, sigma: 0.1)),
            DescriptorScoring(.logP, modifier: .gaussian(mu: try value(.logP, of: smiles), sigma: 0.2)),
            DescriptorScoring(.tpsa, modifier: .gaussian(mu: try value(.tpsa, of: smiles), sigma: 5)),
            IsomerScoring(formula: "C16H15F6N5O"),
        ]))
    }

    /// `zaleplon_with_other_formula()`
    public static func zaleplon() throws -> GoalDirectedTask {
        task("Zaleplon MPO", "zaleplon-mpo", GeometricMeanScoring([
            try TanimotoScoring(target: "O=C(C)N(CC)C1=CC=CC(C2=CC=NC3=C(C=NN23)C#N)=C1", fingerprint: .ecfp4),
            IsomerScoring(formula: "C19H17N3O2"),
        ]))
    }

    /// `valsartan_smarts()`: `smarts_with_other_target(valsartan SMARTS, sitagliptin)`.
    public static func valsartanSMARTS() throws -> GoalDirectedTask {
        let sitagliptin = "NC(CC(=O)N1CCn2c(nnc2C(F)(F)F)C1)Cc1cc(F)c(F)cc1F"
        return task("Valsartan SMARTS", "valsartan-smarts", GeometricMeanScoring([
            try SubstructureScoring(smarts: "CN(C=O)Cc1ccc(c2ccccc2)cc1"),
            DescriptorScoring(.logP, modifier: .gaussian(mu: try value(.logP, of: sitagliptin), sigma: 0.2)),
            DescriptorScoring(.tpsa, modifier: .gaussian(mu: try value(.tpsa, of: sitagliptin), sigma: 5)),
            DescriptorScoring(.bertz, modifier: .gaussian(mu: try value(.bertz, of: sitagliptin), sigma: 30)),
        ]))
    }

    /// `decoration_hop()`
    public static func decorationHop() throws -> GoalDirectedTask {
        let smiles = "CCCOc1cc2ncnc(Nc3ccc4ncsc4c3)c2cc1S(=O)(=O)C(C)(C)C"
        return task("Deco Hop", "deco-hop", ArithmeticMeanScoring([
            try TanimotoScoring(target: smiles, fingerprint: .pharmacophore, modifier: .clipped(upperX: 0.85)),
            try SubstructureScoring(smarts: "CS([#6])(=O)=O", inverse: true),
            try SubstructureScoring(smarts: "[#7]-c1ccc2ncsc2c1", inverse: true),
            try SubstructureScoring(smarts: "[#7]-c1n[c;h1]nc2[c;h1]c(-[#8])[c;h0][c;h1]c12", inverse: false),
        ]))
    }

    /// `scaffold_hop()`
    public static func scaffoldHop() throws -> GoalDirectedTask {
        let smiles = "CCCOc1cc2ncnc(Nc3ccc4ncsc4c3)c2cc1S(=O)(=O)C(C)(C)C"
        return task("Scaffold Hop", "scaffold-hop", ArithmeticMeanScoring([
            try TanimotoScoring(target: smiles, fingerprint: .pharmacophore, modifier: .clipped(upperX: 0.75)),
            try SubstructureScoring(smarts: "[#6]-[#6]-[#6]-[#8]-[#6]~[#6]~[#6]~[#6]~[#6]-[#7]-c1ccc2ncsc2c1",
                                    inverse: false),
            try SubstructureScoring(smarts: "[#7]-c1n[c;h1]nc2[c;h1]c(-[#8])[c;h0][c;h1]c12", inverse: true),
        ]))
    }
}
