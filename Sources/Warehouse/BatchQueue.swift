import Foundation

/// A bounded queue of batches between threads. `put` waits while it is full and returns `false` once the
/// queue is closed; `take` waits while it is empty and returns `nil` once it is closed and drained.
public final class BatchQueue<Batch>: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [Batch] = []
    private var closed = false
    private let capacity: Int

    public init(capacity: Int) { self.capacity = capacity }

    public func put(_ batch: Batch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= capacity && !closed { condition.wait() }
        guard !closed else { return false }
        batches.append(batch)
        condition.broadcast()
        return true
    }

    public func take() -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !closed { condition.wait() }
        guard !batches.isEmpty else { return nil }
        condition.broadcast()
        return batches.removeFirst()
    }

    public func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
