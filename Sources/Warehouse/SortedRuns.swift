import Foundation

/// Staged registry rows sorted by key (in SQLite's order: the key's UTF-8 bytes), then by line, in bounded
/// memory: rows are kept until `rowsPerRun` of them are held, then sorted and written to an anonymous
/// temporary file as one run; `ordered` merges the runs (and the rows still held) into one stream in key
/// order. Each row is sorted once in memory and written once more to disk, so the cost grows with the rows.
final class SortedRuns {
    typealias Row = RegistryWriter.StagedRow
    private var held: [Row] = []
    private var runs: [RunFile] = []
    private let rowsPerRun: Int

    init(rowsPerRun: Int = 1 << 18) { self.rowsPerRun = rowsPerRun }

    deinit { runs.forEach { $0.discard() } }

    func append(_ rows: [Row]) throws {
        held.append(contentsOf: rows)
        if held.count >= rowsPerRun {
            let run = try RunFile()
            for row in Self.sorted(held) { try run.write(row) }
            try run.finishWriting()
            runs.append(run)
            held.removeAll(keepingCapacity: true)
        }
    }

    /// Every row appended, in key order, then line order. Throws when a run cannot be read back whole.
    func ordered() -> Merge {
        let last = Self.sorted(held)
        held = []
        defer { runs = [] }
        return Merge(runs: runs, last: last)
    }

    /// The runs merged into one stream: a binary heap holds each run's next row, smallest first.
    final class Merge {
        private let runs: [RunFile]
        private let last: [Row]
        private var lastAt = 0
        private var heap: [(row: Row, source: Int)] = []

        fileprivate init(runs: [RunFile], last: [Row]) {
            (self.runs, self.last) = (runs, last)
        }

        deinit { runs.forEach { $0.discard() } }

        private var started = false

        func next() throws -> Row? {
            if !started {
                started = true
                for source in 0...runs.count {
                    if let row = try read(source) { heap.append((row, source)) }
                }
                for i in stride(from: heap.count / 2, through: 0, by: -1) { siftDown(i) }
            }
            guard let top = heap.first else { return nil }
            if let next = try read(top.source) {
                heap[0] = (next, top.source)
            } else {
                heap[0] = heap[heap.count - 1]
                heap.removeLast()
            }
            siftDown(0)
            return top.row
        }

        /// The next row of run `source`; the rows still held in memory are the source after the last run.
        private func read(_ source: Int) throws -> Row? {
            if source < runs.count { return try runs[source].read() }
            guard lastAt < last.count else { return nil }
            lastAt += 1
            return last[lastAt - 1]
        }

        private func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count && SortedRuns.precedes(heap[l].row, heap[m].row) { m = l }
                if r < heap.count && SortedRuns.precedes(heap[r].row, heap[m].row) { m = r }
                if m == i { return }
                heap.swapAt(i, m)
                i = m
            }
        }
    }

    /// `rows` by key, then line: by an 8-byte prefix of the key first, the whole key only on a tie.
    static func sorted(_ rows: [Row]) -> [Row] {
        var order = rows.indices.map { (prefix: prefix(of: rows[$0].key), index: $0) }
        order.sort { a, b in
            if a.prefix != b.prefix { return a.prefix < b.prefix }
            return precedes(rows[a.index], rows[b.index])
        }
        return order.map { rows[$0.index] }
    }

    /// Whether `a` comes before `b`: its key's bytes are smaller, or the keys are equal and its line is earlier.
    static func precedes(_ a: Row, _ b: Row) -> Bool {
        let order = compareBytes(a.key, b.key)
        return order != 0 ? order < 0 : a.line < b.line
    }

    /// The first eight bytes of `key`, big-endian, zero-padded: their order is the keys' byte order.
    private static func prefix(of key: String) -> UInt64 {
        var prefix: UInt64 = 0, count = 0
        for byte in key.utf8 {
            prefix = prefix << 8 | UInt64(byte)
            count += 1
            if count == 8 { return prefix }
        }
        return prefix << (8 * UInt64(8 - count))
    }

    /// memcmp's order of the keys' UTF-8 bytes (SQLite's BINARY collation), shorter first on a common prefix.
    static func compareBytes(_ a: String, _ b: String) -> Int {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let common = min(x.count, y.count)
                let order = common == 0 ? 0 : Int(memcmp(x.baseAddress!, y.baseAddress!, common))
                return order != 0 ? order : x.count - y.count
            }
        }
    }
}

