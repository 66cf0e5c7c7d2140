import Foundation

/// Why a unit could not be resolved. The message lists what the user can type instead.
public enum UnitLookupError: Error, Equatable, CustomStringConvertible {
    case unknown(query: String, nearest: [String])
    case ambiguous(query: String, candidates: [String])
    /// A name of units at several levels, refused when the level must be certain.
    case severalLevels(query: String, levels: [UnitLevel], candidates: [String])
    /// A province of an earlier division of the country, before the units chiso holds.
    case formerProvince(query: String, province: FormerProvince)
    /// A unit that ended (a province merged on 1 July 2025) where one in force is needed, with what it went into.
    case ended(unit: String, on: String, now: [String])
    /// A unit below the provinces, where a report page (a province's or the nation's) is asked for.
    case noPage(unit: String, province: String?)

    public var description: String {
        switch self {
        case .unknown(let query, let nearest):
            let hint = nearest.isEmpty ? "" : "; nearest: " + nearest.joined(separator: ", ")
            return "unknown unit '\(query)'\(hint)"
        case .ambiguous(let query, let candidates):
            return "ambiguous unit '\(query)': could be " + candidates.joined(separator: ", ")
                + " (give the code, a prefix such as 'Tỉnh' or 'Phường', or the level)"
        case .severalLevels(let query, _, let candidates):
            return "'\(query)' names units at several levels: " + candidates.joined(separator: "; ")
                + " (give the code, or a prefix such as 'Tỉnh', 'Huyện', 'Thành phố' or 'Xã')"
        case .formerProvince(let query, let province):
            return "'\(query)' was a province until \(province.until) (\(province.became)); chiso's units start "
                + "with the 63 provinces of August 2008: report its figures under the provinces that took it over"
        case .ended(let unit, let day, let now):
            return "\(unit) ended on \(day)" + (now.isEmpty ? "" : ": it is now part of " + now.joined(separator: ", ") + "; name that")
        case .noPage(let unit, let province):
            return "\(unit) has no page: pages are for the provinces and the nation" + (province.map { "; its province is \($0)" } ?? "")
        }
    }
}

/// A weighted link from a unit of one version to a unit of another (1 for a whole merge).
public struct CrosswalkLink: Hashable, Sendable {
    public let fromID: Int
    public let toID: Int
    /// The share of the old unit that went to the new one.
    public let share: Double
    /// Whether the old unit was split between several new ones.
    public let partial: Bool

    public init(fromID: Int, toID: Int, share: Double, partial: Bool) {
        self.fromID = fromID
        self.toID = toID
        self.share = share
        self.partial = partial
    }
}

/// How a query was resolved: the unit the name or code denotes, and the unit(s) it stands for on the date asked.
public struct UnitResolution: Equatable, Sendable {
    /// The unit the query names.
    public let matched: AdministrativeUnit
    /// The units in force on the date asked: `[matched]` when it was in force then, else its successors (or
    /// predecessors, for a date before it).
    public let inForce: [AdministrativeUnit]
    /// How the query matched: "code", "name", "name without diacritics" or "alias".
    public let matchedBy: String
}

/// Every reporting unit of every version, indexed for lookup by code and by name.
public struct UnitDirectory: Sendable {
    public let units: [AdministrativeUnit]
    public let crosswalk: [CrosswalkLink]
    /// Short and former names ("TP HCM", "Thừa Thiên Huế") with the id of the unit each names.
    public let aliases: [(String, Int)]
    private let byID: [Int: AdministrativeUnit]
    private let byCode: [String: [Int]]
    private let names: NameIndex
    private let successors: [Int: [CrosswalkLink]]
    private let predecessors: [Int: [CrosswalkLink]]

