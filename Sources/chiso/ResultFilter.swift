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
            throw ValidationError("--level must be one of " + UnitLevel.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if let version, UnitVersion(rawValue: version) == nil {
            throw ValidationError("--version must be pre2025 or 2025")
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
        throw Failure("no result matches " + filters.joined(separator: " ") + ": none of the stored results is of "
                          + (filters.count == 1 ? "it" : "them all") + " (codes: 'chiso targets', units: 'chiso units')")
    }

    /// A predicate over (indicator, unit id); resolves `--unit` once.
    func predicate(_ directory: UnitDirectory) throws -> (String, Int) -> Bool {
        let unitIDs: Set<Int>? = try unit.map { query in
            let resolution = try directory.resolve(query)
            return Set([resolution.matched.id, directory.latestContinuation(of: resolution.matched).id])
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
