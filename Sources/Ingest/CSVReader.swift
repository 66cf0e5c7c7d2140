import Foundation
import Warehouse

/// One record of a delimited file: its fields and where it stands in the file.
public struct CSVRecord: Sendable {
    /// 1-based physical line on which the record starts.
    public let line: Int
    /// Byte offset of the record's first byte in the file (after any BOM).
    public let byteOffset: Int
    /// The fields, unquoted.
    public let fields: [String]
    /// The record's bytes as written (without its line ending).
    public let rawBytes: ArraySlice<UInt8>
    /// The record as written, for reject reports.
    public var raw: String { String(decoding: rawBytes, as: UTF8.self) }
}

/// A streaming RFC 4180 reader: quoted fields may hold delimiters, doubled quotes and line breaks; UTF-8 with
/// or without a byte-order mark; CRLF or LF. Memory stays bounded by the longest record, not the file.
public final class CSVReader: Sequence, IteratorProtocol {
    /// The field separator, sniffed among `,` `;` and tab unless given.
    public let delimiter: UInt8
    /// Whether the file began with a byte-order mark.
    public let hadByteOrderMark: Bool
    /// The text encoding read: "UTF-8", or "UTF-16LE"/"UTF-16BE" (decoded whole into memory first).
    public let encoding: String

