import CZlib
import Foundation

/// An .xlsx workbook read straight from its zip container, with zlib and a byte-level XML scanner, so that
/// analysts can hand over the statistics office's spreadsheets without converting them to CSV first.
///
/// Only cell values are read: the text a cell shows for strings, booleans and errors, and numbers exactly as
/// Excel stored them. The one number format applied is the percentage: Excel stores 45.8% as 0.458, but the
/// person who typed it means 45.8, so such cells come out as the percentage shown ("45.8"). Other formats
/// are ignored (dates stay serial numbers), as are merged cells, comments and formula expressions; a formula
/// cell gives its cached result.
public struct XLSXWorkbook {
    /// The sheet names in workbook order.
    public let sheetNames: [String]

    private let archive: ZipArchive
    /// Parallel to `sheetNames`. A sheet whose relationship is broken only fails when it is asked for, so the
    /// other sheets of a slightly damaged workbook stay readable.
    private let sheetParts: [Result<String, XLSXError>]
    private let sharedStrings: [String]
    /// The `cellXfs` indices (a cell's `s` attribute) whose number format is a percentage.
    private let percentStyles: Set<Int>

    /// Opens and indexes the workbook at `path` (reads the zip's central directory, xl/workbook.xml,
    /// xl/_rels/workbook.xml.rels, and xl/sharedStrings.xml and xl/styles.xml when present). Throws
    /// `XLSXError`; never because of the styles part, which at worst leaves number formats unknown.
    public init(path: String) throws {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw XLSXError.cannotOpen(path: path)
        }
        let archive = try ZipArchive(bytes: bytes)
        let workbookPart = try Self.workbookPart(in: archive)
        guard let workbookXML = try archive.contents(of: workbookPart) else {
            throw XLSXError.missingPart(workbookPart)
        }
        let sheets = try PartParser.sheets(xml: workbookXML, part: workbookPart)
        guard !sheets.isEmpty else {
            throw XLSXError.malformedXML(part: workbookPart, detail: "it lists no sheets")
        }
        let relationshipsPart = PartPath.relationships(of: workbookPart)
        guard let relationshipsXML = try archive.contents(of: relationshipsPart) else {
            throw XLSXError.missingPart(relationshipsPart)
        }
        let relationships = try PartParser.relationships(xml: relationshipsXML, part: relationshipsPart)
        var targets: [String: String] = [:]
        for relationship in relationships where targets[relationship.id] == nil {
            targets[relationship.id] = PartPath.resolve(relationship.target, from: workbookPart)
        }
        sheetParts = sheets.map { sheet in
            guard let target = targets[sheet.relationshipID] else {
                let detail = "no relationship \"\(sheet.relationshipID)\" for sheet \"\(sheet.name)\""
                return .failure(.malformedXML(part: relationshipsPart, detail: detail))
            }
            return .success(target)
        }
        // Workbooks written by other tools sometimes omit the relationship but keep the conventional part.
        let sharedStringsPart = relationships.first { $0.type.hasSuffix("/sharedStrings") }
            .map { PartPath.resolve($0.target, from: workbookPart) } ?? "xl/sharedStrings.xml"
        if let xml = try archive.contents(of: sharedStringsPart) {
            sharedStrings = try PartParser.sharedStrings(xml: xml, part: sharedStringsPart)
        } else {
            sharedStrings = []
        }
        let stylesPart = relationships.first { $0.type.hasSuffix("/styles") }
            .map { PartPath.resolve($0.target, from: workbookPart) } ?? "xl/styles.xml"
        // Formats only refine how some numbers read, so a styles part that is missing, damaged or not
        // scannable leaves every format unknown (numbers as stored) rather than making the workbook unreadable.
        if let xml = try? archive.contents(of: stylesPart),
           let styles = try? PartParser.percentStyles(xml: xml, part: stylesPart) {
            percentStyles = styles
        } else {
            percentStyles = []
        }
        sheetNames = sheets.map(\.name)
        self.archive = archive
    }

    /// The rows of one sheet: `sheet` is a sheet name (exact, then case-insensitive) or a 1-based index
    /// written as digits ("2"); nil means the first sheet. Each row carries its 1-based spreadsheet row
    /// number (the `r` attribute) and its cells as text, with empty strings for absent cells so that
    /// column B is always cells[1]; trailing empty cells trimmed. Rows with no cells are omitted.
    /// Numeric cells with a percentage format come out as the percentage Excel shows (0.458 as "45.8");
    /// see `rowsAndPercentCount(sheet:)`.
    public func rows(sheet: String?) throws -> [XLSXRow] {
        try rowsAndPercentCount(sheet: sheet).rows
    }

    /// The rows of one sheet as `rows(sheet:)` gives them, and how many of its cells were converted from a
    /// stored fraction to the percentage shown (0.458 with the format `0.0%` to "45.8"), so that a summary
    /// can tell the user that values were scaled by 100 and a wrong reading is caught early.
    ///
    /// Only numeric cells (no `t` attribute, or `t="n"`) are converted, when their style's number format is
    /// the built-in 9 (`0%`) or 10 (`0.00%`) or a custom format with a `%` outside quoted text and escapes.
    /// The decimal point is shifted in the stored text, so no digit is gained or lost to binary rounding.
    public func rowsAndPercentCount(sheet: String?) throws -> (rows: [XLSXRow], percentCells: Int) {
        let index = try sheetIndex(sheet)
        let part = try sheetParts[index].get()
        guard let xml = try archive.contents(of: part) else { throw XLSXError.missingPart(part) }
        return try PartParser.rows(xml: xml, part: part, sharedStrings: sharedStrings,
                                   percentStyles: percentStyles)
    }

    private func sheetIndex(_ sheet: String?) throws -> Int {
        guard let sheet else { return 0 }
        // Swift's == compares canonical equivalents, so a name typed in NFD still finds an NFC sheet name.
        if let index = sheetNames.firstIndex(of: sheet) { return index }
        let folded = sheet.lowercased()
        if let index = sheetNames.firstIndex(where: { $0.lowercased() == folded }) { return index }
        if !sheet.isEmpty, sheet.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let number = Int(sheet),
           number >= 1, number <= sheetNames.count {
            return number - 1
        }
        throw XLSXError.unknownSheet(sheet, available: sheetNames)
    }

    /// The main part is named by the package relationships; xl/workbook.xml is only the usual name.
    private static func workbookPart(in archive: ZipArchive) throws -> String {
        var part = "xl/workbook.xml"
        if let xml = try archive.contents(of: "_rels/.rels"),
           let main = try PartParser.relationships(xml: xml, part: "_rels/.rels")
               .first(where: { $0.type.hasSuffix("/officeDocument") }) {
            part = PartPath.resolve(main.target, from: "")
        }
        if archive.contains(part) { return part }
        if archive.contains("xl/workbook.bin") {
            throw XLSXError.unsupportedFormat("an Excel binary .xlsb workbook")
        }
        if archive.contains("content.xml") {
            throw XLSXError.unsupportedFormat("an OpenDocument .ods spreadsheet")
        }
        throw XLSXError.missingPart(part)
    }
}

