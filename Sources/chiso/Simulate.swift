import Analytics
import ArgumentParser
import Foundation
import Pipeline
import Reference
import Warehouse

struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate planners' scenarios to the targets' deadlines (Monte Carlo).",
        discussion: """
            Each scenario file (YAML, see Datasets/scenarios/README.md) changes the
            fitted forecasts of chosen indicators and units from a year on: add points
            per year, scale the growth, set a floor or a ceiling, or a one-off shock.
            Each draw takes every series' value from its model's forecast distribution
            (or, with 'uncertainty: {method: bootstrap}', from the fit's own
            residuals; README, Methods, Simulation), applies the interventions, and
            adds the provinces up to regions and the nation inside the draw
            (numerators and denominators for a ratio), so a national probability is
            never an average of provincial ones.

            One row per scenario, target and unit: the probability of meeting the
            target in the year judged, the median and the 80% and 95% bands of the
            value, and the same for the baseline (the scenario without its
            interventions, on the same draws). A scenario's 'inverse' questions find by
            bisection the smallest extra yearly gain that lifts a probability to a
            level; --gains prints those answers. The same --seed gives the same results
            whatever --threads.

            Looking never changes anything: with --scenario and without --save the
            scenarios are simulated in memory and printed, nothing stored (a what-if);
            --save stores them as a new run, which 'chiso report' publishes; without
            --scenario the stored simulation of the latest run (or --run N) is printed.

            Examples:
              chiso simulate --scenario $CHISO_DATASETS/scenarios/lagging-provinces.yaml
              chiso simulate --scenario $CHISO_DATASETS/scenarios/lagging-provinces.yaml \\
                --scenario $CHISO_DATASETS/scenarios/mixed-shocks.yaml \\
                --level nation --save
              chiso simulate --level nation --gains
              chiso simulate --scenario $CHISO_DATASETS/scenarios/einvoice-stalls.yaml \\
                --draws 2000 --seed 7 --format csv

            \(exitCodes)
            """)

    @OptionGroup var warehouse: WarehouseOptions
    @OptionGroup var stored: StoredResults
    @Option(name: .customLong("scenario"), help: "A scenario file (repeatable; several are compared in one run).")
    var scenarios: [String] = []
    @Option(help: "Draws per scenario.") var draws = 10_000
    @Option(help: "Seed of the random numbers.") var seed: UInt64 = 942
    @Option(help: "Worker threads (default: the processor count); results do not depend on it.") var threads: Int?
    @Option(help: "Only print this target id.") var target: String?
    @Flag(help: "Print the answers to the scenarios' inverse questions instead of the outcomes.") var gains = false
    @OptionGroup var filter: ResultFilter
    @OptionGroup var output: PrintOptions

    func validate() throws {
        if scenarios.isEmpty && stored.save { throw ValidationError("--save needs at least one --scenario FILE to simulate") }
        if !scenarios.isEmpty && stored.run != nil { throw ValidationError("--run prints a stored simulation: give it without --scenario") }
        if draws < SimulationSettings.minimumDraws {
            throw ValidationError("--draws must be at least \(SimulationSettings.minimumDraws)")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        try reportingFailures {
            let loaded = try scenarios.map(Scenario.load(path:))
            let context = try stored.open(warehouse, command: "simulate")
            let store = context.warehouse
            let directory = try context.units()
            let keep = try filter.predicate(directory, indicators: Array(context.indicators().keys))
            let indicatorOf = Dictionary(uniqueKeysWithValues: try context.targets().map { ($0.id, $0.indicator) })
            if let target, indicatorOf[target] == nil { throw unknown("target", target, among: Array(indicatorOf.keys).sorted()) }
            var settings = SimulationSettings(draws: draws, seed: seed)
            if let threads { settings.threads = threads }
            let run: Int?, result: (rows: [SimulationRow], gains: [GainRow])
            if stored.save {
                let runID = try context.startRun(command: "simulate")
                do {
                    try simulateStep(context, scenarios: loaded, settings: settings)
                    try store.finishRun(runID, status: .succeeded)
                } catch {
                    try store.finishRun(runID, status: .failed)
                    throw error
                }
                let found = try store.simulation(run: runID)
                (run, result) = (runID, (found?.rows ?? [], found?.gains ?? []))
            } else if !loaded.isEmpty {
                let summary = try simulate(context, scenarios: loaded, settings: settings)
                (run, result) = (nil, (summary.rows, summary.gains))
                note(StoredResults.notSaved)
            } else {
                guard let found = try store.simulation(run: stored.run) else {
                    throw Failure(stored.run.map { "run \($0) stored no simulation" }
                                  ?? "no simulation stored yet: 'chiso simulate --scenario FILE --save' stores one")
                }
                (run, result) = (found.run, (found.rows, found.gains))
            }
            func code(_ id: Int) -> String { directory.unit(id: id)?.code ?? "?" }
            func shown(_ targetID: String, _ unitID: Int) -> Bool {
                (target == nil || targetID == target) && keep(indicatorOf[targetID] ?? "", unitID)
            }
            if gains {
                printRows(["run", "scenario", "target", "unit", "gain_units", "from", "level", "gain_per_year",
                           "probability_without", "probability_with"],
                          try filter.nonEmpty(result.gains.filter { shown($0.targetID, $0.unitID) },
                                              also: [target.map { "--target \($0)" }]).map { row in
                              [.whole(run), .text(row.scenario), .text(row.targetID), .text(code(row.unitID)),
                               .text(row.gainUnits), .integer(row.fromYear), .number(row.level),
                               row.gain.map { Cell.number($0) } ?? "not reachable", .number(row.probabilityWithout),
                               .number(row.probabilityWith)]
                          }, options: output, leaveOut: ["run", "gain_units", "level", "from"])
                return
            }
            printRows(["run", "scenario", "target", "unit", "year", "probability", "baseline_probability", "median",
                       "lower80", "upper80", "lower95", "upper95", "baseline_median", "aggregated"],
                      try filter.nonEmpty(result.rows.filter { shown($0.targetID, $0.unitID) },
                                          also: [target.map { "--target \($0)" }]).map { row in
                          [.whole(run), .text(row.scenario), .text(row.targetID), .text(code(row.unitID)),
                           .integer(row.year), .number(row.probability), .number(row.baselineProbability),
                           .number(row.median), .number(row.lower80), .number(row.upper80), .number(row.lower95),
                           .number(row.upper95), .number(row.baselineMedian), row.aggregated ? "yes" : "no"]
                      }, options: output, leaveOut: ["run", "aggregated", "baseline_median", "lower80", "upper80", "lower95", "upper95", "year"])
        }
    }
}
