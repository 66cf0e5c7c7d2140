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