/// One row of a sheet.
public struct XLSXRow: Equatable, Sendable {
    /// The 1-based row number the spreadsheet shows, kept so that messages can point at the row a user sees.
    public let number: Int
    /// The cells as text from column A; absent cells are empty strings so that every column keeps its index.
    public let cells: [String]

    /// Makes a row, mainly so that tests can write down the rows they expect.
    public init(number: Int, cells: [String]) {
        self.number = number
        self.cells = cells
    }
}

/// Why a workbook could not be read; the message says what to do.
public enum XLSXError: Error, Equatable, CustomStringConvertible {
    /// The file does not exist or cannot be read.
    case cannotOpen(path: String)
    /// The file has no bytes at all.
    case emptyFile
    /// The file is not a zip container; `looksLikeText` when it is plain text such as a renamed CSV.
    case notAZip(looksLikeText: Bool)
    /// Another spreadsheet format, named as the message shows it (e.g. "an Excel 97-2003 .xls workbook").
    case unsupportedFormat(String)
    /// The workbook is password-protected, or a part is encrypted inside the zip.
    case encrypted
    /// A part uses a zip compression method other than stored (0) or deflate (8).
    case unsupportedCompression(part: String, method: Int)
    /// The zip uses ZIP64 records, which only archives over 4 GiB or 65,535 entries need.
    case zip64Unsupported
    /// The zip container is truncated or corrupt; the detail says where.
    case damagedZip(String)
    /// A part the workbook needs is absent from the zip.
    case missingPart(String)
    /// A part's XML cannot be scanned or refers to something that does not exist.
    case malformedXML(part: String, detail: String)
    /// No sheet has the requested name or number.
    case unknownSheet(String, available: [String])

    /// A sentence for the person who supplied the file.
    public var description: String {
        switch self {
        case .cannotOpen(let path):
            return "cannot read \(path): check that the file exists and is readable"
        case .emptyFile:
            return "the file is empty (0 bytes): download or export the workbook again"
        case .notAZip(true):
            return "the file is plain text, not an .xlsx workbook (perhaps a CSV renamed .xlsx): "
                + "read it as CSV, or open it in Excel and save it as .xlsx"
        case .notAZip(false):
            return "the file is not an .xlsx workbook (it is not a zip container): "
                + "open it in Excel and save it as .xlsx or CSV UTF-8"
        case .unsupportedFormat(let format):
            return "the file is \(format): save it as .xlsx or CSV UTF-8"
        case .encrypted:
            return "the workbook is password-protected or encrypted: remove the password in Excel "
                + "(File > Info > Protect Workbook) and save it again as .xlsx or CSV UTF-8"
        case .unsupportedCompression(let part, let method):
            return "the workbook's part \(part) uses zip compression method \(method), but only stored and "
                + "deflate are supported: open the workbook in Excel and save it again as .xlsx"
        case .zip64Unsupported:
            return "the workbook uses the ZIP64 format (over 4 GiB or 65,535 parts), which is not supported: "
                + "save the sheet as CSV UTF-8"
        case .damagedZip(let detail):
            return "the .xlsx file is damaged (\(detail)): download or save it again"
        case .missingPart(let part):
            return "the workbook has no \(part) part, so it is not a complete .xlsx workbook: "
                + "open it in Excel and save it as .xlsx"
        case .malformedXML(let part, let detail):
            return "the workbook's \(part) cannot be read (\(detail)): "
                + "open it in Excel and save it again as .xlsx"
        case .unknownSheet(let name, let available):
            let names = available.map { "\"\($0)\"" }.joined(separator: ", ")
            return "the workbook has no sheet \"\(name)\": give one of \(names) or a sheet number "
                + "from 1 to \(available.count)"
        }
    }
}

