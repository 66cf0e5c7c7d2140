import Foundation

/// Validated registry rows packed one after another into one buffer: built on any thread (the loader packs each
/// batch on the thread that validated it), then handed to `RegistryWriter.stage`, which sorts, writes and merges
/// them as bytes - no value of a row is made into a Swift object again until it is bound to a statement.
///
/// A row is its length in bytes (4), its line, the byte offset and the length of its text in the file (8 each),
/// its number of values (1), then each value: a tag (0 null, 1 integer, 2 real, 3 text), then 8 bytes, or a
/// 4-byte length and the text's UTF-8 bytes. Numbers are in the machine's byte order: the bytes never leave the
/// process. The first value, the record's key, is text.
public struct StagedRows: Sendable {
    private(set) var bytes: [UInt8] = []
    public private(set) var count = 0

    public init() {}

    /// Adds a row: `values` in the table's column order, the first the key (text), and where the row is in
    /// its file.
    public mutating func append(_ values: [SQLValue], line: Int, rawAt: Int, rawLength: Int) {
        precondition(values.first?.text != nil && values.count < 256, "a registry row starts with its key, as text")
        let start = bytes.count
        append(UInt32(0))
        for number in [line, rawAt, rawLength] { append(Int64(number)) }
        bytes.append(UInt8(values.count))
        for value in values {
            switch value {
            case .null: bytes.append(0)
            case .integer(let v):
                bytes.append(1)
                append(v)
            case .real(let v):
                bytes.append(2)
                append(v.bitPattern)
            case .text(let v):
                bytes.append(3)
                append(UInt32(v.utf8.count))
                bytes.append(contentsOf: v.utf8)
            }
        }
        withUnsafeBytes(of: UInt32(bytes.count - start)) { length in
            for i in 0..<4 { bytes[start + i] = length[i] }
        }
        count += 1
    }

    /// Adds `row`'s key alone, where the row is in its file, and `hash` as its second value (null for a row
    /// not written yet): what is sorted of a row on a server (`RegistryWriter+Server.swift`).
    mutating func appendKey(of row: PackedRow, hash: UInt64?) {
        let key = row.key
        append(UInt32(PackedRow.keyOffset + key.count + (hash == nil ? 1 : 9)))
        for number in [row.line, row.rawAt, row.rawLength] { append(Int64(number)) }
        bytes += [2, 3]
        append(UInt32(key.count))
        bytes.append(contentsOf: key)
        if let hash {
            bytes.append(1)
            append(hash)
        } else {
            bytes.append(0)
        }
        count += 1
    }

    /// Adds `row` as it is.
    mutating func append(_ row: PackedRow) {
        bytes.append(contentsOf: UnsafeRawBufferPointer(start: row.base, count: row.length))
        count += 1
    }

    private mutating func append<T: FixedWidthInteger>(_ number: T) {
        withUnsafeBytes(of: number) { bytes.append(contentsOf: $0) }
    }
}

/// One packed row where it lies in memory: valid while the buffer it points into is neither changed nor freed.
struct PackedRow {
    let base: UnsafeRawPointer

    init(_ base: UnsafeRawPointer) { self.base = base }

    /// The row's length in bytes, all of it.
    var length: Int { Int(base.loadUnaligned(as: UInt32.self)) }
    var line: Int { Int(base.loadUnaligned(fromByteOffset: 4, as: Int64.self)) }
    var rawAt: Int { Int(base.loadUnaligned(fromByteOffset: 12, as: Int64.self)) }
    var rawLength: Int { Int(base.loadUnaligned(fromByteOffset: 20, as: Int64.self)) }
    static let keyOffset = 34

