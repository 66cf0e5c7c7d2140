import Foundation


/// How an indicator's values combine across units (METHODS.md section 1).
public enum Aggregation: String, Codable, Sendable, CaseIterable {
    case sum = "SUM", ratio = "RATIO", mean = "MEAN", weightedMean = "WEIGHTED_MEAN", rank = "RANK"
}

/// Whether higher or lower values are better.
public enum Direction: String, Codable, Sendable {
    case higher, lower

    /// +1 when higher is better, -1 when lower is better (METHODS.md `dir`).
    public var sign: Double { self == .higher ? 1 : -1 }
}

/// A measured quantity that targets are set on.
public struct Indicator: Codable, Sendable, Equatable {
    public let code: String
    public let nameVI: String
    public let nameEN: String
    public let unit: String
    public let direction: Direction
    public let aggregation: Aggregation

    public init(code: String, nameVI: String, nameEN: String, unit: String, direction: Direction, aggregation: Aggregation) {
        self.code = code
        self.nameVI = nameVI
        self.nameEN = nameEN
        self.unit = unit
        self.direction = direction
        self.aggregation = aggregation
    }

    enum CodingKeys: String, CodingKey {
        case code, nameVI = "name_vi", nameEN = "name_en", unit, direction, aggregation
    }
}

/// How a value is compared with a target's threshold.
public enum TargetComparator: String, Codable, Sendable {
    case atLeast = ">=", atMost = "<=", equal = "=="

    /// Whether `value` meets `threshold`.
    public func isMet(_ value: Double, _ threshold: Double) -> Bool {
        switch self {
        case .atLeast: return value >= threshold
        case .atMost: return value <= threshold
        case .equal: return value == threshold
        }
    }
}

/// A quantitative target of the decision (or of a local plan): indicator, threshold, deadline, who.
public struct Target: Codable, Sendable, Equatable {
    public let id: String
    public let clause: String
    public let indicator: String
    public let textVI: String
    public let textEN: String
    public let comparator: TargetComparator
    public let threshold: Double
    public let unit: String
    /// Who must reach it: national, ministry, province, district, commune, or ministry_province.
    public let level: String
    public let deadline: Int
    public let note: String?
    /// The one unit a local plan's target is set for (warehouse id); `nil` for the decision's targets, which
    /// apply to every unit of their level.
    public let unitID: Int?
    /// Where the target comes from: the decision, or a local plan's document.
    public let source: String?

    enum CodingKeys: String, CodingKey {
        case id, clause, indicator, textVI = "text_vi", textEN = "text_en", comparator, threshold, unit, level,
             deadline, note, unitID = "unit_id", source
    }

    public init(id: String, clause: String, indicator: String, textVI: String, textEN: String,
                comparator: TargetComparator, threshold: Double, unit: String, level: String, deadline: Int,
                note: String?, unitID: Int?, source: String?) {
        self.id = id
        self.clause = clause
        self.indicator = indicator
        self.textVI = textVI
        self.textEN = textEN
        self.comparator = comparator
        self.threshold = threshold
        self.unit = unit
        self.level = level
        self.deadline = deadline
        self.note = note
        self.unitID = unitID
        self.source = source
    }
}

/// A task of the decision's appendix, with its lead agency and years.
public struct AppendixTask: Codable, Sendable, Equatable {
    public let id: String
    public let section: String
    public let number: String
    public let textVI: String
    public let textEN: String
    public let leadAgency: String
    public let coAgencies: [String]?
    public let start: Int
    public let end: Int
    public let note: String?

    enum CodingKeys: String, CodingKey {
        case id, section, number, textVI = "text_vi", textEN = "text_en", leadAgency = "lead_agency",
             coAgencies = "co_agencies", start, end, note
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        section = try c.decode(String.self, forKey: .section)
        number = try Self.text(c, .number)
        textVI = try c.decode(String.self, forKey: .textVI)
        textEN = try c.decode(String.self, forKey: .textEN)
        leadAgency = try c.decode(String.self, forKey: .leadAgency)
        coAgencies = try c.decodeIfPresent([String].self, forKey: .coAgencies)
        start = try c.decode(Int.self, forKey: .start)
        end = try c.decode(Int.self, forKey: .end)
        note = try c.decodeIfPresent(String.self, forKey: .note)
    }

    private static func text(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> String {
        if let value = try? c.decode(Int.self, forKey: key) { return String(value) }
        return try c.decode(String.self, forKey: key)
    }
}

/// A ministry, ministry-level agency or other body that leads tasks.
public struct Agency: Codable, Sendable, Equatable {
    public let code: String
    public let nameVI: String
    public let nameEN: String
    /// First day in force, for bodies created by the 2025 restructuring.
    public let validFrom: String?
    /// Last day in force, for bodies dissolved or merged by it.
    public let validTo: String?
    /// "ministry", "ministry_level", "government_agency", "other", or "pseudo" for a group of bodies
    /// ("every ministry and province") that leads tasks but reports nothing of its own.
    public let kind: String
    public let note: String?

    /// Whether the body is a reporting unit: ministries, ministry-level and government agencies.
    public var reports: Bool { ["ministry", "ministry_level", "government_agency"].contains(kind) }