// MARK: - Zip container

/// The entries of a zip archive held in memory; only what .xlsx files use (no ZIP64, no encryption).
private struct ZipArchive {
    private struct Entry {
        let flags: Int
        let method: Int
        let crc: UInt32
        let compressedSize: Int
        let uncompressedSize: Int
        let localHeaderOffset: Int
    }

    private let bytes: [UInt8]
    /// Keyed by lowercased part name because OPC part names are compared case-insensitively.
    private let entries: [String: Entry]

    init(bytes: [UInt8]) throws {
        try Self.checkSignature(bytes)
        guard let end = Self.endOfCentralDirectory(in: bytes) else {
            throw XLSXError.damagedZip("the zip directory at the end of the file is missing; it is truncated")
        }
        let reader = ByteReader(bytes: bytes)
        if end >= 20, try reader.u32(end - 20) == 0x0706_4B50 { throw XLSXError.zip64Unsupported }
        let disk = try reader.u16(end + 4), directoryDisk = try reader.u16(end + 6)
        let entriesOnDisk = try reader.u16(end + 8), count = try reader.u16(end + 10)
        let directorySize = try reader.u32(end + 12), directoryOffset = try reader.u32(end + 16)
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            throw XLSXError.zip64Unsupported
        }
        guard disk == 0, directoryDisk == 0, entriesOnDisk == count else {
            throw XLSXError.damagedZip("it is one part of a split zip archive")
        }
        let directoryEnd = directoryOffset + directorySize
        guard directoryEnd <= end else {
            throw XLSXError.damagedZip("the zip directory points past the end of the file")
        }
        var entries: [String: Entry] = [:]
        var position = directoryOffset
        for number in 0..<count {
            guard position + 46 <= directoryEnd, try reader.u32(position) == 0x0201_4B50 else {
                throw XLSXError.damagedZip("zip directory entry \(number + 1) is unreadable")
            }
            let nameLength = try reader.u16(position + 28), extraLength = try reader.u16(position + 30)
            let commentLength = try reader.u16(position + 32)
            let next = position + 46 + nameLength + extraLength + commentLength
            guard next <= directoryEnd else {
                throw XLSXError.damagedZip("zip directory entry \(number + 1) runs past the directory")
            }
            let compressedSize = try reader.u32(position + 20)
            let uncompressedSize = try reader.u32(position + 24)
            let localHeaderOffset = try reader.u32(position + 42)
            if [compressedSize, uncompressedSize, localHeaderOffset].contains(0xFFFF_FFFF) {
                throw XLSXError.zip64Unsupported
            }
            let name = String(decoding: bytes[(position + 46)..<(position + 46 + nameLength)], as: UTF8.self)
            let key = Self.key(name)
            if !name.hasSuffix("/"), entries[key] == nil {
                entries[key] = Entry(flags: try reader.u16(position + 8),
                                     method: try reader.u16(position + 10),
                                     crc: UInt32(try reader.u32(position + 16)),
                                     compressedSize: compressedSize,
                                     uncompressedSize: uncompressedSize,
                                     localHeaderOffset: localHeaderOffset)
            }
            position = next
        }
        self.bytes = bytes
        self.entries = entries
    }

    func contains(_ part: String) -> Bool {
        entries[Self.key(part)] != nil
    }

    /// The decompressed bytes of `part`, nil when the archive has no such part.
    func contents(of part: String) throws -> [UInt8]? {
        guard let entry = entries[Self.key(part)] else { return nil }
        if entry.flags & 1 != 0 { throw XLSXError.encrypted }
        guard entry.method == 0 || entry.method == 8 else {
            throw XLSXError.unsupportedCompression(part: part, method: entry.method)
        }
        // The local header's sizes may be zero (a data descriptor follows the data), so only its name and
        // extra-field lengths are read from it.
        let reader = ByteReader(bytes: bytes)
        let header = entry.localHeaderOffset
        guard header + 30 <= bytes.count, try reader.u32(header) == 0x0403_4B50 else {
            throw XLSXError.damagedZip("the zip header of \(part) is missing")
        }
        let start = header + 30 + (try reader.u16(header + 26)) + (try reader.u16(header + 28))
        guard start + entry.compressedSize <= bytes.count else {
            throw XLSXError.damagedZip("\(part) is cut off; the file is truncated")
        }
        let data: [UInt8]
        if entry.method == 0 {
            guard entry.compressedSize == entry.uncompressedSize else {
                throw XLSXError.damagedZip("the stored part \(part) has inconsistent sizes")
            }
            data = Array(bytes[start..<(start + entry.compressedSize)])
        } else {
            data = try inflate(part: part, start: start, entry: entry)
        }
        let checksum = data.withUnsafeBufferPointer { buffer in
            crc32(0, buffer.baseAddress, UInt32(buffer.count))
        }
        guard UInt32(truncatingIfNeeded: checksum) == entry.crc else {
            throw XLSXError.damagedZip("\(part) fails its checksum")
        }
        return XMLText.utf8(data)
    }

    private func inflate(part: String, start: Int, entry: Entry) throws -> [UInt8] {
        // Deflate cannot expand more than about 1032:1, so a larger declared size is a lie and would only
        // make us allocate gigabytes for a corrupt file.
        guard entry.uncompressedSize <= entry.compressedSize * 1032 + 1024 else {
            throw XLSXError.damagedZip("the declared size of \(part) is impossible")
        }
        guard entry.uncompressedSize > 0 else { return [] }
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw XLSXError.damagedZip("zlib could not start decompressing \(part)")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: entry.uncompressedSize)
        var status = Z_DATA_ERROR
        bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                guard let inBase = input.baseAddress, let outBase = out.baseAddress else { return }
                stream.next_in = UnsafeMutablePointer(mutating: inBase + start)
                stream.avail_in = UInt32(entry.compressedSize)
                stream.next_out = outBase
                stream.avail_out = UInt32(out.count)
                status = CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == entry.uncompressedSize else {
            throw XLSXError.damagedZip("\(part) cannot be decompressed")
        }
        return output
    }

    private static func key(_ name: String) -> String {
        var name = name.replacingOccurrences(of: "\\", with: "/").lowercased()
        while name.hasPrefix("/") { name.removeFirst() }
        return name
    }

    /// Tells apart the files people most often mistake for .xlsx, so the message can say what to do.
    private static func checkSignature(_ bytes: [UInt8]) throws {
        if bytes.isEmpty { throw XLSXError.emptyFile }
        let zip: [UInt8] = [0x50, 0x4B]
        if bytes.count >= 2 ? Array(bytes[0..<2]) == zip : zip.starts(with: bytes) { return }
        let compoundFile: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0]
        if bytes.starts(with: compoundFile) {
            // Excel wraps a password-protected .xlsx in the same container as an .xls, with this stream.
            let marker = Array("EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
            if contains(marker, in: bytes) { throw XLSXError.encrypted }
            throw XLSXError.unsupportedFormat("an Excel 97-2003 .xls workbook")
        }
        throw XLSXError.notAZip(looksLikeText: looksLikeText(bytes))
    }

    private static func looksLikeText(_ bytes: [UInt8]) -> Bool {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return true }
        return !bytes.prefix(4096).contains { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
    }

    private static func contains(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return false }
        var index = 0
        while index <= haystack.count - needle.count {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return true
            }
            index += 1
        }
        return false
    }

    /// Searches backwards because the record sits after the entries and before a comment of at most 64 KiB.
    private static func endOfCentralDirectory(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 22 else { return nil }
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        var fallback: Int?
        var position = bytes.count - 22
        while position >= lowest {
            if bytes[position] == 0x50, bytes[position + 1] == 0x4B, bytes[position + 2] == 0x05,
               bytes[position + 3] == 0x06 {
                // The signature bytes may also occur inside the comment; the real record's comment ends
                // exactly at the end of the file, unless something was appended after the archive.
                let commentLength = Int(bytes[position + 20]) | Int(bytes[position + 21]) << 8
                if position + 22 + commentLength == bytes.count { return position }
                if fallback == nil { fallback = position }
            }
            position -= 1
        }
        return fallback
    }
}

