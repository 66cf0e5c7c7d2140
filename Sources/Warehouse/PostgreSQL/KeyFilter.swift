import Foundation

/// The keys sent so far by a registry load on a server, as a blocked Bloom filter: `insert` says whether a key
/// may have been inserted before (it may be wrong in saying so, never in denying it). Each key sets four bits in
/// one 512-bit block, a cache line, so a look-up costs one miss in memory (Putze, Sanders and Singler, "Cache-,
/// hash- and space-efficient Bloom filters", 2007). Its size is fixed when it is made; it lies in huge pages
/// where the system gives them, so that a look-up rarely misses the translation of its address too (in a
/// profile of a 5-million-row load, 29% of the streaming thread's time went to look-ups in 4 KiB pages).
final class KeyFilter {
    private let words: UnsafeMutablePointer<UInt64>
    private let blockMask: UInt64

    /// A filter of `bits` bits, rounded up to a power of two of at least one block (512 bits).
    init(bits: Int) throws {
        var count = 512
        while count < bits { count <<= 1 }
        blockMask = UInt64(count / 512 - 1)
        var memory: UnsafeMutableRawPointer?
        let bytes = count / 8
        guard posix_memalign(&memory, max(64, min(bytes, 1 << 21)), bytes) == 0, let memory else {
            throw RunFileError(message: "cannot allocate \(bytes) bytes for the filter of the keys sent to the server")
        }
        if bytes >= 1 << 21 { _ = madvise(memory, bytes, Int32(MADV_HUGEPAGE)) }
        memset(memory, 0, bytes)
        words = memory.bindMemory(to: UInt64.self, capacity: count / 64)
    }

    deinit { free(words) }

    /// The filter for a file of `fileBytes` bytes: a bit per two bytes, about 24 bits per population row (fewer
    /// than one key in a thousand taken for one sent before), up to 64 MB (at 101 million rows, 5.3 bits a key:
    /// about one row in 50 held back).
    convenience init(fileBytes: Int) throws { try self.init(bits: min(max(fileBytes / 2, 512), 1 << 29)) }

    /// Adds `key`: whether each of its bits was already set, as when the same key was inserted before.
    func insert(_ key: UnsafeRawBufferPointer) -> Bool {
        let hash = Self.hash(key)
        // The low bits choose the block (at most 2^20 of them), the bits above them the four bits in it.
        let block = words + Int(hash & blockMask) * 8
        var seen = true
        for i in 0..<4 {
            let bit = Int(truncatingIfNeeded: hash >> (24 + 9 * i)) & 511
            let mask: UInt64 = 1 << (bit & 63)
            if block[bit >> 6] & mask == 0 {
                seen = false
                block[bit >> 6] |= mask
            }
        }
        return seen
    }

    /// The key's bytes mixed eight at a time into 64 bits, then finished as SplitMix64 finishes its state.
    private static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var hash = UInt64(truncatingIfNeeded: key.count) &* 0x9E37_79B9_7F4A_7C15
        var at = 0
        while at < key.count {
            var word: UInt64 = 0
            if key.count - at >= 8 {
                word = key.loadUnaligned(fromByteOffset: at, as: UInt64.self)
            } else {
                for i in at..<key.count { word = word << 8 | UInt64(key[i]) }
            }
            hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            at += 8
        }
        hash = (hash ^ (hash >> 30)) &* 0xBF58_476D_1CE4_E5B9
        hash = (hash ^ (hash >> 27)) &* 0x94D0_49BB_1331_11EB
        return hash ^ (hash >> 31)
    }
}