    private let handle: FileHandle?
    private var buffer: [UInt8] = []
    private var position = 0
    private var bufferOffset = 0
    private var line = 1
    private var atEOF = false
    /// A quoted field's bytes once unquoted, reused from record to record.
    private var scratch: [UInt8] = []
    /// The number of fields of the last record, to size the next.
    private var fieldsPerRecord = 8
    /// The line of the last record when the file ends without a line break after it: a file cut short ends
    /// that way, so its last record may be incomplete.
    public private(set) var unterminatedLastLine: Int?
    /// Whether the bytes come from a file as written (not a workbook's sheet turned into text).
    private let readsFile: Bool
    private static let chunkSize = 1 << 20
    /// The longest field read, in bytes: no value, code or name of a data file comes near it, and a longer one
    /// is refused before anything searches it.
    public static let fieldLimit = 65_536
    private static let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    /// Opens `path`. UTF-16 text (Excel's "Unicode Text", with its byte-order mark, or without one when every
    /// other byte of the start is zero) is decoded to UTF-8 in memory; UTF-8 streams. Throws when the file
    /// cannot be opened, or is UTF-16 that does not decode.
    public init(path: String, delimiter: UInt8? = nil) throws {
        readsFile = true
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        let first = [UInt8](handle.readData(ofLength: Self.chunkSize))
        if let utf16 = Self.utf16Encoding(first) {
            let bytes = first + [UInt8](handle.readDataToEndOfFile())
            try? handle.close()
            let hasBOM = bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF])
            guard let text = String(data: Data(bytes.dropFirst(hasBOM ? 2 : 0)), encoding: utf16.encoding) else {
                throw InputError(file: path, message: "the file looks like \(utf16.name) text but does not decode as "
                                    + "such: save it as CSV UTF-8")
            }
            self.handle = nil
            buffer = Array(text.utf8)
            atEOF = true
            hadByteOrderMark = hasBOM
            encoding = utf16.name
        } else if first.contains(Self.cr) && !first.contains(Self.newline) {
            // Old Mac line ends, a carriage return alone: read whole, as lines.
            let bytes = first + [UInt8](handle.readDataToEndOfFile())
            try? handle.close()
            self.handle = nil
            hadByteOrderMark = bytes.starts(with: [0xEF, 0xBB, 0xBF])
            buffer = bytes.dropFirst(hadByteOrderMark ? 3 : 0).map { $0 == Self.cr ? Self.newline : $0 }
            atEOF = true
            encoding = "UTF-8"
        } else {
            self.handle = handle
            buffer = first
            atEOF = first.count < Self.chunkSize
            hadByteOrderMark = buffer.starts(with: [0xEF, 0xBB, 0xBF])
            if hadByteOrderMark { buffer.removeFirst(3) }
            encoding = "UTF-8"
        }
        self.delimiter = delimiter ?? Self.sniff(buffer)
    }

    /// Reads `bytes` (UTF-8) from memory, e.g. a workbook's sheet written as CSV.
    public init(bytes: [UInt8], delimiter: UInt8? = nil, encoding: String = "UTF-8") {
        handle = nil
        readsFile = false
        buffer = bytes
        atEOF = true
        hadByteOrderMark = false
        self.encoding = encoding
        self.delimiter = delimiter ?? Self.sniff(bytes)
    }

    deinit { try? handle?.close() }

    /// UTF-16 by its byte-order mark, or by zero bytes in every other place of the first 64 bytes.
    private static func utf16Encoding(_ bytes: [UInt8]) -> (encoding: String.Encoding, name: String)? {
        if bytes.starts(with: [0xFF, 0xFE]) { return (.utf16LittleEndian, "UTF-16LE") }
        if bytes.starts(with: [0xFE, 0xFF]) { return (.utf16BigEndian, "UTF-16BE") }
        let sample = bytes.prefix(64)
        guard sample.count >= 8 else { return nil }
        let even = stride(from: 0, to: sample.count, by: 2).map { sample[$0] }
        let odd = stride(from: 1, to: sample.count, by: 2).map { sample[$0] }
        // Vietnamese letters beyond Latin-1 have a non-zero high byte, so half the places is enough.
        func mostlyZero(_ bytes: [UInt8]) -> Bool { bytes.filter { $0 == 0 }.count * 2 >= bytes.count }
        if mostlyZero(odd) && !even.contains(0) { return (.utf16LittleEndian, "UTF-16LE") }
        if mostlyZero(even) && !odd.contains(0) { return (.utf16BigEndian, "UTF-16BE") }
        return nil
    }

    /// The next record, or the reason it could not be read; `nil` at the end of the file.
    public func next() -> Result<CSVRecord, CSVRecordError>? {
        while true {
            if position >= buffer.count {
                if atEOF { return nil }
                fill()
                continue
            }
            switch scan(from: position) {
            case .needMore:
                if atEOF {
                    return .failure(skipUnterminated())
                }
                fill()
            case .record(let end, let next, let newlines):
                let start = position
                if newlines == 0 && end > start && readsFile {
                    unterminatedLastLine = line
                }
                let record = makeRecord(start: start, end: end)
                position = next
                line += newlines
                return record
            }
        }
    }

    private enum Scan { case needMore, record(end: Int, next: Int, newlines: Int) }

    /// Finds where the record starting at `start` ends, honouring quotes.
    private func scan(from start: Int) -> Scan {
        var inQuotes = false
        var newlines = 0
        var index = start
        let count = buffer.count
        return buffer.withUnsafeBufferPointer { bytes in
            while index < count {
                let byte = bytes[index]
                if byte == Self.quote {
                    inQuotes.toggle()
                } else if byte == Self.newline {
                    newlines += 1
                    if !inQuotes {
                        let end = index > start && bytes[index - 1] == Self.cr ? index - 1 : index
                        return .record(end: end, next: index + 1, newlines: newlines)
                    }
                }
                index += 1
            }
            if atEOF && !inQuotes {
                let end = count > start && bytes[count - 1] == Self.cr ? count - 1 : count
                return .record(end: end, next: count, newlines: 0)
            }
            return .needMore
        }
    }

    /// Splits the record at `start..<end` into fields. A field without a quote is read where it lies in the
    /// buffer; one with a quote goes through the quoting rules into a scratch buffer.
    private func makeRecord(start: Int, end: Int) -> Result<CSVRecord, CSVRecordError> {
        var fields: [String] = []
        fields.reserveCapacity(fieldsPerRecord)
        var fault: Fault?
        var unquoted: [UInt8] = []
        swap(&unquoted, &scratch)
        let delimiter = delimiter, quote = Self.quote
        buffer.withUnsafeBufferPointer { bytes in
            var fieldStart = start
            while true {
                var index = fieldStart
                while index < end && bytes[index] != delimiter && bytes[index] != quote { index += 1 }
                if index == end || bytes[index] == delimiter {
                    Self.appendField(UnsafeBufferPointer(rebasing: bytes[fieldStart..<index]), to: &fields, fault: &fault)
                    if index == end { return }
                    fieldStart = index + 1
                    continue
                }
                // A quote: the rest of the field follows the quoting rules, up to a delimiter outside quotes.
                unquoted.removeAll(keepingCapacity: true)
                unquoted.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[fieldStart..<index]))
                var inQuotes = false
                while index < end {
                    let byte = bytes[index]
                    if inQuotes {
                        if byte == quote {
                            if index + 1 < end && bytes[index + 1] == quote {
                                unquoted.append(quote)
                                index += 1
                            } else {
                                inQuotes = false
                            }
                        } else {
                            unquoted.append(byte)
                        }
                    } else if byte == quote {
                        inQuotes = true
                    } else if byte == delimiter {
                        break
                    } else {
                        unquoted.append(byte)
                    }
                    index += 1
                }
                unquoted.withUnsafeBufferPointer { Self.appendField($0, to: &fields, fault: &fault) }
                if index >= end { return }
                fieldStart = index + 1
            }
        }
        scratch = unquoted
        fieldsPerRecord = fields.count
        if let fault {
            return .failure(CSVRecordError(kind: fault.kind, line: line, byteOffset: bufferOffset + start,
                                           field: fault.field, raw: buffer[start..<end], detail: fault.detail))
        }
        return .success(CSVRecord(line: line, byteOffset: bufferOffset + start, fields: fields, rawBytes: buffer[start..<end]))
    }

    /// The first problem of a record: its kind, the field's number (from 1) and what to say.
    private typealias Fault = (kind: CSVRecordError.Kind, field: Int, detail: String?)

    /// Appends the text of one field's bytes to `fields`, noting the record's first fault. A static function
    /// with its state passed in, so the compiler checks exclusive access once rather than on every field.
    private static func appendField(_ field: UnsafeBufferPointer<UInt8>, to fields: inout [String], fault: inout Fault?) {
        let number = fields.count + 1
        if field.count > fieldLimit {
            if fault == nil {
                fault = (.fieldTooLong, number, "field \(number) has \(field.count) bytes, more than the \(fieldLimit) "
                         + "a field may have: no value, code or name is that long; check the quotes and the delimiter")
            }
            fields.append("")
        } else if field.allSatisfy({ $0 >= 0x20 && $0 < 0x7F || $0 == 0x09 }) {
            // Printable ASCII (or tab): valid UTF-8 with nothing to check, the common case.
            fields.append(String(decoding: field, as: UTF8.self))
        } else if let text = validUTF8(field) {
            if fault == nil, let control = field.firstIndex(where: isControl) {
                fault = (.controlCharacter, number, "field \(number) holds the control character "
                         + escape(field[control]) + " after '\(String(decoding: field[..<control], as: UTF8.self))': "
                         + "such bytes are not text; remove them, or export the file again")
            }
            fields.append(text)
        } else {
            if fault == nil { fault = (.invalidUTF8, number, nil) }
            fields.append(String(decoding: field, as: UTF8.self))
        }
    }

    /// `bytes` as text when they are valid UTF-8, else `nil`. Decoding repairs what is not valid, so the text
    /// is valid when it has the same bytes; this is the decoder's fast path, where `String(validating:as:)` is
    /// generic and looked its types up at run time for every field (a name in Vietnamese, in every business row).
    private static func validUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var text = String(decoding: bytes, as: UTF8.self)
        let same = text.withUTF8 { decoded in
            decoded.count == bytes.count && (bytes.isEmpty || memcmp(decoded.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
        }
        return same ? text : nil
    }

    /// An open quote ran to the end of the file: report the record where it opened, then resume on the next
    /// line, so the rows after a stray quote are not lost.
    private func skipUnterminated() -> CSVRecordError {
        let start = position
        let lineEnd = buffer[start...].firstIndex(of: Self.newline) ?? buffer.count
        let end = lineEnd > start && buffer[lineEnd - 1] == Self.cr ? lineEnd - 1 : lineEnd
        let error = CSVRecordError(kind: .unterminatedQuote, line: line, byteOffset: bufferOffset + start, field: nil,
                                   raw: buffer[start..<end])
        position = Swift.min(lineEnd + 1, buffer.count)
        line += 1
        return error
    }

    private func fill() {
        if position > 0 {
            buffer.removeFirst(position)
            bufferOffset += position
            position = 0
        }
        guard let handle else {
            atEOF = true
            return
        }
        let data = handle.readData(ofLength: Self.chunkSize)
        buffer.append(contentsOf: data)
        atEOF = data.count < Self.chunkSize
    }

    /// A byte below the space, or DEL, other than a tab and the line breaks a quoted field may hold.
    private static func isControl(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != 0x09 && byte != newline && byte != cr) || byte == 0x7F
    }

    private static func escape(_ byte: UInt8) -> String { String(format: "\\u%04X", byte) }

    /// Picks the delimiter whose count is the same, and largest, on most of the first lines.
    static func sniff(_ bytes: [UInt8]) -> UInt8 {
        let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")]
        var lines: [[UInt8: Int]] = []
        var counts: [UInt8: Int] = [:]
        var inQuotes = false
        for byte in bytes.prefix(64 * 1024) {
            if byte == quote { inQuotes.toggle() }
            if inQuotes { continue }
            if byte == newline {
                if !counts.isEmpty { lines.append(counts) }
                counts = [:]
                if lines.count == 20 { break }
            } else if candidates.contains(byte) {
                counts[byte, default: 0] += 1
            }
        }
        if !counts.isEmpty { lines.append(counts) }
        var best = candidates[0]
        var bestScore = (0, 0)
        for candidate in candidates {
            let perLine = lines.map { $0[candidate] ?? 0 }.filter { $0 > 0 }
            let mode = Dictionary(grouping: perLine, by: { $0 }).max { ($0.value.count, $0.key) < ($1.value.count, $1.key) }
            let score = (mode?.value.count ?? 0, mode?.key ?? 0)
            if score > bestScore {
                best = candidate
                bestScore = score
            }
        }
        return best
    }
}
