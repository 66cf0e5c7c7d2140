import Foundation

/// Part-name arithmetic of the Open Packaging Conventions.
enum PartPath {
    /// A part's relationships live beside it: xl/workbook.xml -> xl/_rels/workbook.xml.rels.
    static func relationships(of part: String) -> String {
        var segments = part.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let name = segments.popLast() ?? ""
        return (segments + ["_rels", name + ".rels"]).joined(separator: "/")
    }

    /// Targets are relative to the source part's folder unless they start with "/", and may be
    /// percent-encoded.
    static func resolve(_ target: String, from source: String) -> String {
        let decoded = target.removingPercentEncoding ?? target
        var segments: [Substring] = []
        if !decoded.hasPrefix("/") {
            segments = source.split(separator: "/", omittingEmptySubsequences: true).dropLast()
        }
        for segment in decoded.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." { _ = segments.popLast() } else { segments.append(segment) }
        }
        return segments.joined(separator: "/")
    }
}

/// Byte-level decoding shared by the scanner.
enum XMLText {
    /// The scanner works on UTF-8; Excel writes UTF-8, but the format allows UTF-16 with a byte order mark.
    static func utf8(_ data: [UInt8]) -> [UInt8] {
        guard data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]),
              let text = String(data: Data(data), encoding: .utf16) else { return data }
        return Array(text.utf8)
    }

    static func append(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
        UTF8.encode(scalar) { out.append($0) }
    }

    /// A cell string from decoded UTF-8: Excel's `_xHHHH_` escapes undone, then NFC so that names compare
    /// and hash the same whichever keyboard or platform typed them.
    static func string(_ raw: [UInt8]) -> String {
        let text = hasExcelEscape(raw) ? undoExcelEscapes(raw) : raw
        let string = String(decoding: text, as: UTF8.self)
        return text.contains(where: { $0 >= 0x80 }) ? string.precomposedStringWithCanonicalMapping : string
    }

    private static func hasExcelEscape(_ raw: [UInt8]) -> Bool {
        guard raw.count >= 7 else { return false }
        for index in 0..<(raw.count - 1) where raw[index] == 0x5F && raw[index + 1] == 0x78 { return true }
        return false
    }

    private static func hexUnit(_ raw: [UInt8], at index: Int) -> UInt32? {
        guard index + 7 <= raw.count, raw[index] == 0x5F, raw[index + 1] == 0x78, raw[index + 6] == 0x5F
        else { return nil }
        var value: UInt32 = 0
        for byte in raw[(index + 2)..<(index + 6)] {
            guard let digit = hexDigit(byte) else { return nil }
            value = value << 4 | digit
        }
        return value
    }

    /// Excel writes control characters and characters outside the BMP as `_xHHHH_` UTF-16 code units
    /// (`_x005F_` for a literal underscore), so a surrogate pair arrives as two escapes.
    private static func undoExcelEscapes(_ raw: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            if let unit = hexUnit(raw, at: index) {
                if unit >= 0xD800, unit <= 0xDBFF, let low = hexUnit(raw, at: index + 7),
                   low >= 0xDC00, low <= 0xDFFF,
                   let scalar = Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)) {
                    append(scalar, to: &out)
                    index += 14
                    continue
                }
                if let scalar = Unicode.Scalar(unit) {
                    append(scalar, to: &out)
                    index += 7
                    continue
                }
            }
            out.append(raw[index])
            index += 1
        }
        return out
    }

    static func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case 0x30...0x39: return UInt32(byte - 0x30)
        case 0x41...0x46: return UInt32(byte - 0x41 + 10)
        case 0x61...0x66: return UInt32(byte - 0x61 + 10)
        default: return nil
        }
    }
}

/// A forward-only scanner over one part's XML, enough for the SpreadsheetML parts: it yields element tags
/// with namespace prefixes dropped and collects text, without building a tree, so a sheet of any size is
/// read in one linear pass.
