// swift-tools-version: 6.1
import Foundation
import PackageDescription

// RDKit 2022.09 (Debian librdkit-dev) is linked library by library; the shim is the only
// target that sees C++, and it exposes a plain C header to Swift.
let rdkitLibraries = [
    "RDKitFilterCatalog", "RDKitMolDraw2D", "RDKitChemTransforms", "RDKitFingerprints",
    "RDKitDescriptors", "RDKitMolChemicalFeatures", "RDKitChemicalFeatures", "RDKitPartialCharges", "RDKitSubstructMatch", "RDKitSmilesParse",
    "RDKitFileParsers", "RDKitDepictor", "RDKitCatalogs", "RDKitSubgraphs",
    "RDKitGraphMol", "RDKitDataStructs", "RDKitRDGeometryLib",
    "RDKitRDGeneral",
]

let package = Package(
    name: "molvae",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "MolVAE", targets: ["MolVAE"]),
        .executable(name: "molvae", targets: ["molvae"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(
            name: "CMolShim",
            cxxSettings: [
                .headerSearchPath("."),
                .unsafeFlags(["-I/usr/include/rdkit", "-std=c++17", "-O2", "-w"]),
            ],
            linkerSettings: rdkitLibraries.map { .linkedLibrary($0) }
        ),
        // Popcount kernels for fingerprint similarity (AVX-512 VPOPCNTDQ chosen at run time).
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3"])]),
        // Open MPI, loaded with dlopen only under mpirun: no link-time dependency (docs/SCALING.md).
        .target(name: "CMPI", cSettings: [.unsafeFlags(["-O2"])], linkerSettings: [.linkedLibrary("dl")]),
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(
            name: "MolVAE",
            dependencies: ["CMolShim", "CKernels", "CMPI", "CBLAS", "CZlib"],
            // Numeric loops are 10-100x slower unoptimised; keep the library fast in debug builds too.
            swiftSettings: [.unsafeFlags(["-O"])]
        ),
        .executableTarget(
            name: "molvae",
            dependencies: [
                "MolVAE",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // jemalloc instead of glibc's malloc: RDKit allocates and frees small objects at a
            // high rate (molecule copies, queries, SMILES strings), and a report's chemistry
            // spends about 25% less CPU time with it (docs/benchmarks.md). Only the command
            // links it; the library and the tests use the system allocator.
            linkerSettings: [.linkedLibrary("jemalloc")]
        ),
        .testTarget(name: "ChemistryTests", dependencies: ["MolVAE", "MolVAETestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CorpusTests", dependencies: ["MolVAE", "MolVAETestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ReportTests", dependencies: ["MolVAE"], resources: [.copy("Fixtures")]),
        .testTarget(name: "EngineTests", dependencies: ["MolVAE", "MolVAETestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TrainingTests", dependencies: ["MolVAE", "MolVAETestSupport"], resources: [.copy("Fixtures")]),
        // What the test targets share: the tiny model memorised in-process (generation and
        // optimisation tests) and the lock on the engine's thread count.
        .target(name: "MolVAETestSupport", dependencies: ["MolVAE"], path: "Tests/TestSupport", resources: [.copy("Fixtures")]),
        .testTarget(name: "GenerationTests", dependencies: ["MolVAE", "MolVAETestSupport"]),
        .testTarget(name: "OptimizationTests", dependencies: ["MolVAE", "MolVAETestSupport"], resources: [.copy("Fixtures")]),
        // Runs the built molvae binary under `mpirun -np 2` (needs openmpi-bin; scripts/setup).
        .testTarget(name: "MPITests", dependencies: ["MolVAE"], resources: [.copy("Fixtures")]),
    ],
    cxxLanguageStandard: .cxx17
)

// libFuzzer targets (docs/FUZZING.md). They define LLVMFuzzerTestOneInput and no main, so they
// link only with -sanitize=fuzzer; they exist only when scripts/fuzz sets MOLVAE_FUZZ=1 (with its
// own --build-path), and a plain `swift build` or `swift test` never sees them.
if ProcessInfo.processInfo.environment["MOLVAE_FUZZ"] == "1" {
    package.targets.append(.target(name: "FuzzSupport", path: "Fuzz/FuzzSupport"))
    for name in ["fuzz-smiles-reader", "fuzz-tokenizer", "fuzz-safetensors", "fuzz-latents-csv", "fuzz-vocabulary"] {
        package.targets.append(.executableTarget(
            name: name,
            dependencies: ["MolVAE", "FuzzSupport"],
            path: "Fuzz/\(name)",
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ))
    }
}
