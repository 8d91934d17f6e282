import Foundation
import FuzzSupport
import MolVAE

// The path `molvae props` takes: the SMILES/CSV line reader (format from the file name, quoted
// fields, headers, blank lines, invalid UTF-8, gzip sniffing) and, for every record, the
// screen and RDKit parse-and-score in the shim. The first byte picks the file name, so one
// corpus exercises the .smi, .csv and .tsv readers; the rest is the file.
private let names = ["input.smi", "input.csv", "input.tsv", "input.txt"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSMILESReader(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start, count > 0 else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    let name = names[Int(bytes[0]) % names.count]
    let input = FuzzInput.file(UnsafeRawBufferPointer(rebasing: bytes[1...]), name: name)
    let output = FuzzInput.outputPath("props.csv")
    // Errors are answers (a message naming the file); only a crash, hang or leak is a finding.
    _ = try? PropsRunner.run(inputPath: input, outputPath: output, chunkSize: 64, threads: 1)
    return 0
}
