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
        // One pass over the bytes: the digits counted, the first nine weighted, the tenth kept, the branch read;
        // dashes, spaces and dots skipped.
        var count = 0, weighted = 0, checkDigit = 0, middle = 0, branch = 0, separators = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "-") || byte == UInt8(ascii: " ") || byte == UInt8(ascii: ".") {
                separators += 1
                continue
            }
            guard (48...57).contains(byte), count < 13 else { count = -1; break }
            let digit = Int(byte - 48)
            switch count {
            case 0..<9:
                weighted += digit * taxCodeWeights[count]
                if count >= 2 { middle += digit }
            case 9: checkDigit = digit
            default: branch = branch * 10 + digit
            }
            count += 1
        }
        guard count == 10 || count == 13 else {
            return .failure(TaxCodeProblem(code: RejectCode.badLength,
                                           message: "the tax code must be 10 digits, or 13 for a branch (e.g. 0100233488-001)"))
        }
        guard 10 - weighted % 11 == checkDigit, middle > 0 else {
            return .failure(TaxCodeProblem(code: RejectCode.badCheck, message: "the tax code's check digit (10th) does not match: a digit is mistyped"))
        }
        if count == 10 {
            return .success(separators == 0 ? text : String(decoding: text.utf8.filter { (48...57).contains($0) }, as: UTF8.self))
        }
        guard branch > 0 else {
            return .failure(TaxCodeProblem(code: RejectCode.badCheck, message: "a branch number must be 001-999, not 000"))
        }
        let digits = text.utf8.filter { (48...57).contains($0) }
        return .success(String(decoding: digits[0..<10], as: UTF8.self) + "-" + String(decoding: digits[10...], as: UTF8.self))
    }

    private static let taxCodeWeights = [31, 29, 23, 19, 17, 13, 7, 5, 3]

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

    /// The section letter (an ASCII byte) of each division 0-99, 0 where no division: each division is in one
    /// section, so a code is valid when its letter is its division's.
    private static let sectionOfDivision: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 100)
        for (section, divisions) in vsicDivisions {
            for division in divisions { table[division] = section.asciiValue! }
        }
        return table
    }()

    /// The divisions as written, "00" to "99".
    private static let divisionCodes = (0..<100).map { $0 < 10 ? "0\($0)" : "\($0)" }

    /// The section letter and two-digit division of an industry written like `C25`, `c25` or `C 25`, or `nil`.
    public static func vsic(_ text: String) -> (section: String, division: String)? {
        var letter: UInt8 = 0, division = 0, count = 0
        for byte in text.utf8 where byte != UInt8(ascii: " ") {
            count += 1
            if count == 1 {
                letter = byte & ~0x20  // upper case, for an ASCII letter
            } else if count <= 3, (48...57).contains(byte) {
                division = division * 10 + Int(byte - 48)
            } else {
                return nil
            }
        }
        guard count == 3, (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(letter),
              sectionOfDivision[division] == letter else { return nil }
        return (String(UnicodeScalar(letter)), divisionCodes[division])
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
        switch text {
        case "true", "1": return true
        case "false", "0": return false
        default: break
        }
        switch text.lowercased() {
        case "true", "1", "yes", "y", "có", "co": return true
        case "false", "0", "no", "n", "không", "khong": return false
        default: return nil
        }
    }
}
