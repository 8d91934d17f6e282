import Foundation
import Testing
@testable import MolVAE

/// Rule: a table is read as a table whatever its name, or refused with the missing-column
/// error; its header and rows are never scored as SMILES (issue 18, parts 1 and 3).
@Suite struct TableRecognitionTests {
    func write(_ text: String, as name: String) throws -> String {
        let path = try TestPaths.temporaryFolder() + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Semicolon tables, quoted or not, under every name a user might give them.
    @Test(arguments: ["t.csv", "t.smi", "t.txt", "t"])
    func semicolonTablesAreRead(name: String) throws {
        for header in ["\"Smiles\";\"Name\"", "Smiles;Name", "\"ID\";\"SMILES\";\"Activity\""] {
            let columns = header.split(separator: ";").count
            let rows = columns == 2
                ? ["\"CCO\";\"ethanol; absolute\"", "c1ccccc1;benzene"]
                : ["\"m1\";\"CCO\";\"1,5\"", "m2;c1ccccc1;2"]
            let path = try write(([header] + rows).joined(separator: "\n") + "\n", as: name)
            let records = try SMILESReader.readAll(path: path, format: name == "t.smi" ? .smi : nil)
            #expect(records.map(\.smiles) == ["CCO", "c1ccccc1"], "\(name) \(header)")
            if columns == 2 { #expect(records.first?.name == "ethanol; absolute") }
        }
    }

    @Test(arguments: ["t.csv", "t.smi", "t.txt", "t"])
    func aSemicolonTableWithoutASMILESColumnIsTheMissingColumnError(name: String) throws {
        let path = try write("\"Structure\";\"Name\"\n\"CCO\";\"ethanol\"\n", as: name)
        let error = #expect(throws: SMILESReadError.self) { _ = try SMILESReader.readAll(path: path) }
        #expect(error?.kind == .noSMILESColumn(header: ["Structure", "Name"]))
        #expect(error?.description.contains("\(name):1: no SMILES column") == true)
    }

    /// `sample --out samples.smi` wrote CSV; `report --generated samples.smi` must read it.
    @Test func molvaesOwnCSVSavedAsSMIIsReadAsCSV() throws {
        let path = try write("smiles,valid,canonical\nOCC,1,CCO\nC1CC,0,\n\"c1ccccc1\",1,c1ccccc1\n", as: "samples.smi")
        let records = try SMILESReader.readAll(path: path)
        #expect(records.map(\.smiles) == ["OCC", "C1CC", "c1ccccc1"])
        #expect(records.map(\.lineNumber) == [2, 3, 4])
    }

    @Test func aSMIFileWithCommasInItsNamesIsStillSMI() throws {
        let path = try write("CCO ethanol, absolute\nc1ccccc1 benzene; pure\n", as: "names.smi")
        let records = try SMILESReader.readAll(path: path)
        #expect(records.map(\.smiles) == ["CCO", "c1ccccc1"])
        #expect(records.map(\.name) == ["ethanol, absolute", "benzene; pure"])
    }

    @Test func aCSVFieldReachesTheCallerWhole() throws {
        let path = try write("smiles,id\n\"CC O\",1\n  CCO  ,2\n\"C\tC\",3\n", as: "t.csv")
        #expect(try SMILESReader.readAll(path: path).map(\.smiles) == ["CC O", "CCO", "C\tC"])
    }
}
