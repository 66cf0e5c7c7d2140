import Foundation

/// The little of Excel's number formats the reader applies: recognising percentages and showing the stored
/// fraction as the percentage Excel displays.
enum XLSXNumberFormat {
    /// Excel's built-in `0%` and `0.00%`, which styles.xml refers to by id without spelling them out.
    static let builtInPercentIDs: Set<Int> = [9, 10]

    /// Whether a format code scales numbers by 100: a `%` counts unless it is inside double-quoted text,
    /// after a backslash (both make it a literal sign), after `_` (a space as wide as the sign) or `*` (the
    /// sign repeated to fill the cell), or inside `[...]` (colour, condition or locale). Only the three
    /// numeric sections are looked at; the fourth applies to text cells.
    static func isPercent(formatCode: String) -> Bool {
        var quoted = false, bracket = false, literalNext = false
        var section = 0
        for byte in formatCode.utf8 {
            if literalNext {
                literalNext = false
            } else if quoted {
                if byte == 0x22 { quoted = false }
            } else if bracket {
                if byte == 0x5D { bracket = false }
            } else {
                switch byte {
                case 0x22: quoted = true
                case 0x5C, 0x5F, 0x2A: literalNext = true
                case 0x5B: bracket = true
                case 0x3B:
                    section += 1
                    if section == 3 { return false }
                case 0x25: return true
                default: break
                }
            }
        }
        return false
    }

    /// `stored` times 100 as a plain decimal ("0.458" -> "45.8", "1.5E-3" -> "0.15", "-0" -> "0"), done by
    /// moving the decimal point in the text so that every stored digit is kept and none is invented by
    /// binary floating point; trailing zeros and a trailing point are dropped. Nil when `stored` is not a
    /// decimal number or is far beyond Excel's range (its magnitude is below 1E+308), so that the caller
    /// keeps the text as stored instead of building a huge string.
    static func percentText(_ stored: String) -> String? {
        let bytes = Array(stored.utf8)
        var index = 0
        var negative = false
        if index < bytes.count, bytes[index] == 0x2D || bytes[index] == 0x2B {
            negative = bytes[index] == 0x2D
            index += 1
        }
        var digits: [UInt8] = []
        var integerDigits = 0, point = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 0x30, byte <= 0x39 {
                digits.append(byte)
                if !point { integerDigits += 1 }
            } else if byte == 0x2E, !point {
                point = true
            } else {
                break
            }
            index += 1
        }
        guard !digits.isEmpty else { return nil }
        var exponent = 0
        if index < bytes.count, bytes[index] == 0x45 || bytes[index] == 0x65 {
            index += 1
            var exponentNegative = false
            if index < bytes.count, bytes[index] == 0x2D || bytes[index] == 0x2B {
                exponentNegative = bytes[index] == 0x2D
                index += 1
            }
            let exponentStart = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                // Capped so that a corrupt exponent cannot overflow; the range check below rejects it.
                exponent = min(exponent * 10 + Int(bytes[index] - 0x30), 100_000)
                index += 1
            }
            guard index > exponentStart else { return nil }
            if exponentNegative { exponent = -exponent }
        }
        guard index == bytes.count else { return nil }
        // The value is 0.<digits> x 10^(integerDigits + exponent); times 100 puts the point two places on.
        var pointPosition = integerDigits + exponent + 2
        var first = 0
        while first < digits.count, digits[first] == 0x30 {
            first += 1
            pointPosition -= 1
        }
        guard first < digits.count else { return "0" }
        var last = digits.count
        while digits[last - 1] == 0x30 { last -= 1 }
        let significant = digits[first..<last]
        guard pointPosition >= -400, pointPosition <= 400 else { return nil }
        var out: [UInt8] = negative ? [0x2D] : []
        if pointPosition <= 0 {
            out.append(contentsOf: [0x30, 0x2E])
            out.append(contentsOf: repeatElement(0x30, count: -pointPosition))
            out.append(contentsOf: significant)
        } else if pointPosition >= significant.count {
            out.append(contentsOf: significant)
            out.append(contentsOf: repeatElement(0x30, count: pointPosition - significant.count))
        } else {
            let split = significant.startIndex + pointPosition
            out.append(contentsOf: significant[..<split])
            out.append(0x2E)
            out.append(contentsOf: significant[split...])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
