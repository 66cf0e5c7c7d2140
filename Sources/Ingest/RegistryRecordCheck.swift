import Foundation
import Reference
import Warehouse

/// How a registry row is checked, field by field, against the units in force on the extract's day: no
/// warehouse needed, so the checks are tested on their own and run on the reading thread.
struct RegistryRecordCheck: @unchecked Sendable {
    let registry: Registry
    /// The day the extract describes (YYYY-MM-DD).
    let asOf: String
    let pseudonymiser: Pseudonymiser?
    let units: UnitDirectory
    let unitsInForce: UnitCodes
    let provinceCodes: Set<Int>

    /// The checks of `registry` as of `asOf` (YYYY-MM-DD, not after `today`). Population data needs a
    /// `pseudonymiser`.
    init(units: UnitDirectory, registry: Registry, asOf: String, pseudonymiser: Pseudonymiser?, today: String) throws {
        guard let day = Period.calendarDate(asOf) else {
            throw InputError(file: "--as-of", message: "'\(asOf)' is not a day written YYYY-MM-DD")
        }
        guard day <= today else {
            throw InputError(file: "--as-of", message: "\(day) is in the future: give the day the extract was taken")
        }
        if registry == .population && pseudonymiser == nil {
            throw InputError(file: Pseudonymiser.environmentVariable, message: "population data needs a pseudonym key")
        }
        self.units = units
        self.registry = registry
        self.asOf = day
        self.pseudonymiser = pseudonymiser
        unitsInForce = UnitCodes(units.units.filter {
            ($0.level == .commune || $0.level == .province) && $0.isValid(on: day)
        })
        provinceCodes = Set(units.units.filter { $0.level == .province }.compactMap { Int($0.code) })
    }

    // Each accepted spelling and the code stored, searched in order: a few short strings, compared faster than
    // they hash.
    typealias Spellings = [(spelling: String, code: String)]
    static let sexes: Spellings = [("M", "M"), ("F", "F"), ("m", "M"), ("f", "F"), ("male", "M"), ("female", "F"), ("nam", "M"),
                        ("nữ", "F"), ("nu", "F")]
    static let identityLevels: Spellings = [("2", "2"), ("0", "0"), ("1", "1"), ("none", "0"), ("", "0")]
    static let personStatuses: Spellings = [("active", "active"), ("deceased", "deceased"), ("emigrated", "emigrated")]
    static let enterpriseStatuses: Spellings = [("active", "active"), ("suspended", "suspended"), ("dissolved", "dissolved")]