/// Little-endian reads that throw instead of trapping, since every offset comes from the untrusted file.
private struct ByteReader {
    let bytes: [UInt8]

    func u16(_ offset: Int) throws -> Int {
        guard offset >= 0, offset + 2 <= bytes.count else { throw truncated() }
        return Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
    }

    func u32(_ offset: Int) throws -> Int {
        guard offset >= 0, offset + 4 <= bytes.count else { throw truncated() }
        return Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16
            | Int(bytes[offset + 3]) << 24
    }

    private func truncated() -> XLSXError {
        .damagedZip("a zip record runs past the end of the file; it is truncated")
    }
}

// MARK: - Part names

/// Part-name arithmetic of the Open Packaging Conventions.
private enum PartPath {
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

// MARK: - XML

/// Byte-level decoding shared by the scanner.
private enum XMLText {
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
private struct XMLScanner {
    enum Kind { case open, close, empty }

    struct Tag {
        var kind: Kind
        /// The local name, after any `prefix:`.
        var name: Range<Int>
        var attributes: Range<Int>
    }

    let bytes: [UInt8]
    let part: String
    private(set) var position = 0

    init(bytes: [UInt8], part: String) {
        self.bytes = bytes
        self.part = part
    }

    func malformed(_ detail: String) -> XLSXError {
        .malformedXML(part: part, detail: detail)
    }

