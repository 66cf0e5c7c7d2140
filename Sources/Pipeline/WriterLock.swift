import Foundation
import Ingest
import Warehouse

/// One writer at a time per warehouse: an exclusive `flock` on `<warehouse>.lock` beside the warehouse file
/// itself - its path with every symbolic link resolved, as SQLite resolves it for its own journal - so any
/// path to one warehouse (a symlink, `./`, a relative path) takes the same lock. The lock file holds the pid,
/// start time and command of the holder. (A hard link to a warehouse is not one warehouse even to SQLite,
/// whose journal is named after the path: do not make one.)
///
/// Every command that writes takes it (`init`, `ingest`, `derive`, `nightly`, a `--save`, `report`); commands
/// that only read do not. The kernel releases a `flock` when its process dies, however it dies, so a lock left
/// by a killed run is no obstacle: the next writer takes it over and says so.
///
/// A warehouse on a PostgreSQL server (a `postgresql://` URL) is locked by the server instead, with an
/// advisory lock that names its holder (`PostgresWriterLock`): the writers may run on different machines.
public final class WriterLock {
    /// The lock file, or the server's URL.
    public let path: String
    /// What the lock file said when this writer took it over from one that had died, if it did.
    public let takenOverFrom: String?
    private let descriptor: Int32
    private let serverLock: PostgresWriterLock?

    /// Takes the lock of the warehouse at `warehouse` for `holder` (the command, for others' messages). When
    /// another writer holds it, waits up to `wait` seconds (calling `waiting` once with the holder), then
    /// throws naming the holder.
    public init(warehouse: String, holder: String, wait: Double = 0, waiting: (String) -> Void = { _ in }) throws {
        // The host too: writers to a server's warehouse may run on different machines. (The server says when
        // its session started.)
        let who = "\(holder) (pid \(getpid()) on \(ProcessInfo.processInfo.hostName)"
        let text = who + ", started \(ISO8601DateFormatter().string(from: Date())))"
        try PostgresConnection.refuseMistypedURL(warehouse)
        guard !PostgresConnection.isURL(warehouse) else {
            serverLock = try PostgresWriterLock(url: warehouse, holder: who + ")", wait: wait, waiting: waiting)
            path = warehouse
            takenOverFrom = nil
            descriptor = -1
            return
        }
        serverLock = nil
        path = Self.canonical(warehouse) + ".lock"
        var descriptor = try Self.openLock(path)
        let deadline = Date().addingTimeInterval(wait)
        var told = false
        while true {
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
                if Self.isFile(at: path, descriptor) { break }
                // The lock file went while this writer waited on it (its holder found no warehouse and removed
                // it as it ended): the lock is the file at `path` now.
                close(descriptor)
                descriptor = try Self.openLock(path)
                continue
            }
            let other = Self.contents(of: descriptor)
            let held = other.isEmpty ? "another command" : other
            guard Date() < deadline else {
                close(descriptor)
                throw InputError(file: warehouse, message: "\(held) is writing to this warehouse: "
                                    + (wait > 0 ? "still after \(Self.seconds(wait)); " : "")
                                    + "wait for it to finish (--wait SECONDS waits), or stop it")
            }
            if !told {
                waiting("waiting up to \(Self.seconds(wait)) for the warehouse: \(held) is writing to it")
                told = true
            }
            usleep(200_000)
        }
        self.descriptor = descriptor
        let previous = Self.contents(of: descriptor)
        takenOverFrom = previous.isEmpty ? nil : previous
        _ = ftruncate(descriptor, 0)
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    /// Opens (creating) the lock file at `path`.
    private static func openLock(_ path: String) throws -> Int32 {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw InputError(file: path, message: "cannot open the warehouse's lock: \(String(cString: strerror(errno)))")
        }
        return descriptor
    }

    /// Whether `descriptor` is the file at `path` (not one removed or replaced since it was opened).
    private static func isFile(at path: String, _ descriptor: Int32) -> Bool {
        var held = stat(), named = stat()
        return fstat(descriptor, &held) == 0 && stat(path, &named) == 0 && held.st_ino == named.st_ino && held.st_dev == named.st_dev
    }

    deinit {
        guard descriptor >= 0 else { return }
        // A command that found no warehouse (and made none) leaves no lock file beside where it looked.
        if !FileManager.default.fileExists(atPath: String(path.dropLast(".lock".count))) { unlink(path) }
        _ = ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    private static func seconds(_ value: Double) -> String { String(format: "%g s", value) }

    /// `path` with its folder and, when it exists, the file itself resolved to their real paths.
    static func canonical(_ path: String) -> String {
        let url = URL(fileURLWithPath: path)
        if let real = realpath(url.path, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        let folder = url.deletingLastPathComponent().path
        guard let real = realpath(folder, nil) else { return url.path }
        defer { free(real) }
        return String(cString: real) + "/" + url.lastPathComponent
    }

    private static func contents(of descriptor: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : ""
    }
}
