import Foundation

/// A unit as read from a reference file, before it has a warehouse id: its parent is named by level and code
/// in the same version.
public struct UnitRecord: Sendable {
    public var code: String
    public var level: UnitLevel
    public var version: UnitVersion
    public var nameVI: String
    public var nameEN: String?
    public var fullNameVI: String?
    public var fullNameEN: String?
    public var kind: String?
    public var parent: (level: UnitLevel, code: String)?
    public var validFrom: String?
    public var validTo: String?

    public init(code: String, level: UnitLevel, version: UnitVersion, nameVI: String, nameEN: String? = nil,
                fullNameVI: String? = nil, fullNameEN: String? = nil, kind: String? = nil,
                parent: (level: UnitLevel, code: String)? = nil, validFrom: String? = nil, validTo: String? = nil) {
        self.code = code
        self.level = level
        self.version = version
        self.nameVI = nameVI
        self.nameEN = nameEN
        self.fullNameVI = fullNameVI
        self.fullNameEN = fullNameEN
        self.kind = kind
        self.parent = parent
        self.validFrom = validFrom
        self.validTo = validTo
    }
}

/// A unit named by version, level and code: how reference files refer to one another.
public struct UnitKey: Hashable, Sendable {
    public let version: UnitVersion
    public let level: UnitLevel
    public let code: String

    public init(_ version: UnitVersion, _ level: UnitLevel, _ code: String) {
        self.version = version
        self.level = level
        self.code = code
    }
}

/// A crosswalk link as read from a reference file.
public struct CrosswalkRecord: Sendable {
    public let from: UnitKey
    public let to: UnitKey
    public let share: Double
    public let partial: Bool

    public init(from: UnitKey, to: UnitKey, share: Double, partial: Bool) {
        self.from = from
        self.to = to
        self.share = share
        self.partial = partial
    }
}
