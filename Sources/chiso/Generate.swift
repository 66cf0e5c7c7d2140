import ArgumentParser
import Foundation
import Pipeline
import Reference

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write synthetic indicator series for every target of the catalogue (same seed, same bytes).",
        discussion: """
            Writes <out>/indicators.csv: national series 2019-2025 for every indicator, the 63 provinces for
            the targets ministries and provinces must reach (numerators and denominators that add up to the
            national value), and Viet Nam's real UN E-Government ranks. Every synthetic row says so in its
            source column, and reports built on it carry a "synthetic" banner.

            Example:
              chiso generate --seed 942 --out Datasets/sample/indicators
            """)

    @Option(help: "Seed of the random generator.") var seed: UInt64 = 942
    @Option(help: "Output folder (created when missing).") var out: String
    @Option(help: "The Datasets folder (default: found as for init).") var datasets: String?

    func run() throws {
        try reportingFailures {
            guard let folder = datasets ?? DatasetsFolder.locate() else {
                throw Failure("cannot find the Datasets folder: pass --datasets or set CHISO_DATASETS")
            }
            let csv = try syntheticIndicatorCSV(catalogue: try Catalogue(directory: folder + "/catalog"),
                                                reference: folder + "/reference", seed: seed)
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let path = out + "/indicators.csv"
            try csv.write(toFile: path, atomically: true, encoding: .utf8)
            print(path)
        }
    }
}