extension RegistryWriter.StagedRow {
    /// The record's key: the first value, text in every registry.
    var key: String { values[0].text ?? "" }
}

/// A temporary file of rows: written once, then read once from the start. It has no name (unlinked as soon as it
/// is made), so nothing stays behind on a crash.
final class RunFile {
    private let file: UnsafeMutablePointer<FILE>
    private var buffer: [UInt8] = []
    private var position = 0

    init() throws {
        let folder = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        var template = Array((folder + "/chiso-run-XXXXXX").utf8CString)
        let descriptor = mkstemp(&template)
        guard descriptor >= 0 else { throw RunFileError(message: "cannot make a temporary file in \(folder): " + Self.error()) }
        unlink(template)
        guard let file = fdopen(descriptor, "w+") else {
            close(descriptor)
            throw RunFileError(message: "cannot open a temporary file in \(folder): " + Self.error())
        }
        self.file = file
        buffer.reserveCapacity(1 << 20)
    }

    func discard() { fclose(file) }

    func write(_ row: RegistryWriter.StagedRow) throws {
        for number in [row.line, row.rawAt, row.rawLength] { append(UInt64(bitPattern: Int64(number))) }
        buffer.append(UInt8(row.values.count))
        for value in row.values {
            switch value {
            case .null: buffer.append(0)
            case .integer(let v):
                buffer.append(1)
                append(UInt64(bitPattern: v))
            case .real(let v):
                buffer.append(2)
                append(v.bitPattern)
            case .text(let v):
                buffer.append(3)
                append(UInt64(v.utf8.count))
                buffer.append(contentsOf: v.utf8)
            }
        }
        if buffer.count >= 1 << 20 { try flush() }
    }

    func finishWriting() throws {
        try flush()
        guard fflush(file) == 0 else { throw RunFileError(message: "cannot write a temporary file: " + Self.error()) }
        rewind(file)
        position = 0
    }

    /// The next row, `nil` at the end. Throws when the file ends inside a row or cannot be read.
    func read() throws -> RegistryWriter.StagedRow? {
        guard try ensure(1) else { return nil }
        try require(25)
        let line = Int(Int64(bitPattern: number())), rawAt = Int(Int64(bitPattern: number()))
        let rawLength = Int(Int64(bitPattern: number()))
        let count = Int(buffer[position])
        position += 1
        var values: [SQLValue] = []
        values.reserveCapacity(count)
        for _ in 0..<count {
            try require(1)
            let tag = buffer[position]
            position += 1
            switch tag {
            case 0: values.append(.null)
            case 1:
                try require(8)
                values.append(.integer(Int64(bitPattern: number())))
            case 2:
                try require(8)
                values.append(.real(Double(bitPattern: number())))
            default:
                try require(8)
                let length = Int(number())
                try require(length)
                values.append(.text(String(decoding: buffer[position..<position + length], as: UTF8.self)))
                position += length
            }
        }
        return RegistryWriter.StagedRow(values: values, line: line, rawAt: rawAt, rawLength: rawLength)
    }

    private func require(_ count: Int) throws {
        guard try ensure(count) else {
            throw RunFileError(message: "a temporary file of sorted rows ended inside a row: the disk may be full or failing")
        }
    }

    private func append(_ number: UInt64) {
        withUnsafeBytes(of: number.littleEndian) { buffer.append(contentsOf: $0) }
    }

    private func number() -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<8 { value |= UInt64(buffer[position + i]) << (8 * UInt64(i)) }
        position += 8
        return value
    }

    private func flush() throws {
        let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == buffer.count else { throw RunFileError(message: "cannot write a temporary file: " + Self.error()) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Whether `count` more bytes are in the buffer, reading more of the file when they are not.
    private func ensure(_ count: Int) throws -> Bool {
        if buffer.count - position >= count { return true }
        buffer.removeFirst(position)
        position = 0
        var chunk = [UInt8](repeating: 0, count: max(1 << 20, count))
        while buffer.count < count {
            let read = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if read == 0 {
                if ferror(file) != 0 { throw RunFileError(message: "cannot read a temporary file: " + Self.error()) }
                break
            }
            buffer.append(contentsOf: chunk[0..<read])
        }
        return buffer.count >= count
    }

    private static func error() -> String { String(cString: strerror(errno)) }
}

struct RunFileError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
