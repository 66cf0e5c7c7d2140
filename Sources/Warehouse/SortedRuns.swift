import Foundation

/// Staged registry rows sorted by key (in SQLite's order: the key's UTF-8 bytes), then by line, in bounded
/// memory: packed rows are kept until `rowsPerRun` of them are held, then sorted and written to an anonymous
/// temporary file as one run; `ordered` merges the runs (and the rows still held) into one stream in key
/// order. Each row is sorted once in memory and written once more to disk, so the cost grows with the rows;
/// rows stay bytes throughout.
final class SortedRuns {
    private var held = ByteBuffer(capacity: 1 << 20)
    private var heldStarts: [Int] = []
    private var runs: [Run] = []
    let rowsPerRun: Int

    /// Bytes of read buffer shared by the runs while they are merged.
    static let mergeBudget = 32 << 20

    init(rowsPerRun: Int = 1 << 18) { self.rowsPerRun = rowsPerRun }

    deinit { runs.forEach { $0.discard() } }

    func append(_ rows: StagedRows) throws {
        var at = held.count
        rows.bytes.withUnsafeBytes { held.append($0) }
        while at < held.count {
            heldStarts.append(at)
            at += PackedRow(held.base + at).length
        }
        if heldStarts.count >= rowsPerRun {
            let run = try Run.onDisk()
            for start in sortedStarts() { try run.write(PackedRow(held.base + start)) }
            try run.finishWriting()
            runs.append(run)
            held.removeAll()
            heldStarts.removeAll(keepingCapacity: true)
        }
    }

    /// Every row appended, in key order, then line order. Throws when a run cannot be read back whole.
    func ordered() throws -> Merge {
        let sorted = ByteBuffer(capacity: held.count)
        for start in sortedStarts() {
            let row = PackedRow(held.base + start)
            sorted.append(UnsafeRawBufferPointer(start: row.base, count: row.length))
        }
        held = ByteBuffer(capacity: 64)
        heldStarts = []
        defer { runs = [] }
        // The runs' read buffers share a fixed budget, so memory does not grow with the number of runs.
        let block = min(1 << 20, max(1 << 16, Self.mergeBudget / max(1, runs.count)))
        runs.forEach { $0.readBlock = block }
        return try Merge(runs: runs + [Run(sorted: sorted)])
    }

    /// The held rows' starts in the order of their rows: by a 16-byte prefix of the key first, the whole key
    /// and the line only on a tie.
    private func sortedStarts() -> [Int] {
        let base = UnsafeRawPointer(held.base)
        var order = heldStarts.map { (prefix: PackedRow(base + $0).prefix, start: $0) }
        order.sort { a, b in
            if a.prefix != b.prefix { return a.prefix < b.prefix }
            return PackedRow.precedes(PackedRow(base + a.start), PackedRow(base + b.start))
        }
        return order.map(\.start)
    }

    /// The runs merged into one stream: a binary heap holds the runs by their current rows, smallest first.
    final class Merge {
        private let runs: [Run]
        /// Each run's current key prefix, compared before the keys themselves.
        private var prefixes: [PackedRow.KeyPrefix]
        private var heap: [Int]
        /// The run whose row `next` returned last: it moves on at the next call, once that row is used.
        private var taken: Int?

        fileprivate init(runs: [Run]) throws {
            self.runs = runs
            for run in runs { try run.advance() }
            prefixes = runs.map { $0.current?.prefix ?? PackedRow.KeyPrefix(high: 0, low: 0) }
            heap = runs.indices.filter { runs[$0].current != nil }
            for i in stride(from: heap.count / 2, through: 0, by: -1) { siftDown(i) }
        }

        deinit { runs.forEach { $0.discard() } }

        /// The next row: valid until the next call.
        func next() throws -> PackedRow? {
            if let taken {
                let run = runs[taken]
                try run.advance()
                if let row = run.current {
                    prefixes[taken] = row.prefix
                } else {
                    heap[0] = heap[heap.count - 1]
                    heap.removeLast()
                }
                siftDown(0)
                self.taken = nil
            }
            guard let top = heap.first else { return nil }
            taken = top
            return runs[top].current
        }