    /// The next element tag, skipping text, comments, processing instructions, DOCTYPE and CDATA.
    mutating func next() throws -> Tag? {
        while let open = find(0x3C, from: position) {
            position = open
            if try skipMarkup() { continue }
            return try tag()
        }
        position = bytes.count
        return nil
    }

    func name(_ range: Range<Int>, is literal: StaticString) -> Bool {
        literal.withUTF8Buffer { expected in
            guard expected.count == range.count else { return false }
            var index = range.lowerBound
            for byte in expected {
                if bytes[index] != byte { return false }
                index += 1
            }
            return true
        }
    }

    /// Calls `visit` with each attribute's local name and raw value range.
    func attributes(of tag: Tag, _ visit: (Range<Int>, Range<Int>) -> Void) {
        var index = tag.attributes.lowerBound
        let end = tag.attributes.upperBound
        while index < end {
            while index < end, Self.isSpace(bytes[index]) { index += 1 }
            var localStart = index
            while index < end, bytes[index] != 0x3D, !Self.isSpace(bytes[index]) {
                if bytes[index] == 0x3A { localStart = index + 1 }
                index += 1
            }
            let name = localStart..<index
            while index < end, Self.isSpace(bytes[index]) { index += 1 }
            guard index < end, bytes[index] == 0x3D else { return }
            index += 1
            while index < end, Self.isSpace(bytes[index]) { index += 1 }
            guard index < end, bytes[index] == 0x22 || bytes[index] == 0x27 else { return }
            let quote = bytes[index]
            index += 1
            let valueStart = index
            while index < end, bytes[index] != quote { index += 1 }
            guard index < end else { return }
            if !name.isEmpty { visit(name, valueStart..<index) }
            index += 1
        }
    }

    /// An attribute value as an NFC string, entities decoded.
    func attributeString(_ range: Range<Int>) -> String {
        var out: [UInt8] = []
        appendDecoded(range, to: &out)
        let string = String(decoding: out, as: UTF8.self)
        return out.contains(where: { $0 >= 0x80 }) ? string.precomposedStringWithCanonicalMapping : string
    }

    /// The text up to the close tag `closing`, entities decoded and CDATA kept verbatim; nested tags dropped.
    mutating func text(closing: StaticString, into out: inout [UInt8]) throws {
        while true {
            guard let open = find(0x3C, from: position) else {
                throw malformed("a <\(closing)> is not closed")
            }
            appendDecoded(position..<open, to: &out)
            position = open
            if has("<![CDATA[", at: open) {
                let end = try index(of: "]]>", from: open + 9)
                out.append(contentsOf: bytes[(open + 9)..<end])
                position = end + 3
                continue
            }
            if try skipMarkup() { continue }
            let tag = try tag()
            if tag.kind == .close, name(tag.name, is: closing) { return }
        }
    }

    /// The text of a `<v>` element. Numbers and string indices are plain ASCII, so they skip the decoding
    /// buffer: this is the path almost every cell takes.
    mutating func value() throws -> String {
        let start = position
        if let open = find(0x3C, from: start), open + 1 < bytes.count, bytes[open + 1] == 0x2F {
            var plain = true
            for index in start..<open {
                let byte = bytes[index]
                if byte >= 0x80 || byte == 0x26 || byte == 0x0D || byte == 0x5F {
                    plain = false
                    break
                }
            }
            if plain {
                position = open
                let tag = try tag()
                if tag.kind == .close, name(tag.name, is: "v") {
                    return String(decoding: bytes[start..<open], as: UTF8.self)
                }
                position = start
            }
        }
        var out: [UInt8] = []
        try text(closing: "v", into: &out)
        return XMLText.string(out)
    }

    /// The string of an `<si>` or `<is>`: every `<t>` concatenated, rich-text runs included, phonetic
    /// (`<rPh>`) readings left out because they are not part of the cell's text.
    mutating func stringItem(closing: StaticString) throws -> String {
        var out: [UInt8] = []
        var phonetic = 0
        while let tag = try next() {
            if tag.kind == .close, name(tag.name, is: closing) { return XMLText.string(out) }
            if name(tag.name, is: "rPh") {
                if tag.kind == .open { phonetic += 1 }
                if tag.kind == .close { phonetic = max(0, phonetic - 1) }
            } else if tag.kind == .open, name(tag.name, is: "t") {
                if phonetic > 0 {
                    var discarded: [UInt8] = []
                    try text(closing: "t", into: &discarded)
                } else {
                    try text(closing: "t", into: &out)
                }
            }
        }
        throw malformed("a <\(closing)> is not closed")
    }