    /// One row checked field by field: the table's values, or `nil` after reporting every problem.
    func validate(_ field: (String) -> String, problem: (String, RejectCode, String) -> Void) -> [SQLValue]? {
        func date(_ column: String, required: Bool = true) -> String? {
            let text = field(column)
            if text.isEmpty {
                if required { problem(column, RejectCode.missing, "\(column) is required (YYYY-MM-DD)") }
                return nil
            }
            guard let day = Period.calendarDate(text) else {
                problem(column, RejectCode.badDate, "\(column) '\(text)' is not a day written YYYY-MM-DD or DD/MM/YYYY")
                return nil
            }
            guard day <= asOf else {
                problem(column, RejectCode.futureDate, "\(column) \(day) is after the extract's date (\(asOf))")
                return nil
            }
            return day
        }
        func unit() -> Int? {
            let code = field("unit")
            if let id = unitsInForce.id(of: code) { return id }
            if code.isEmpty {
                problem("unit", RejectCode.missing, "unit is required: a commune (5 digits) or province (2 digits) code")
            } else if let other = units.units.first(where: { $0.code == code && ($0.level == .commune || $0.level == .province) }) {
                let now = units.counterparts(of: other, on: asOf).map { "\($0.code) \($0.nameVI)" }.joined(separator: ", ")
                problem("unit", RejectCode.unitNotInForce, "\(units.describe(other)) is not in force on \(asOf)"
                        + (now.isEmpty ? "" : "; it is now \(now)") + ": use the codes of that date")
            } else {
                problem("unit", RejectCode.unknownUnit, "'\(code)' is not a commune (5 digits) or province (2 digits) code")
            }
            return nil
        }
        func flag(_ column: String) -> Bool? {
            let text = field(column)
            guard let value = RegistryCodes.flag(text) else {
                problem(column, RejectCode.badFlag, "\(column) '\(text)' is not yes/no (true, false, 1, 0, có, không)")
                return nil
            }
            return value
        }
        func oneOf(_ column: String, _ allowed: Spellings) -> String? {
            let text = field(column)
            func code(of text: String) -> String? { allowed.first { $0.spelling == text }?.code }
            guard let value = code(of: text) ?? code(of: text.lowercased()) else {
                let listed = Set(allowed.map(\.code)).sorted().joined(separator: ", ")
                problem(column, RejectCode.badCode, "\(column) '\(text)' is not one of \(listed)")
                return nil
            }
            return value
        }

        switch registry {
        case .population:
            let id = field("citizen_id")
            let birth = date("birth_date")
            if let birth, birth < "1900-01-01" { problem("birth_date", RejectCode.outOfRange, "birth_date \(birth) is before 1900") }
            let sex = oneOf("sex", Self.sexes)
            if let (code, message) = RegistryCodes.citizenIDProblem(id, provinces: provinceCodes, birthDate: birth, sex: sex) {
                problem("citizen_id", code, message)
            }
            let unitID = unit()
            let level = oneOf("identity_level", Self.identityLevels)
            let registered = date("registration_date", required: false)
            if let level, level != "0", registered == nil, field("registration_date").isEmpty {
                problem("registration_date", RejectCode.missing, "an identity of level \(level) needs the date it was registered")
            }
            if level == "0", registered != nil {
                problem("registration_date", RejectCode.inconsistent, "identity_level is none, so registration_date must be empty")
            }
            if let registered, let birth, registered < birth {
                problem("registration_date", RejectCode.inconsistent, "registration_date \(registered) is before birth_date \(birth)")
            }
            let status = oneOf("status", Self.personStatuses)
            guard let pseudonymiser, let birth, let sex, let unitID, let level, let status else { return nil }
            return [.text(pseudonymiser.pseudonym(id)), .text(birth), .text(sex), .integer(Int64(unitID)),
                    .integer(Int64(level)!), registered.map(SQLValue.text) ?? .null, .text(status)]
        case .land:
            let parcel = field("parcel_id")
            if parcel.isEmpty || parcel.utf8.count > 40 {
                problem("parcel_id", RejectCode.badLength, "parcel_id must be 1-40 characters")
            }
            let unitID = unit()
            let areaText = field("area_m2")
            let area = DecimalMark.isPlainNumber(areaText) ? Double(areaText) : nil
            if area == nil || !(area!.isFinite) {
                problem("area_m2", RejectCode.notANumber, "area_m2 '\(areaText)' is not a number (use a dot for decimals)")
            } else if area! <= 0 || area! > 1e9 {
                problem("area_m2", RejectCode.outOfRange, "area_m2 \(areaText) must be above 0 and at most 1,000,000,000")
            }
            let written = field("land_use")
            let use = RegistryCodes.landUse.contains(written) ? written : written.uppercased()
            if !RegistryCodes.landUse.contains(use) {
                problem("land_use", RejectCode.badCode, "land_use '\(field("land_use"))' is not a land-use code (e.g. LUA, ONT, ODT, CLN)")
            }
            let certificate = flag("certificate_issued"), digitised = flag("record_digitised")
            guard !parcel.isEmpty, let unitID, let area, let certificate, let digitised else { return nil }
            return [.text(parcel), .integer(Int64(unitID)), .real(area), .text(use), .integer(certificate ? 1 : 0),
                    .integer(digitised ? 1 : 0)]
        case .business:
            var taxCode: String?
            switch RegistryCodes.taxCode(field("tax_code")) {
            case .success(let code): taxCode = code
            case .failure(let failure): problem("tax_code", failure.code, failure.message)
            }
            let name = field("name")
            if name.isEmpty { problem("name", RejectCode.missing, "name is required") }
            let unitID = unit()
            let industry = RegistryCodes.vsic(field("industry"))
            if industry == nil {
                problem("industry", RejectCode.badCode, "industry '\(field("industry"))' is not a VSIC 2018 section and division "
                        + "(e.g. C25, G46: the letter of the section, the two digits of a division in it)")
            }
            let registered = date("registration_date")
            let status = oneOf("status", Self.enterpriseStatuses)
            let eInvoice = flag("e_invoice")
            let since = date("e_invoice_since", required: false)
            if since != nil, eInvoice == false {
                problem("e_invoice_since", RejectCode.inconsistent, "e_invoice is no, so e_invoice_since must be empty")
            }
            if let since, let registered, since < registered {
                problem("e_invoice_since", RejectCode.inconsistent, "e_invoice_since \(since) is before registration_date \(registered)")
            }
            guard let taxCode, !name.isEmpty, let unitID, let industry, let registered, let status, let eInvoice else {
                return nil
            }
            return [.text(taxCode), .text(name), .integer(Int64(unitID)), .text(industry.section), .text(industry.division),
                    .text(registered), .text(status), .integer(eInvoice ? 1 : 0), since.map(SQLValue.text) ?? .null]
        }
    }
}

/// The ids of units by code, exactly as written: a province's 2 digits or a commune's 5 in arrays indexed by the
/// code's number, so a registry row's unit is found without hashing its code; any other code by a dictionary.
struct UnitCodes: Sendable {
    /// -1 where no unit is in force.
    private var provinces = [Int](repeating: -1, count: 100)
    private var communes = [Int](repeating: -1, count: 100_000)
    private var others: [String: Int] = [:]

    init(_ units: [AdministrativeUnit]) {
        for unit in units {
            guard let number = Self.number(unit.code) else {
                others[unit.code] = unit.id
                continue
            }
            if unit.code.utf8.count == 2 { provinces[number] = unit.id } else { communes[number] = unit.id }
        }
    }

    /// The id of the unit written `code`, `nil` when none is in force.
    func id(of code: String) -> Int? {
        guard let number = Self.number(code) else { return others[code] }
        let id = code.utf8.count == 2 ? provinces[number] : communes[number]
        return id < 0 ? nil : id
    }

    /// The number of a code of 2 or 5 ASCII digits.
    private static func number(_ code: String) -> Int? {
        let digits = code.utf8
        guard digits.count == 2 || digits.count == 5 else { return nil }
        var number = 0
        for digit in digits {
            guard digit >= 0x30 && digit <= 0x39 else { return nil }
            number = number * 10 + Int(digit - 0x30)
        }
        return number
    }
}
