import ArgumentParser
import Foundation
import Reference
import Warehouse

struct Units: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Look a unit up by code or name, and see its version, parent and successors.",
        discussion: """
            Names resolve however real files write them: with or without diacritics or
            "Tỉnh"/"Thành phố"/ "TP.", any case, tone marks on either vowel (Hòa/Hoà),
            NFD text, dashes, short forms (TP HCM). A name of several levels resolves to
            the highest ("Hòa Bình" is the province) unless a prefix ("Phường", "Huyện")
            or --level says otherwise. With --as-of, a unit not in force on that date is
            followed to the units that were.

            Examples:
              chiso units "Hoà Bình"
              chiso units "hoa binh" --as-of 2025-07-01
              chiso units 79 --format json

            \(exitCodes)
            """)

    @OptionGroup var warehouse: WarehouseOptions
    @Argument(help: "A code (\"17\", \"00004\", \"MIC\") or a name.") var query: String
    @Option(help: "A date (YYYY-MM-DD): show the unit(s) in force then.") var asOf: String?
    @Option(help: "Only this level: nation, region, province, district, commune, ministry.") var level: String?
    @OptionGroup var output: PrintOptions

    func validate() throws {
        if let asOf, asOf.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) == nil {
            throw ValidationError("--as-of must be a date written YYYY-MM-DD, got '\(asOf)'")
        }
        if let level, UnitLevel(rawValue: level) == nil {
            throw ValidationError("--level must be one of " + UnitLevel.allCases.map(\.rawValue).joined(separator: ", "))
        }
    }

    func run() throws {
        try reportingFailures {
            let store = try Warehouse(reading: warehouse.path)
            let directory = try store.unitDirectory()
            guard !directory.units.isEmpty else { throw Failure("the warehouse has no units: run 'chiso init' first") }
            let resolution = try directory.resolve(query, level: level.flatMap(UnitLevel.init(rawValue:)), on: asOf)
            func describe(_ unit: AdministrativeUnit, role: String) -> [Cell] {
                let successors = directory.successors(of: unit)
                    .map { "\($0.unit.code) \($0.unit.nameVI)" + ($0.link.partial ? " (part)" : "") }
                return [.text(role), .text(unit.code), .text(unit.nameVI), .text(unit.level.rawValue),
                        .text(unit.version.rawValue), .text((unit.validFrom ?? "") + ".." + (unit.validTo ?? "")),
                        .text(directory.parent(of: unit).map { "\($0.code) \($0.nameVI)" } ?? ""),
                        .text(successors.joined(separator: "; "))]
            }
            var rows = [describe(resolution.matched, role: "matched (\(resolution.matchedBy))")]
            if resolution.inForce != [resolution.matched] {
                rows += resolution.inForce.map { describe($0, role: "in force on \(asOf ?? "")") }
            }
            printRows(["role", "code", "name", "level", "version", "valid", "parent", "successors"], rows,
                      options: output, leaveOut: ["version", "valid"])
        }
    }
}