    /// Skips a comment, processing instruction, DOCTYPE or CDATA section at `position`; false at an element.
    private mutating func skipMarkup() throws -> Bool {
        guard position + 1 < bytes.count else { throw malformed("the text ends inside a tag") }
        switch bytes[position + 1] {
        case 0x3F:
            position = try index(of: "?>", from: position + 2) + 2
        case 0x21:
            if has("<!--", at: position) {
                position = try index(of: "-->", from: position + 4) + 3
            } else if has("<![CDATA[", at: position) {
                position = try index(of: "]]>", from: position + 9) + 3
            } else {
                position = try index(of: ">", from: position + 2) + 1
            }
        default:
            return false
        }
        return true
    }

    /// Reads the element tag starting at the `<` at `position`.
    private mutating func tag() throws -> Tag {
        var index = position + 1
        var kind = Kind.open
        if index < bytes.count, bytes[index] == 0x2F {
            kind = .close
            index += 1
        }
        let nameStart = index
        var localStart = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x3E || byte == 0x2F || Self.isSpace(byte) { break }
            if byte == 0x3A { localStart = index + 1 }
            index += 1
        }
        guard index > nameStart, localStart < index else {
            throw malformed("a tag has no name at byte \(position)")
        }
        let name = localStart..<index
        let attributesStart = index
        var quote: UInt8 = 0
        while index < bytes.count {
            let byte = bytes[index]
            if quote != 0 {
                if byte == quote { quote = 0 }
            } else if byte == 0x3E {
                break
            } else if byte == 0x22 || byte == 0x27 {
                quote = byte
            }
            index += 1
        }
        guard index < bytes.count else { throw malformed("the text ends inside a tag") }
        var attributesEnd = index
        if kind == .open, attributesEnd > attributesStart, bytes[attributesEnd - 1] == 0x2F {
            kind = .empty
            attributesEnd -= 1
        }
        position = index + 1
        return Tag(kind: kind, name: name, attributes: attributesStart..<attributesEnd)
    }

    /// Appends text with the five predefined entities and character references decoded and line ends
    /// normalised to LF, as an XML parser would; an unknown entity stays as written.
    private func appendDecoded(_ range: Range<Int>, to out: inout [UInt8]) {
        var index = range.lowerBound
        let end = range.upperBound
        while index < end {
            let byte = bytes[index]
            if byte == 0x26, let (scalar, next) = entity(at: index, end: end) {
                XMLText.append(scalar, to: &out)
                index = next
            } else if byte == 0x0D {
                out.append(0x0A)
                index += index + 1 < end && bytes[index + 1] == 0x0A ? 2 : 1
            } else {
                out.append(byte)
                index += 1
            }
        }
    }

    private func entity(at start: Int, end: Int) -> (Unicode.Scalar, Int)? {
        var semicolon = start + 1
        let limit = min(end, start + 12)
        while semicolon < limit, bytes[semicolon] != 0x3B { semicolon += 1 }
        guard semicolon < limit, semicolon > start + 1 else { return nil }
        let body = (start + 1)..<semicolon
        let value: UInt32
        if name(body, is: "amp") {
            value = 0x26
        } else if name(body, is: "lt") {
            value = 0x3C
        } else if name(body, is: "gt") {
            value = 0x3E
        } else if name(body, is: "quot") {
            value = 0x22
        } else if name(body, is: "apos") {
            value = 0x27
        } else if bytes[start + 1] == 0x23 {
            let hex = start + 2 < semicolon && (bytes[start + 2] == 0x78 || bytes[start + 2] == 0x58)
            let digits = (start + (hex ? 3 : 2))..<semicolon
            guard !digits.isEmpty else { return nil }
            var number: UInt32 = 0
            for index in digits {
                let digit: UInt32
                if hex {
                    guard let hexValue = XMLText.hexDigit(bytes[index]) else { return nil }
                    digit = hexValue
                } else {
                    guard bytes[index] >= 0x30, bytes[index] <= 0x39 else { return nil }
                    digit = UInt32(bytes[index] - 0x30)
                }
                number = number * (hex ? 16 : 10) + digit
                if number > 0x10FFFF { return nil }
            }
            value = number
        } else {
            return nil
        }
        guard let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, semicolon + 1)
    }

    private func has(_ literal: StaticString, at start: Int) -> Bool {
        literal.withUTF8Buffer { expected in
            guard start + expected.count <= bytes.count else { return false }
            return bytes[start..<(start + expected.count)].elementsEqual(expected)
        }
    }

    private func index(of literal: StaticString, from start: Int) throws -> Int {
        var candidate = start
        let first = literal.withUTF8Buffer { $0.first ?? 0 }
        while let found = find(first, from: candidate) {
            if has(literal, at: found) { return found }
            candidate = found + 1
        }
        throw malformed("the text ends before \"\(literal)\"")
    }

    private func find(_ byte: UInt8, from start: Int) -> Int? {
        guard start >= 0, start < bytes.count else { return nil }
        return bytes.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress,
                  let hit = memchr(base + start, Int32(byte), buffer.count - start) else { return nil }
            return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }
}

// MARK: - SpreadsheetML parts

/// Readers for the parts of a workbook.
private enum PartParser {
    struct Sheet {
        let name: String
        let relationshipID: String
    }

    struct Relationship {
        let id: String
        let type: String
        let target: String
    }