    /// Builds the indexes. `aliases` maps a short form ("TP HCM", "HCMC") to unit ids.
    public init(units: [AdministrativeUnit], crosswalk: [CrosswalkLink], aliases: [(String, Int)] = []) {
        self.units = units
        self.crosswalk = crosswalk
        self.aliases = aliases
        byID = Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0) })
        var byCode: [String: [Int]] = [:]
        for unit in units { byCode[unit.code.uppercased(), default: []].append(unit.id) }
        self.byCode = byCode
        names = NameIndex(units: units, byCode: byCode, aliases: aliases)
        successors = Dictionary(grouping: crosswalk, by: \.fromID)
        predecessors = Dictionary(grouping: crosswalk, by: \.toID)
    }

    /// The unit with warehouse id `id`.
    public func unit(id: Int) -> AdministrativeUnit? { byID[id] }

    /// The parent of `unit`.
    public func parent(of unit: AdministrativeUnit) -> AdministrativeUnit? { unit.parentID.flatMap { byID[$0] } }

    /// Units of the next version that `unit` went into, with shares.
    public func successors(of unit: AdministrativeUnit) -> [(unit: AdministrativeUnit, link: CrosswalkLink)] {
        (successors[unit.id] ?? []).compactMap { link in byID[link.toID].map { ($0, link) } }
    }

    /// Units of the previous version that went into `unit`.
    public func predecessors(of unit: AdministrativeUnit) -> [(unit: AdministrativeUnit, link: CrosswalkLink)] {
        (predecessors[unit.id] ?? []).compactMap { link in byID[link.fromID].map { ($0, link) } }
    }

    /// Resolves a code or a name, written any way real files write it, to one unit.
    ///
    /// Names may match units at several levels ("Hòa Bình" is a province, a district-level city and several
    /// communes): a prefix ("Tỉnh", "Phường") or `level` narrows them, else the highest level wins. Among the
    /// same level, units in force on `date` (default: today) are preferred. With `date`, a unit not in force
    /// then is followed through the crosswalk to the units that were.
    /// With `strictLevels`, a name of units at several levels (no prefix or `level` narrowing it) is refused
    /// instead, with one unit of each level: a file of data must not guess.
    /// - Throws: `UnitLookupError.unknown` with the nearest names, `.ambiguous` with the candidates,
    ///   `.severalLevels`, or `.formerProvince` for a province of an earlier division (Hà Tây).
    public func resolve(_ query: String, level: UnitLevel? = nil, on date: String? = nil,
                        strictLevels: Bool = false) throws -> UnitResolution {
        let trimmed = query.trimmingCharacters(in: .whitespacesAndNewlines)
        let wantedLevel = level ?? NameNormaliser.levelHint(trimmed)
        let preferredDate = date ?? Clock.today()
        let steps: [(String, () -> Set<Int>)] = [
            ("code", { Set(byCode[trimmed.uppercased()] ?? []) }),
            ("name", { names.tables.byKey[NameNormaliser.key(trimmed)] ?? [] }),
            ("name without diacritics", { names.tables.byFoldedKey[NameNormaliser.foldedKey(trimmed)] ?? [] }),
            ("alias", { names.tables.byAlias[NameNormaliser.foldedKey(trimmed)] ?? [] }),
        ]
        // The first way that finds a unit in force on the date wins, else the first that finds any: "Ha Noi" is
        // the English name of the old Hà Nội only, and also the 2025 Hà Nội without its diacritics.
        var found: (units: [AdministrativeUnit], how: String)?
        // "Thành phố Kon Tum" is the city, not Kon Tum province: a city's name keeps to the units that are cities.
        let city = NameNormaliser.namesCity(trimmed)
        for (how, lookup) in steps {
            var units = filtered(lookup(), wantedLevel)
            if city {
                let cities = units.filter { NameNormaliser.namesCity($0.kind ?? "") || NameNormaliser.namesCity($0.fullNameVI ?? "") }
                if !cities.isEmpty { units = cities }
            }
            guard !units.isEmpty else { continue }
            if found == nil { found = (units, how) }
            if units.contains(where: { $0.isValid(on: preferredDate) }) {
                found = (units, how)
                break
            }
        }
        let top = found?.units.map(\.level.rank).max()
        if wantedLevel == nil || wantedLevel == .province, top.map({ $0 < UnitLevel.province.rank }) ?? true,
           let former = FormerProvince.named(trimmed) {
            throw UnitLookupError.formerProvince(query: query, province: former)
        }
        guard let found, let top else {
            throw UnitLookupError.unknown(query: query, nearest: nearest(trimmed, level: wantedLevel))
        }
        let levels = Set(found.units.map(\.level))
        if strictLevels, levels.count > 1 {
            let sorted = levels.sorted { $0.rank > $1.rank }
            throw UnitLookupError.severalLevels(query: query, levels: sorted, candidates: sorted.compactMap { level in
                let atLevel = found.units.filter { $0.level == level }
                let shown = atLevel.filter { $0.isValid(on: preferredDate) }.min { $0.id < $1.id } ?? atLevel.min { $0.id < $1.id }
                return shown.map { describe($0) + (atLevel.count > 1 ? " and \(atLevel.count - 1) more" : "") }
            })
        }
        let matchedBy = found.how
        var candidates = found.units.filter { $0.level.rank == top }
        let inForce = candidates.filter { $0.isValid(on: preferredDate) }
        if !inForce.isEmpty { candidates = inForce }
        guard candidates.count == 1, let matched = candidates.first else {
            throw UnitLookupError.ambiguous(query: query, candidates: candidates.sorted { $0.id < $1.id }
                .map(describe))
        }
        guard let date, !matched.isValid(on: date) else {
            return UnitResolution(matched: matched, inForce: [matched], matchedBy: matchedBy)
        }
        return UnitResolution(matched: matched, inForce: counterparts(of: matched, on: date), matchedBy: matchedBy)
    }

    /// The same territory (or body) in the newest version: a unit whose only successor took it whole and has no
    /// other predecessor continues as that successor (the nation; Hà Nội, which merged with nothing; a ministry
    /// that was not restructured). Series of the two are one series. Otherwise the unit itself.
    public func latestContinuation(of unit: AdministrativeUnit) -> AdministrativeUnit {
        var current = unit
        while let links = successors[current.id], links.count == 1, let link = links.first, !link.partial,
              link.share == 1, predecessors[link.toID]?.count == 1, let next = byID[link.toID] {
            current = next
        }
        return current
    }

    /// The unit `query` names as it is on `date`, continued through any change of code or name; one that ended
    /// by then (merged into another) is refused with the units it went into.
    public func inForce(_ query: String, on date: String) throws -> AdministrativeUnit {
        let resolution = try resolve(query, on: date)
        let unit = latestContinuation(of: resolution.matched)
        guard unit.isValid(on: date) else {
            throw UnitLookupError.ended(unit: "\(unit.code) \(unit.nameVI)", on: unit.validTo ?? "?",
                                        now: resolution.inForce.map { "\($0.code) \($0.nameVI)" })
        }
        return unit
    }

    /// The units in force on `date` that `unit` became (or came from), following the crosswalk.
    public func counterparts(of unit: AdministrativeUnit, on date: String) -> [AdministrativeUnit] {
        var frontier = [unit]
        var seen: Set<Int> = [unit.id]
        var found: [AdministrativeUnit] = []
        let forward = unit.validTo.map { date > $0 } ?? false
        while let next = frontier.popLast() {
            if next.isValid(on: date) { found.append(next); continue }
            let linked = forward ? successors(of: next).map(\.unit) : predecessors(of: next).map(\.unit)
            for candidate in linked where seen.insert(candidate.id).inserted { frontier.append(candidate) }
        }
        return found.sorted { $0.code < $1.code }
    }

    /// "17 Hòa Bình (province, pre2025)".
    public func describe(_ unit: AdministrativeUnit) -> String {
        var text = "\(unit.code) \(unit.nameVI) (\(unit.level.rawValue), \(unit.version.rawValue)"
        if unit.level == .district || unit.level == .commune, let parent = parent(of: unit) {
            text += ", in \(parent.nameVI)"
        }
        return text + ")"
    }

    private func filtered(_ ids: Set<Int>, _ level: UnitLevel?) -> [AdministrativeUnit] {
        ids.compactMap { byID[$0] }.filter { level == nil || $0.level == level }
    }

    /// The longest name, in letters, for which nearest names are searched.
    static let longestNameSearched = 120

    private func nearest(_ query: String, level: UnitLevel?) -> [String] {
        let key = NameNormaliser.foldedKey(query)
        // No unit's name comes near this length, and the search costs the query's length times every name's.
        guard !key.isEmpty, key.unicodeScalars.count <= Self.longestNameSearched else { return [] }
        var scored: [(AdministrativeUnit, Int)] = []
        for (name, ids) in names.tables.byFoldedKey {
            let distance = NameNormaliser.distance(key, name)
            for unit in ids.compactMap({ byID[$0] })
            where level == nil ? unit.level.rank >= UnitLevel.district.rank : unit.level == level {
                scored.append((unit, distance))
            }
        }
        var seen: Set<Int> = []
        return scored.sorted { ($0.1, -$0.0.level.rank, $0.0.id) < ($1.1, -$1.0.level.rank, $1.0.id) }
            .filter { seen.insert($0.0.id).inserted }.prefix(5).map { describe($0.0) }
    }
}

