import Foundation
import Ingest

/// One nightly run at a time per warehouse: an exclusive `flock` on `<warehouse>.lock`, which holds the pid and
/// start time of the run that has it.
///
/// The kernel releases a `flock` when its process dies, however it dies, so a lock left by a killed run is no
/// obstacle: the next run takes it over and says so.
public final class RunLock {
    public let path: String
    /// What the lock file said when this run took it over from a run that had died, if it did.
    public let takenOverFrom: String?
    private let descriptor: Int32

    /// Takes the lock of the warehouse at `warehouse`, or throws at once naming the run that holds it.
    public init(warehouse: String) throws {
        path = warehouse + ".lock"
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw InputError(file: path, message: "cannot open the run lock: \(String(cString: strerror(errno)))")
        }
        let previous = Self.contents(of: descriptor)
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw InputError(file: path, message: "another run holds this warehouse (\(previous.isEmpty ? "unknown" : previous)): "
                                + "wait for it to finish, or stop it")
        }
        takenOverFrom = previous.isEmpty ? nil : previous
        let text = "pid \(getpid()), started \(ISO8601DateFormatter().string(from: Date()))"
        _ = ftruncate(descriptor, 0)
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    deinit {
        _ = ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    private static func contents(of descriptor: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : ""
    }
}