    /// Excel's limit, XFD; a larger column would only come from a corrupt file and would make huge rows.
    static let maximumColumn = 16_384
    /// Excel's last row; callers may lay rows out by number, so a corrupt huge number must not get through.
    static let maximumRow = 1_048_576

    static func sheets(xml: [UInt8], part: String) throws -> [Sheet] {
        var scanner = XMLScanner(bytes: xml, part: part)
        var sheets: [Sheet] = []
        while let tag = try scanner.next() {
            guard tag.kind != .close, scanner.name(tag.name, is: "sheet") else { continue }
            var name: Range<Int>?, id: Range<Int>?
            scanner.attributes(of: tag) { attribute, value in
                if scanner.name(attribute, is: "name") { name = value }
                if scanner.name(attribute, is: "id") { id = value }
            }
            guard let name else { throw scanner.malformed("sheet \(sheets.count + 1) has no name") }
            let relationshipID = id.map { scanner.attributeString($0) } ?? ""
            sheets.append(Sheet(name: scanner.attributeString(name), relationshipID: relationshipID))
        }
        return sheets
    }

    /// Internal relationships only: external ones point at other files or URLs, never at a part.
    static func relationships(xml: [UInt8], part: String) throws -> [Relationship] {
        var scanner = XMLScanner(bytes: xml, part: part)
        var relationships: [Relationship] = []
        while let tag = try scanner.next() {
            guard tag.kind != .close, scanner.name(tag.name, is: "Relationship") else { continue }
            var id: Range<Int>?, type: Range<Int>?, target: Range<Int>?, external = false
            scanner.attributes(of: tag) { attribute, value in
                if scanner.name(attribute, is: "Id") { id = value }
                if scanner.name(attribute, is: "Type") { type = value }
                if scanner.name(attribute, is: "Target") { target = value }
                if scanner.name(attribute, is: "TargetMode") {
                    external = scanner.name(value, is: "External")
                }
            }
            guard !external, let id, let target else { continue }
            relationships.append(Relationship(id: scanner.attributeString(id),
                                              type: type.map { scanner.attributeString($0) } ?? "",
                                              target: scanner.attributeString(target)))
        }
        return relationships
    }

    static func sharedStrings(xml: [UInt8], part: String) throws -> [String] {
        var scanner = XMLScanner(bytes: xml, part: part)
        var strings: [String] = []
        while let tag = try scanner.next() {
            guard scanner.name(tag.name, is: "si") else { continue }
            if tag.kind == .empty { strings.append("") }
            if tag.kind == .open { strings.append(try scanner.stringItem(closing: "si")) }
        }
        return strings
    }

    static func rows(xml: [UInt8], part: String, sharedStrings: [String],
                     percentStyles: Set<Int>) throws -> (rows: [XLSXRow], percentCells: Int) {
        var scanner = XMLScanner(bytes: xml, part: part)
        var rows: [XLSXRow] = []
        var cells: [String] = []
        var percentCells = 0
        var inSheetData = false, inRow = false
        var rowNumber = 0, nextColumn = 0

        func finishRow() {
            while let last = cells.last, last.isEmpty { cells.removeLast() }
            if !cells.isEmpty { rows.append(XLSXRow(number: rowNumber, cells: cells)) }
            cells = []
            inRow = false
        }

        while let tag = try scanner.next() {
            if scanner.name(tag.name, is: "c") {
                guard inRow, tag.kind != .close else { continue }
                var reference: Range<Int>?, type: Range<Int>?, style: Range<Int>?
                scanner.attributes(of: tag) { attribute, value in
                    if scanner.name(attribute, is: "r") {
                        reference = value
                    } else if scanner.name(attribute, is: "t") {
                        type = value
                    } else if scanner.name(attribute, is: "s") {
                        style = value
                    }
                }
                let column = try reference.flatMap { try self.column(of: $0, in: scanner) } ?? nextColumn
                guard column < maximumColumn else {
                    throw scanner.malformed("row \(rowNumber) goes beyond column XFD")
                }
                nextColumn = column + 1
                guard tag.kind == .open else { continue }
                var value = try cellValue(&scanner, type: type, reference: reference,
                                          sharedStrings: sharedStrings)
                guard !value.isEmpty else { continue }
                // Checked only when the workbook has percentage styles, so ordinary sheets keep the fast path.
                if !percentStyles.isEmpty, let style, type.map({ scanner.name($0, is: "n") }) ?? true,
                   let index = Self.integer(style, in: scanner), percentStyles.contains(index),
                   let percent = XLSXNumberFormat.percentText(value) {
                    value = percent
                    percentCells += 1
                }
                if column < cells.count {
                    cells[column] = value
                } else {
                    cells.append(contentsOf: repeatElement("", count: column - cells.count))
                    cells.append(value)
                }
            } else if scanner.name(tag.name, is: "row") {
                guard inSheetData else { continue }
                if inRow { finishRow() }
                guard tag.kind != .close else { continue }
                var number: Int?
                scanner.attributes(of: tag) { attribute, value in
                    if scanner.name(attribute, is: "r") { number = Self.integer(value, in: scanner) }
                }
                rowNumber = number ?? rowNumber + 1
                guard rowNumber <= maximumRow else {
                    throw scanner.malformed("row \(rowNumber) is beyond Excel's last row, \(maximumRow)")
                }
                nextColumn = 0
                inRow = tag.kind == .open
            } else if scanner.name(tag.name, is: "sheetData") {
                if inRow { finishRow() }
                inSheetData = tag.kind == .open
            }
        }
        if inRow || inSheetData { throw scanner.malformed("the sheet ends inside row \(rowNumber)") }
        return (rows, percentCells)
    }

