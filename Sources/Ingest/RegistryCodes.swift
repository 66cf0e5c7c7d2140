import Reference

/// Identifier rules and code lists of the registries.
public enum RegistryCodes {
    /// Why a citizen ID number is not valid, or `nil` when it is.
    ///
    /// The 12-digit number of the chip-based citizen ID card (Circular 59/2021/TT-BCA, earlier 07/2016): three
    /// digits of the province of birth registration (the two-digit province code with a leading 0), one digit
    /// for sex and century of birth (0/1 male/female born 1900-1999, 2/3 in 2000-2099, 4/5 in 2100-2199), two
    /// digits of the year of birth, six random digits. The birth date and sex of the row must agree with it.
    /// `provinces` are the two-digit province codes in use before July 2025 (IDs issued later keep them).
    public static func citizenIDProblem(_ id: String, provinces: Set<Int>, birthDate: String?, sex: String?)
        -> (code: RejectCode, message: String)? {
        let bytes = Array(id.utf8)
        guard bytes.count == 12, bytes.allSatisfy({ (48...57).contains($0) }) else {
            return (RejectCode.badLength, "the citizen ID must be 12 digits (it has \(bytes.count) characters)")
        }
        let digit = { (i: Int) in Int(bytes[i] - 48) }
        let province = digit(1) * 10 + digit(2)
        guard digit(0) == 0, provinces.contains(province) else {
            return (RejectCode.badCheck, "the citizen ID's first three digits are not a province code (001-096)")
        }
        guard let birthDate, let sex, let year = Int(birthDate.prefix(4)) else { return nil }
        let century = (year - 1900) / 100
        let expected = century * 2 + (sex == "F" ? 1 : 0)
        if !(0...9).contains(expected) || digit(3) != expected || digit(4) * 10 + digit(5) != year % 100 {
            return (RejectCode.idMismatch, "the citizen ID's 4th-6th digits (sex, century and year of birth) do not match "
                        + "birth_date and sex: check all three against the card")
        }
        return nil
    }

    /// The tax code as stored (10 digits, or 10 digits, a dash and 3 for a branch), or why it is not valid.
    ///
    /// Enterprise tax codes (Circular 105/2020/TT-BTC): ten digits whose last is a check digit over the first
    /// nine - 10 - (31·d1 + 29·d2 + 23·d3 + 19·d4 + 17·d5 + 13·d6 + 7·d7 + 5·d8 + 3·d9) mod 11, a result of 10
    /// never being issued - and, for a branch, three more digits 001-999, usually after a dash.
    public static func taxCode(_ text: String) -> Result<String, TaxCodeProblem> {
        let digits = Array(text.utf8.filter { $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: ".") })
        guard digits.count == 10 || digits.count == 13, digits.allSatisfy({ (48...57).contains($0) }) else {
            return .failure(TaxCodeProblem(code: RejectCode.badLength,
                                           message: "the tax code must be 10 digits, or 13 for a branch (e.g. 0100233488-001)"))
        }
        let d = digits.map { Int($0 - 48) }
        let weights = [31, 29, 23, 19, 17, 13, 7, 5, 3]
        let check = 10 - zip(weights, d).map(*).reduce(0, +) % 11
        guard check == d[9], d[2..<9].contains(where: { $0 != 0 }) else {
            return .failure(TaxCodeProblem(code: RejectCode.badCheck, message: "the tax code's check digit (10th) does not match: a digit is mistyped"))
        }
        if d.count == 13 {
            guard d[10..<13].contains(where: { $0 != 0 }) else {
                return .failure(TaxCodeProblem(code: RejectCode.badCheck, message: "a branch number must be 001-999, not 000"))
            }
            return .success(String(decoding: digits[0..<10], as: UTF8.self) + "-" + String(decoding: digits[10...], as: UTF8.self))
        }
        return .success(String(decoding: digits, as: UTF8.self))
    }

    public struct TaxCodeProblem: Error, Equatable {
        public let code: RejectCode
        public let message: String
    }

    /// VSIC 2018 (Decision 27/2018/QĐ-TTg) sections and their level-2 divisions, which follow ISIC Rev. 4.
    public static let vsicDivisions: [Character: Set<Int>] = [
        "A": [1, 2, 3], "B": [5, 6, 7, 8, 9], "C": Set(10...33), "D": [35], "E": [36, 37, 38, 39], "F": [41, 42, 43],
        "G": [45, 46, 47], "H": [49, 50, 51, 52, 53], "I": [55, 56], "J": [58, 59, 60, 61, 62, 63], "K": [64, 65, 66],
        "L": [68], "M": [69, 70, 71, 72, 73, 74, 75], "N": [77, 78, 79, 80, 81, 82], "O": [84], "P": [85],
        "Q": [86, 87, 88], "R": [90, 91, 92, 93], "S": [94, 95, 96], "T": [97, 98], "U": [99],
    ]

    /// The section letter and two-digit division of an industry written like `C25` or `C 25`, or `nil`.
    public static func vsic(_ text: String) -> (section: String, division: String)? {
        let compact = text.filter { $0 != " " }.uppercased()
        guard compact.count == 3, let section = compact.first, let division = Int(compact.dropFirst()),
              vsicDivisions[section]?.contains(division) == true else { return nil }
        return (String(section), String(compact.dropFirst()))
    }

    /// Land-use categories of the land statistics and inventory (Circular 08/2024/TT-BTNMT, Appendix I codes):
    /// agricultural, non-agricultural and unused land.
    public static let landUse: Set<String> = [
        "LUA", "LUC", "LUK", "LUN", "HNK", "BHK", "NHK", "CLN", "RSX", "RPH", "RDD", "NTS", "LMU", "NKH",
        "ONT", "ODT", "TSC", "CQP", "CAN", "DTS", "DVH", "DYT", "DGD", "DTT", "DKH", "DXH", "DNG", "DSK", "SKK",
        "SKT", "SKN", "TMD", "SKC", "SKS", "SKX", "DGT", "DTL", "DNL", "DBV", "DKG", "DCH", "DDT", "DRA", "DCK",
        "DSH", "DKV", "TON", "TIN", "NTD", "SON", "MNC", "PNK", "CSK", "BCS", "DCS", "NCS",
    ]

    /// A yes/no field: true, false, 1, 0, yes, no, có, không (any case).
    static func flag(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "1", "yes", "y", "có", "co": return true
        case "false", "0", "no", "n", "không", "khong": return false
        default: return nil
        }
    }
}