        private func less(_ a: Int, _ b: Int) -> Bool {
            if prefixes[a] != prefixes[b] { return prefixes[a] < prefixes[b] }
            return PackedRow.precedes(runs[a].current!, runs[b].current!)
        }

        private func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count && less(heap[l], heap[m]) { m = l }
                if r < heap.count && less(heap[r], heap[m]) { m = r }
                if m == i { return }
                heap.swapAt(i, m)
                i = m
            }
        }
    }
}

/// Packed rows in key order, read one at a time from the start: the rows still in memory, or a temporary file
/// written once. The file has no name (unlinked as soon as it is made), so nothing stays behind on a crash.
final class Run {
    private let file: UnsafeMutablePointer<FILE>?
    private var buffer: ByteBuffer
    private var position = 0
    /// Bytes read from the file at a time once it is written.
    var readBlock = 1 << 20
    /// The row the run is at, after `advance`; `nil` before and at the end.
    private(set) var current: PackedRow?

    /// A run of the rows in `sorted`, already in order, in memory.
    init(sorted: ByteBuffer) {
        (file, buffer) = (nil, sorted)
    }

    private init(file: UnsafeMutablePointer<FILE>) {
        (self.file, buffer) = (file, ByteBuffer(capacity: 1 << 20))
    }

    /// An empty run on disk, to write.
    static func onDisk() throws -> Run {
        let folder = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        var template = Array((folder + "/chiso-run-XXXXXX").utf8CString)
        let descriptor = mkstemp(&template)
        guard descriptor >= 0 else { throw RunFileError(message: "cannot make a temporary file in \(folder): " + error()) }
        unlink(template)
        guard let file = fdopen(descriptor, "w+") else {
            close(descriptor)
            throw RunFileError(message: "cannot open a temporary file in \(folder): " + error())
        }
        return Run(file: file)
    }

    func discard() { if let file { fclose(file) } }

    func write(_ row: PackedRow) throws {
        buffer.append(UnsafeRawBufferPointer(start: row.base, count: row.length))
        if buffer.count >= 1 << 20 { try flush() }
    }

    func finishWriting() throws {
        try flush()
        guard let file, fflush(file) == 0 else { throw RunFileError(message: "cannot write a temporary file: " + Self.error()) }
        rewind(file)
        // The write buffer goes: read back, the run holds only its share of the merge's budget.
        buffer = ByteBuffer(capacity: 64)
    }

    /// Moves to the next row (the first, at the first call). Throws when the file ends inside a row or cannot
    /// be read.
    func advance() throws {
        if let row = current { position += row.length }
        current = nil
        guard try ensure(4) else { return }
        let length = Int(buffer.base.loadUnaligned(fromByteOffset: position, as: UInt32.self))
        guard length >= PackedRow.keyOffset, try ensure(length) else {
            throw RunFileError(message: "a temporary file of sorted rows ended inside a row: the disk may be full or failing")
        }
        current = PackedRow(buffer.base + position)
    }

    private func flush() throws {
        guard let file else { return }
        let written = fwrite(buffer.base, 1, buffer.count, file)
        guard written == buffer.count else { throw RunFileError(message: "cannot write a temporary file: " + Self.error()) }
        buffer.removeAll()
    }

    /// Whether `count` more bytes are in the buffer, reading more of the file when they are not. Rows before
    /// the position are dropped, so the current row's address is no longer valid.
    private func ensure(_ count: Int) throws -> Bool {
        if buffer.count - position >= count { return true }
        guard let file else { return false }
        buffer.removeFirst(position)
        position = 0
        while buffer.count < count {
            if buffer.read(from: file, limit: max(readBlock, count - buffer.count)) == 0 {
                if ferror(file) != 0 { throw RunFileError(message: "cannot read a temporary file: " + Self.error()) }
                break
            }
        }
        return buffer.count >= count
    }

    private static func error() -> String { String(cString: strerror(errno)) }
}

struct RunFileError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