    enum CodingKeys: String, CodingKey {
        case code, nameVI = "name_vi", nameEN = "name_en", validFrom = "valid_from", validTo = "valid_to", kind,
             note
    }
}

/// A link from a ministry before the 2025 restructuring to its successor.
public struct AgencySuccession: Codable, Sendable, Equatable {
    public let from: String
    public let to: String
    public let share: Double?
    /// "merged", or "placed_under" for a body that lives on under another's authority (no transfer of work).
    public let type: String?
    public let note: String?
}

/// The machine-readable Decision 942/QĐ-TTg: indicators, targets, appendix tasks and agencies, read from the
/// YAML files under `Datasets/catalog/`.
public struct Catalogue: Sendable {
    public let decision: String
    public let indicators: [Indicator]
    public let targets: [Target]
    public let tasks: [AppendixTask]
    public let agencies: [Agency]
    public let successions: [AgencySuccession]

    private struct TargetsFile: Decodable { let decision: String; let targets: [Target] }
    private struct IndicatorsFile: Decodable { let indicators: [Indicator] }
    private struct TasksFile: Decodable { let tasks: [AppendixTask] }
    private struct AgenciesFile: Decodable { let agencies: [Agency]; let successors: [AgencySuccession]? }

    /// Keys of the catalogue's files written for people, which nothing reads (see `Datasets/catalog/README.md`).
    static let annotations: Set<String> = [
        "note", "source", "source_file", "signed", "title_vi", "title_en", "fragment_vi", "implied_threshold", "aspirational",
        "confidence", "named_in_decision", "structures", "strategy_ref", "timeframe_vi", "lead_agency_vi", "aliases_vi",
        "parent", "parent_since", "sections", "effective", "decision",
    ]

    /// Reads the catalogue from `directory`. Errors name the file, the line and what is wrong; a key the
    /// catalogue does not know is refused with the nearest it does.
    public init(directory: String) throws {
        func decode<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
            try YAMLFile.decode(T.self, path: directory + "/" + name, annotations: Catalogue.annotations)
        }
        let targetsFile = try decode(TargetsFile.self, "targets.yaml")
        decision = targetsFile.decision
        targets = targetsFile.targets
        indicators = try decode(IndicatorsFile.self, "indicators.yaml").indicators
        tasks = try decode(TasksFile.self, "tasks.yaml").tasks
        let agenciesFile = try decode(AgenciesFile.self, "agencies.yaml")
        agencies = agenciesFile.agencies
        successions = agenciesFile.successors ?? []
        try validate(directory: directory)
    }

    /// Cross-references: every target names a known indicator, every task a known agency, ids are unique.
    private func validate(directory: String) throws {
        var problems: [String] = []
        let indicatorCodes = Set(indicators.map(\.code))
        let agencyCodes = Set(agencies.map(\.code))
        for target in targets where !indicatorCodes.contains(target.indicator) {
            problems.append("target \(target.id): unknown indicator \(target.indicator)")
        }
        for task in tasks {
            for agency in [task.leadAgency] + (task.coAgencies ?? []) where !agencyCodes.contains(agency) {
                problems.append("task \(task.id): unknown agency \(agency)")
            }
        }
        for succession in successions where !agencyCodes.contains(succession.from) || !agencyCodes.contains(succession.to) {
            problems.append("successor \(succession.from) -> \(succession.to): unknown agency")
        }
        for (name, ids) in [("target", targets.map(\.id)), ("task", tasks.map(\.id)),
                            ("indicator", indicators.map(\.code)), ("agency", agencies.map(\.code))] {
            for (id, count) in Dictionary(grouping: ids, by: { $0 }).mapValues(\.count) where count > 1 {
                problems.append("\(name) \(id) appears \(count) times")
            }
        }
        guard problems.isEmpty else {
            throw CatalogueError(file: directory, message: problems.sorted().joined(separator: "; "))
        }
    }

    /// The reporting units for ministries: a body in force on both sides of 1 March 2025 appears in both
    /// versions, linked one to one; a merged body links to its successor.
    public var ministryUnits: (units: [UnitRecord], crosswalk: [CrosswalkRecord]) {
        var units: [UnitRecord] = []
        var crosswalk: [CrosswalkRecord] = []
        for agency in agencies where agency.reports {
            let versions: [UnitVersion] = agency.validTo != nil ? [.pre2025]
                : agency.validFrom != nil ? [.v2025] : [.pre2025, .v2025]
            for version in versions {
                units.append(UnitRecord(code: agency.code, level: .ministry, version: version,
                                        nameVI: agency.nameVI, nameEN: agency.nameEN, kind: agency.kind,
                                        parent: (.nation, "VN"),
                                        validFrom: version == .v2025 ? Self.restructuringDate : nil,
                                        validTo: version == .pre2025 ? Self.lastDayBeforeRestructuring : nil))
            }
            if versions.count == 2 {
                crosswalk.append(CrosswalkRecord(from: UnitKey(.pre2025, .ministry, agency.code),
                                                 to: UnitKey(.v2025, .ministry, agency.code), share: 1, partial: false))
            }
        }
        for succession in successions where succession.type != "placed_under" {
            crosswalk.append(CrosswalkRecord(from: UnitKey(.pre2025, .ministry, succession.from),
                                             to: UnitKey(.v2025, .ministry, succession.to),
                                             share: succession.share ?? 1, partial: (succession.share ?? 1) < 1))
        }
        return (units, crosswalk)
    }

    /// The government's restructuring (Resolution 176/2025/QH15) took effect on 1 March 2025.
    public static let restructuringDate = "2025-03-01"
    static let lastDayBeforeRestructuring = "2025-02-28"
}

/// A catalogue file that cannot be read or does not hold together.
public struct CatalogueError: Error, CustomStringConvertible {
    public let file: String
    public let message: String
    public var description: String { "\(file): \(message)" }
}