    /// The key's UTF-8 bytes.
    var key: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + Self.keyOffset, count: Int(base.loadUnaligned(fromByteOffset: 30, as: UInt32.self)))
    }

    /// The first 16 bytes of the key, zero-padded, as two big-endian words: when they differ, their order is the
    /// keys' byte order. Sixteen, not eight: keys that share their first eight bytes are common (a parcel's
    /// commune and sheet, "00205-1-"), and each tie costs a comparison of the whole keys.
    var prefix: KeyPrefix {
        let key = self.key
        guard key.count < 16 else {
            return KeyPrefix(high: UInt64(bigEndian: key.loadUnaligned(as: UInt64.self)),
                             low: UInt64(bigEndian: key.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        }
        var bytes: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &bytes) { $0.copyMemory(from: key) }
        return KeyPrefix(high: UInt64(bigEndian: bytes.0), low: UInt64(bigEndian: bytes.1))
    }

    /// A key's first 16 bytes (`prefix`): ordered as the keys are, wherever two differ.
    struct KeyPrefix: Comparable {
        var high: UInt64, low: UInt64

        static func < (a: Self, b: Self) -> Bool { a.high != b.high ? a.high < b.high : a.low < b.low }
    }

    /// A value as it lies in the row: text as its bytes.
    enum Value {
        case null, integer(Int64), real(Double), text(UnsafeRawBufferPointer)

        /// The value as a Swift value.
        var sqlValue: SQLValue {
            switch self {
            case .null: return .null
            case .integer(let v): return .integer(v)
            case .real(let v): return .real(v)
            case .text(let bytes): return .text(String(decoding: bytes, as: UTF8.self))
            }
        }
    }

    /// Calls `body` with each value in order.
    func forEachValue(_ body: (Value) throws -> Void) rethrows {
        var at = 29
        for _ in 0..<Int(base.load(fromByteOffset: 28, as: UInt8.self)) {
            let tag = base.load(fromByteOffset: at, as: UInt8.self)
            switch tag {
            case 0:
                try body(.null)
                at += 1
            case 1:
                try body(.integer(base.loadUnaligned(fromByteOffset: at + 1, as: Int64.self)))
                at += 9
            case 2:
                try body(.real(Double(bitPattern: base.loadUnaligned(fromByteOffset: at + 1, as: UInt64.self))))
                at += 9
            default:
                let count = Int(base.loadUnaligned(fromByteOffset: at + 1, as: UInt32.self))
                try body(.text(UnsafeRawBufferPointer(start: base + at + 5, count: count)))
                at += 5 + count
            }
        }
    }

    /// The values as Swift values.
    var values: [SQLValue] {
        var values: [SQLValue] = []
        forEachValue { values.append($0.sqlValue) }
        return values
    }

    /// Whether `a` comes before `b`: its key's bytes are smaller (SQLite's BINARY order: memcmp, shorter first on
    /// a common prefix), or the keys are equal and its line is earlier.
    static func precedes(_ a: PackedRow, _ b: PackedRow) -> Bool {
        let order = compare(a.key, b.key)
        return order != 0 ? order < 0 : a.line < b.line
    }

    /// memcmp's order of two keys, shorter first on a common prefix.
    static func compare(_ x: UnsafeRawBufferPointer, _ y: UnsafeRawBufferPointer) -> Int {
        let common = min(x.count, y.count)
        let order = common == 0 ? 0 : Int(memcmp(x.baseAddress!, y.baseAddress!, common))
        return order != 0 ? order : x.count - y.count
    }
}

/// Bytes in memory of their own, growing by doubling: their address moves only when they grow.
final class ByteBuffer {
    private(set) var base: UnsafeMutableRawPointer
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 1 << 16) {
        self.capacity = max(capacity, 64)
        base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    /// The bytes held, valid until the buffer changes.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Makes room for `more` bytes after the last.
    func reserve(_ more: Int) {
        guard count + more > capacity else { return }
        var grown = capacity
        while grown < count + more { grown *= 2 }
        let moved = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 16)
        moved.copyMemory(from: base, byteCount: count)
        base.deallocate()
        (base, capacity) = (moved, grown)
    }

    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    /// Lets `body` write up to `limit` bytes after the last, at the pointer it is given; it returns how many it
    /// wrote.
    func write(upTo limit: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        reserve(limit)
        count += body((base + count).assumingMemoryBound(to: UInt8.self))
    }

    /// Reads up to `limit` bytes of `file` after the last byte: how many were read.
    func read(from file: UnsafeMutablePointer<FILE>, limit: Int) -> Int {
        reserve(limit)
        let read = fread(base + count, 1, limit, file)
        count += read
        return read
    }

    /// Drops the first `n` bytes, moving the rest to the start.
    func removeFirst(_ n: Int) {
        guard n < count else { return removeAll() }
        memmove(base, base + n, count - n)
        count -= n
    }

    func removeAll() { count = 0 }
}
