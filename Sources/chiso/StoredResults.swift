import ArgumentParser
import Pipeline
import Warehouse

/// Looking never changes anything: `aggregate`, `forecast`, `assess` and `simulate` print what is stored (the
/// latest run, or `--run N`) and write nothing; `--save` computes anew, stores the results as a new run with
/// its settings (what `chiso report` publishes), and prints them. Settings given without `--save`
/// (`--base-year`, `--year`, `--scenario`) are a what-if: computed in memory, printed, not stored.
struct StoredResults: ParsableArguments {
    @Flag(help: "Compute anew and store the results as a new run (what 'chiso report' publishes), then print them.")
    var save = false
    @Option(help: "Print the stored results of this run instead of the latest.") var run: Int?
    @OptionGroup var writer: WriterOptions

    func validate() throws {
        if save && run != nil { throw ValidationError("--save computes a new run; --run prints a stored one: give one of them") }
    }

    /// Opens the warehouse for the command's run: to save, as its one writer (created when missing), else
    /// for reading only.
    func open(_ warehouse: WarehouseOptions, command: String) throws -> RunContext {
        if save { try writer.lock(warehouse, command: command + " --save") }
        return RunContext(save ? try Warehouse(path: warehouse.path) : try Warehouse(reading: warehouse.path))
    }

    /// What to say on stderr about results computed in memory.
    static let notSaved = "computed with the settings given, not stored: --save stores them as a run that 'chiso report' publishes"

    /// The failure when nothing is stored to print.
    func nothingStored(_ what: String, command: String) -> Failure {
        Failure(run.map { "run \($0) stored no \(what)" } ?? "no \(what) stored yet: 'chiso \(command) --save' computes them")
    }
}

/// The rule, as the help of each command that prints results says it.
let lookingNeverChanges = """
    Looking never changes anything: without --save this command prints the
    stored results of the latest run (or --run N) and writes nothing; settings
    given without --save are a what-if, computed in memory and not stored.
    --save computes anew and stores a new run, which 'chiso report' publishes.
    """
