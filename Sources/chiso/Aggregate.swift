import ArgumentParser
import Foundation
import Pipeline
import Reference
import Reports
import Warehouse

struct Aggregate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Derive every series at every level and in the current administrative version.",
        discussion: """
            Rolls values up commune -> district -> province -> region -> nation (before
            1 July 2025) and commune -> province -> region -> nation (since), and
            converts the old units to the new through the crosswalks (63 -> 34
            provinces; old wards to new, split wards by equal shares), each step one
            matrix product over every indicator and period at once. SUM adds; RATIO adds
            numerators and denominators, then divides; MEAN and WEIGHTED_MEAN (by
            POPULATION) average; RANK does not aggregate. A parent missing a member gets
            no SUM or RATIO value. Loaded values are never replaced; converted values
            are flagged "crosswalk". A hierarchy that would count a member twice is
            refused.

            Figures derived from the registries (POPULATION, NEW_ENTERPRISES and the
            registry shares) are printed with disclosure control: a count below
            --disclosure-threshold, or a share of fewer people or enterprises, shows as
            "<10"; when one sibling unit is suppressed, the next smallest is too, so it
            cannot be recovered from the parent's total.

            Without a filter it prints the derived values only (loaded ones with
            --indicator, --unit or --level).

            Looking never changes anything: without --save this command prints the
            stored values and writes nothing; --save derives them anew from what is
            loaded (a new run), which the next forecast and report use.

            Examples:
              chiso aggregate --save
              chiso aggregate --indicator POPULATION --level province \\
                --version 2025 --format csv

            \(exitCodes)
            """)

    @OptionGroup var warehouse: WarehouseOptions
    @OptionGroup var writer: WriterOptions
    @Flag(help: "Derive every series anew from what is loaded, store them (a new run), then print them.") var save = false
    @OptionGroup var filter: ResultFilter
    @Option(help: "Only print this period.") var period: String?
    @Option(help: "Counts from the registries below this are suppressed in the output.")
    var disclosureThreshold = DisclosureControl.defaultThreshold
    @OptionGroup var output: PrintOptions

    func run() throws {
        try reportingFailures {
            if save { try writer.lock(warehouse, command: "aggregate --save") }
            let context = RunContext(save ? try Warehouse(path: warehouse.path) : try Warehouse(reading: warehouse.path))
            let store = context.warehouse
            if save {
                let runID = try context.startRun(command: "aggregate")
                let summary = try aggregateStep(context)
                try store.finishRun(runID, status: .succeeded)
                summary.steps.forEach { FileHandle.standardError.write(Data("\($0)\n".utf8)) }
            }
            let directory = try context.units()
            let keep = try filter.predicate(directory, indicators: Array(context.indicators().keys))
            // A look-up of one indicator reads only that indicator; of a registry indicator, every registry
            // indicator, as figures of one count under two (a population, the denominator of a share of it) are
            // suppressed together.
            let observations = try filter.indicator.map { indicator in
                let read = RegistryIndicators.derived.contains(indicator) ? RegistryIndicators.derived.sorted() : [indicator]
                return try read.flatMap { try store.observations(of: $0) }
            } ?? store.allObservations()
            let shown = observations.indices.filter { index in
                let row = observations[index]
                return keep(row.indicator, row.unitID) && (period == nil || row.period == period)
                    && (filter.indicator != nil || filter.unit != nil || filter.level != nil || row.origin != "loaded")
            }
            let rows = try filter.nonEmpty(shown.map { observations[$0] }, also: [period.map { "--period \($0)" }])
            // Suppressed among every figure, not only those shown: --unit alone must not show a sibling's.
            let suppressedAmongAll = suppressedRegistryFigures(observations, directory: directory, threshold: disclosureThreshold)
            let hidden = Set(shown.indices.filter { suppressedAmongAll.contains(shown[$0]) })
            let suppressed = DisclosureControl.label(threshold: disclosureThreshold)
            printRows(["indicator", "unit", "name", "level", "version", "period", "value", "numerator", "denominator",
                       "origin"],
                      rows.enumerated().map { index, row in
                          let unit = directory.unit(id: row.unitID)
                          let figures: [Cell] = hidden.contains(index) ? [.text(suppressed), .text(suppressed), .text(suppressed)]
                              : [.number(row.value), .number(row.numerator), .number(row.denominator)]
                          return [.text(row.indicator), .text(unit?.code ?? "?"), .text(unit?.nameVI ?? ""),
                                  .text(unit?.level.rawValue ?? ""), .text(unit?.version.rawValue ?? ""), .text(row.period)]
                              + figures + [.text(row.origin)]
                      }, options: output, leaveOut: ["name", "origin", "version", "denominator", "numerator", "level"])
        }
    }
}