/// The name keys of every unit, built on first use: normalising some 50,000 names takes a noticeable moment,
/// and most users of a directory (aggregation, reports) look units up by id only.
private final class NameIndex: @unchecked Sendable {
    struct Tables {
        var byKey: [String: Set<Int>] = [:]
        var byFoldedKey: [String: Set<Int>] = [:]
        var byAlias: [String: Set<Int>] = [:]
    }

    private let units: [AdministrativeUnit]
    private let byCode: [String: [Int]]
    private let aliases: [(String, Int)]
    private let lock = NSLock()
    private var built: Tables?

    init(units: [AdministrativeUnit], byCode: [String: [Int]], aliases: [(String, Int)]) {
        self.units = units
        self.byCode = byCode
        self.aliases = aliases
    }

    var tables: Tables {
        lock.lock()
        defer { lock.unlock() }
        if let built { return built }
        var tables = Tables()
        var level: [Int: UnitLevel] = [:]
        for unit in units {
            level[unit.id] = unit.level
            let written = Set([unit.nameVI, unit.nameEN, unit.fullNameVI, unit.fullNameEN].compactMap { $0 })
            for name in written {
                tables.byKey[NameNormaliser.key(name), default: []].insert(unit.id)
                tables.byFoldedKey[NameNormaliser.foldedKey(name), default: []].insert(unit.id)
            }
        }
        // An alias names a code at a level, in whichever version the date asks for.
        for (alias, id) in aliases {
            guard let unitLevel = level[id], let unit = units.first(where: { $0.id == id }) else { continue }
            let sameCode = (byCode[unit.code.uppercased()] ?? []).filter { level[$0] == unitLevel }
            tables.byAlias[NameNormaliser.foldedKey(alias), default: []].formUnion(sameCode)
        }
        built = tables
        return tables
    }
}