    /// The `cellXfs` indices whose number format is a percentage. A cell's `s` attribute counts only the
    /// `xf` elements of `cellXfs` (those of `cellStyleXfs` are named styles), and only the `numFmt`
    /// elements of `numFmts` define format ids (those inside `dxfs` belong to conditional formats).
    static func percentStyles(xml: [UInt8], part: String) throws -> Set<Int> {
        var scanner = XMLScanner(bytes: xml, part: part)
        var customIsPercent: [Int: Bool] = [:]
        var formatIDs: [Int] = []
        var inNumFmts = false, inCellXfs = false
        while let tag = try scanner.next() {
            if scanner.name(tag.name, is: "numFmts") {
                inNumFmts = tag.kind == .open
            } else if scanner.name(tag.name, is: "cellXfs") {
                inCellXfs = tag.kind == .open
            } else if inNumFmts, tag.kind != .close, scanner.name(tag.name, is: "numFmt") {
                var id: Int?, code: Range<Int>?
                scanner.attributes(of: tag) { attribute, value in
                    if scanner.name(attribute, is: "numFmtId") { id = Self.integer(value, in: scanner) }
                    if scanner.name(attribute, is: "formatCode") { code = value }
                }
                if let id, let code, customIsPercent[id] == nil {
                    let formatCode = scanner.attributeString(code)
                    customIsPercent[id] = XLSXNumberFormat.isPercent(formatCode: formatCode)
                }
            } else if inCellXfs, tag.kind != .close, scanner.name(tag.name, is: "xf") {
                // An absent or unreadable numFmtId is General, as Excel reads it.
                var id = 0
                scanner.attributes(of: tag) { attribute, value in
                    if scanner.name(attribute, is: "numFmtId") { id = Self.integer(value, in: scanner) ?? 0 }
                }
                formatIDs.append(id)
            }
        }
        var styles = Set<Int>()
        for (index, id) in formatIDs.enumerated()
        where customIsPercent[id] ?? XLSXNumberFormat.builtInPercentIDs.contains(id) {
            styles.insert(index)
        }
        return styles
    }

    /// The cell's text from its children, according to its `t` attribute.
    private static func cellValue(_ scanner: inout XMLScanner, type: Range<Int>?, reference: Range<Int>?,
                                  sharedStrings: [String]) throws -> String {
        var value: String?, inline: String?
        while true {
            guard let child = try scanner.next() else {
                throw scanner.malformed("the sheet ends inside a cell")
            }
            if child.kind == .close {
                if scanner.name(child.name, is: "c") { break }
                continue
            }
            guard child.kind == .open else { continue }
            if scanner.name(child.name, is: "v") {
                value = try scanner.value()
            } else if scanner.name(child.name, is: "is") {
                inline = try scanner.stringItem(closing: "is")
            }
        }
        guard let type else { return value ?? "" }
        if scanner.name(type, is: "s") {
            guard let value else { return "" }
            guard let index = Int(value), index >= 0, index < sharedStrings.count else {
                let cell = reference.map { "cell " + scanner.attributeString($0) } ?? "a cell"
                let detail = "\(cell) refers to shared string \(value), "
                    + "but the workbook has \(sharedStrings.count)"
                throw scanner.malformed(detail)
            }
            return sharedStrings[index]
        }
        if scanner.name(type, is: "inlineStr") { return inline ?? value ?? "" }
        if scanner.name(type, is: "b") {
            if value == "1" { return "TRUE" }
            if value == "0" { return "FALSE" }
        }
        return value ?? ""
    }

    /// The 0-based column of a reference such as "B3"; nil when it has no letters.
    private static func column(of reference: Range<Int>, in scanner: XMLScanner) throws -> Int? {
        var column = 0
        for index in reference {
            let byte = scanner.bytes[index] & 0xDF
            guard byte >= 0x41, byte <= 0x5A, scanner.bytes[index] >= 0x41 else { break }
            column = column * 26 + Int(byte - 0x40)
            if column > maximumColumn {
                throw scanner.malformed("cell \(scanner.attributeString(reference)) is beyond column XFD")
            }
        }
        return column > 0 ? column - 1 : nil
    }

    private static func integer(_ range: Range<Int>, in scanner: XMLScanner) -> Int? {
        guard !range.isEmpty, range.count <= 9 else { return nil }
        var number = 0
        for index in range {
            let byte = scanner.bytes[index]
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            number = number * 10 + Int(byte - 0x30)
        }
        return number
    }
}

// MARK: - Number formats

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
