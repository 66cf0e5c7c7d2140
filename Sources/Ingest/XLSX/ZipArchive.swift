import CZlib
import Foundation

/// The entries of a zip archive held in memory; only what .xlsx files use (no ZIP64, no encryption).
struct ZipArchive {
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
struct ByteReader {
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
