import ArgumentParser
import Foundation
import Warehouse
import Ingest
import Pipeline
import Reference
import Synthetic

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write synthetic registries and indicator series for every target (same seed, same bytes).",
        discussion: """
            Writes into <out>:
              population.csv, land.csv, business.csv
                  registry extracts as of --as-of: the real 2024 population of
                  each province times --scale, spread over its communes; valid
                  citizen IDs and tax codes; digital identity, e-invoice and land
                  records whose adoption differs by province and rises over time;
                  about 0.3% of rows spoiled on purpose
              bad-rows.csv
                  the spoiled rows: file, line, the error code the loader gives
              indicators.csv
                  national series 2019-2025 for every other target's indicator,
                  the 63 provinces for the targets ministries and provinces must
                  reach, and Viet Nam's real UN E-Government ranks
            Every synthetic row says so, and reports built on it carry a "synthetic"
            banner. With --scale 0 only indicators.csv is written, and it then covers
            the registry indicators too.

            Examples:
              chiso generate --seed 942 --out /tmp/chiso-sample   # the bundled sample
              chiso generate --scale 0.00099 --seed 1 --registry population \\
                --out /tmp/chiso-100k               # about 100,000 people

            \(exitCodes)
            """)

    @Option(help: "Seed of the random generator.") var seed: UInt64 = 942
    @Option(help: "People per resident of the real population (0.0001 gives about 10,000 people).") var scale = 0.0001
    @Option(help: "Write only this registry's extract (repeatable; default all three).") var registry: [Registry] = []
    @Option(help: "The day the registry extracts describe (pre-2025 unit codes before 1 July 2025).")
    var asOf = "2024-12-31"
    @Option(help: "Output folder (created when missing).") var out: String
    @Option(help: "The Datasets folder (default: found as for init).") var datasets: String?

    func validate() throws {
        guard scale >= 0 && scale <= 1 else { throw ValidationError("--scale must be within 0 and 1") }
        guard asOf < "2025-07-01" else {
            throw ValidationError("--as-of must be before 2025-07-01: the generator uses the 63-province units")
        }
    }

    func run() throws {
        try reportingFailures {
            guard let folder = datasets ?? DatasetsFolder.locate() else {
                throw Failure("cannot find the Datasets folder: pass --datasets or set CHISO_DATASETS")
            }
            try DatasetsFolder.check(folder)
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: out, isDirectory: &isFolder), !isFolder.boolValue {
                throw Failure("\(out) is a file: --out names the folder the extracts are written to")
            }
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            if scale > 0 {
                let summary = try syntheticRegistries(
                    reference: folder + "/reference", scale: scale, seed: seed, asOf: asOf,
                    only: registry.isEmpty ? Set(Registry.allCases) : Set(registry), to: out)
                for (name, rows) in summary.rows.sorted(by: { $0.key < $1.key }) {
                    print("\(out)/\(name)\t\(rows) rows")
                }
                print("\(out)/bad-rows.csv\t\(summary.badRows.count) rows spoiled on purpose")
            }
            let csv = try syntheticIndicatorCSV(catalogue: try Catalogue(directory: folder + "/catalog"),
                                                reference: folder + "/reference", seed: seed,
                                                skipping: scale > 0 ? RegistryIndicators.derived : [])
            let path = out + "/indicators.csv"
            try csv.write(toFile: path, atomically: true, encoding: .utf8)
            print(path)
        }
    }
}
