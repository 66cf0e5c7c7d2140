import ArgumentParser
import Reference

/// Filters of printed results: indicator, unit, level, version.
struct ResultFilter: ParsableArguments {
    @Option(help: "Only this indicator code.") var indicator: String?
    @Option(help: "Only this unit (a code or a name).") var unit: String?
    @Option(help: "Only this level: nation, region, province, district, commune, ministry.") var level: String?
    @Option(help: "Only this administrative version: pre2025 or 2025.") var version: String?

    func validate() throws {
        if let level, UnitLevel(rawValue: level) == nil {
            throw unknown("level", level, among: UnitLevel.allCases.map(\.rawValue)).reported()
        }
        if let version, UnitVersion(rawValue: version) == nil {
            throw unknown("version", version, among: UnitVersion.allCases.map(\.rawValue)).reported()
        }
    }

    /// `rows` when they are not empty or no filter was given; else a failure that says which filters matched
    /// nothing, so a typo or an empty version never prints an empty table with exit code 0. `also` names
    /// the command's own filters that were given ("--target III.1.a").
    func nonEmpty<T>(_ rows: [T], also: [String?] = []) throws -> [T] {
        let given = [indicator.map { "--indicator \($0)" }, unit.map { "--unit \($0)" }, level.map { "--level \($0)" },
                     version.map { "--version \($0)" }] + also
        let filters = given.compactMap { $0 }
        guard rows.isEmpty, !filters.isEmpty else { return rows }
        throw Failure("no result matches " + filters.joined(separator: " ") + (filters.count == 1 ? "" : " together")
                          + ": 'chiso targets' lists the indicators' codes, 'chiso units' the units")
    }

    /// A predicate over (indicator, unit id); resolves `--unit` once. An indicator the catalogue does not have
    /// or a unit the directory cannot resolve is a usage error (exit 64) with the nearest candidates.
    func predicate(_ directory: UnitDirectory, indicators: [String]) throws -> (String, Int) -> Bool {
        if let indicator, !indicators.contains(indicator) {
            throw unknown("indicator", indicator, among: indicators)
        }
        let unitIDs: Set<Int>? = try unit.map { query in
            do {
                // With --version pre2025, the code or name as it was: on 28 February 2025 the pre-2025 provinces
                // and ministries were all in force (found by a new-user review: --unit 79 --version pre2025
                // matched the 2025 unit 79 and so nothing).
                let resolution = try directory.resolve(query, on: version == UnitVersion.pre2025.rawValue ? "2025-02-28" : nil)
                return Set([resolution.matched.id, directory.latestContinuation(of: resolution.matched).id])
            } catch {
                throw UsageFailure("\(error)")
            }
        }
        return { code, unitID in
            guard indicator == nil || code == indicator else { return false }
            if let unitIDs, !unitIDs.contains(unitID) { return false }
            guard let unit = directory.unit(id: unitID) else { return false }
            if let level, unit.level.rawValue != level { return false }
            if let version, unit.version.rawValue != version { return false }
            return true
        }
    }
}

/// The usage error for a filter value that names nothing: one line with the nearest candidates, exit 64.
func unknown(_ what: String, _ value: String, among candidates: [String]) -> UsageFailure {
    UsageFailure("unknown \(what) '\(value)'; nearest: " + nearest(value, among: candidates).joined(separator: ", "))
}
