/// The level of a reporting unit. Administrative levels rank nation > region > province > district > commune;
/// ministries (and ministry-level agencies) report beside them.
public enum UnitLevel: String, CaseIterable, Codable, Sendable, Comparable {
    case nation, region, province, district, commune, ministry

    /// Height in the administrative hierarchy: larger is higher. Ministries stand beside provinces.
    public var rank: Int {
        switch self {
        case .nation: return 5
        case .region: return 4
        case .province, .ministry: return 3
        case .district: return 2
        case .commune: return 1
        }
    }

    public static func < (lhs: UnitLevel, rhs: UnitLevel) -> Bool { lhs.rank < rhs.rank }
}

/// The administrative version a code belongs to. Code 25 is Phú Thọ before 1 July 2025 and the larger merged
/// Phú Thọ after it: two different territories.
public enum UnitVersion: String, CaseIterable, Codable, Sendable {
    /// The 63 provinces, 696 districts and 10,035 communes in force until 30 June 2025 (ministries until
    /// 28 February 2025).
    case pre2025
    /// The 34 provinces and 3,321 communes in force since 1 July 2025 (ministries since 1 March 2025).
    case v2025 = "2025"
}

/// A reporting unit in one administrative version.
public struct AdministrativeUnit: Hashable, Sendable {
    /// Warehouse row id, unique across versions.
    public let id: Int
    /// The official code: "01" province, "001" district, "00001" commune, "RRD" region, "VN" nation,
    /// "MIC" ministry.
    public let code: String
    public let level: UnitLevel
    public let version: UnitVersion
    public let nameVI: String
    public let nameEN: String?
    public let fullNameVI: String?
    public let fullNameEN: String?
    /// The unit type as written officially ("Tỉnh", "Phường", "Bộ").
    public let kind: String?
    /// Row id of the parent unit, `nil` for the nation.
    public let parentID: Int?
    /// First day in force (ISO date), `nil` when in force since before the data begins.
    public let validFrom: String?
    /// Last day in force (ISO date), `nil` when still in force.
    public let validTo: String?

    public init(id: Int, code: String, level: UnitLevel, version: UnitVersion, nameVI: String,
                nameEN: String? = nil, fullNameVI: String? = nil, fullNameEN: String? = nil, kind: String? = nil,
                parentID: Int? = nil, validFrom: String? = nil, validTo: String? = nil) {
        self.id = id
        self.code = code
        self.level = level
        self.version = version
        self.nameVI = nameVI
        self.nameEN = nameEN
        self.fullNameVI = fullNameVI
        self.fullNameEN = fullNameEN
        self.kind = kind
        self.parentID = parentID
        self.validFrom = validFrom
        self.validTo = validTo
    }

    /// Whether the unit is in force on `date` (an ISO `YYYY-MM-DD` string; ISO dates compare as text).
    public func isValid(on date: String) -> Bool {
        if let validFrom, date < validFrom { return false }
        if let validTo, date > validTo { return false }
        return true
    }
}
