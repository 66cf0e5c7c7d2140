import Foundation

/// Staged rows in key order, merged from their sorted runs on a thread of its own and handed over in chunks, the
/// rows that repeat an earlier line's key set apart: the writer writes one chunk while the next is merged. (When
/// the writer merged the runs itself, the machine's other core sat idle for the whole of the write.)
final class KeyOrderedChunks: @unchecked Sendable {
    struct Chunk {
        /// How many rows the chunk covers, repeats included.
        var count = 0
        /// The rows whose key no earlier line has, in key order, and for each what the sealer gave.
        var rows = StagedRows()
        var sealed: [RegistryWriter.SealedRow] = []
        /// The rows whose key an earlier line has: their line, that earlier line's, and where their text is.
        var repeats: [(line: Int, first: Int, rawAt: Int, rawLength: Int)] = []
    }

    private let chunks = BatchQueue<Chunk>(capacity: 4)
    private let merged = DispatchSemaphore(value: 0)
    private var failure: Error?
    private var ended = false

    /// Starts merging `rows` into chunks of `rowsPerChunk` rows, each row whose key no earlier line has sealed
    /// by `sealer` on the way (its hash for the table's seal, which the writer would otherwise compute). The
    /// thread holds nothing of the writer's but the sealer's values: never its connection.
    init(_ rows: SortedRuns.Merge, rowsPerChunk: Int, sealer: RegistryWriter.Sealer) {
        let thread = Thread { [self] in
            defer {
                chunks.close()
                merged.signal()
            }
            do {
                var repeated = RepeatedKeys(), chunk = Chunk()
                while let row = try rows.next() {
                    chunk.count += 1
                    if let first = repeated.firstLine(ofRepeated: row) {
                        chunk.repeats.append((row.line, first, row.rawAt, row.rawLength))
                    } else {
                        chunk.rows.append(row)
                        chunk.sealed.append(sealer.sealed(row))
                    }
                    if chunk.count == rowsPerChunk {
                        guard chunks.put(chunk) else { return }
                        chunk = Chunk()
                    }
                }
                if chunk.count > 0 { _ = chunks.put(chunk) }
            } catch {
                failure = error
            }
        }
        thread.stackSize = 1 << 22
        thread.start()
    }

    /// The next chunk, `nil` after the last; throws what stopped the merge (a run that could not be read back).
    func next() throws -> Chunk? {
        if let chunk = chunks.take() { return chunk }
        awaitEnd()
        if let failure { throw failure }
        return nil
    }

    /// Stops the merge when the chunks are no longer wanted (the write failed), and waits for its thread to end.
    func stop() {
        chunks.close()
        awaitEnd()
    }

    /// Waits, once, for the merging thread to end.
    private func awaitEnd() {
        guard !ended else { return }
        merged.wait()
        ended = true
    }
}
