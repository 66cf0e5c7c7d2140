import Foundation
import Warehouse

/// A run's folder of reports, all or nothing: each file is written under a temporary name and renamed, so no
/// file is ever half-written; while the folder is written it holds `INCOMPLETE`, removed once every report
/// (and a nightly's `run.json`, written last) is in place; only then does `latest` point at it.
public enum RunFolder {
    /// The file a run folder holds until it is complete.
    public static let incompleteMarker = "INCOMPLETE"

    /// The file in a run folder naming the warehouse whose run it holds.
    public static let warehouseMarker = ".warehouse"

    /// Makes `directory` the folder of run `run` of `warehouse`: created, holding the warehouse's name. A folder
    /// holding the reports of another warehouse is refused, not replaced: the same pipeline file run with
    /// another --db wrote its run 1 over the published run 1 of the file's own warehouse.
    static func claim(_ directory: String, run: Int, warehouse: String) throws {
        let owner = PostgresConnection.isURL(warehouse) ? warehouse : WriterLock.canonical(warehouse)
        let marker = directory + "/" + warehouseMarker
        if !((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).isEmpty {
            let holder = (try? String(contentsOfFile: marker, encoding: .utf8))?.trimmingCharacters(in: .newlines)
            guard holder == owner else {
                throw NightlyFailure(message: "\(directory) holds the reports of run \(run) of "
                                        + (holder.map { "another warehouse, \($0)" } ?? "another warehouse or an older chiso")
                                        + ": this warehouse's would replace them; give its reports a folder of their own "
                                        + "('output:' in the nightly's file, --output for 'chiso report')")
            }
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try write(Data((owner + "\n").utf8), to: marker)
    }

    /// Claims `directory` for run `run` of `warehouse` and marks it incomplete.
    static func begin(_ directory: String, run: Int, warehouse: String) throws {
        try claim(directory, run: run, warehouse: warehouse)
        try write(Data("""
            Run \(run) is writing this folder. If this file stays, the writing stopped before the end (a kill, a full \
            disk): the files here are not a complete report. 'latest' points at the last complete run.

            """.utf8), to: directory + "/" + incompleteMarker)
    }

    /// Marks `directory` complete and, unless told otherwise (a folder of one unit's page), points `latest`
    /// beside it at it.
    public static func complete(_ directory: String, pointingLatest: Bool = true) throws {
        let marker = directory + "/" + incompleteMarker
        if unlink(marker) != 0 && errno != ENOENT {
            throw NightlyFailure(message: "\(marker): cannot remove it: \(String(cString: strerror(errno)))")
        }
        if pointingLatest { try pointLatest(at: directory) }
    }

    /// Writes `data` to `path` under a temporary name in the same folder, then renames it: a reader finds the
    /// old file or the new one, never a part. A failure names the file, and on a full disk the space needed.
    public static func write(_ data: Data, to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = folder + "/." + (path as NSString).lastPathComponent + ".\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure(path, bytes: data.count) }
        var written = 0
        let ok = data.withUnsafeBytes { buffer -> Bool in
            while written < buffer.count {
                let count = Foundation.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if count <= 0 { return false }
                written += count
            }
            return fsync(descriptor) == 0
        }
        let error = errno
        close(descriptor)
        guard ok, rename(temporary, path) == 0 else {
            let renameError = errno
            unlink(temporary)
            errno = ok ? renameError : error
            throw failure(path, bytes: data.count)
        }
    }

    private static func failure(_ path: String, bytes: Int) -> NightlyFailure {
        let code = errno
        var message = "\(path): cannot write it (\(bytes) bytes): \(String(cString: strerror(code)))"
        if code == ENOSPC || code == EDQUOT {
            var stats = statvfs()
            if statvfs((path as NSString).deletingLastPathComponent, &stats) == 0 {
                let free = Int(stats.f_bavail) * Int(stats.f_frsize)
                message += "; \(bytes) bytes are needed and \(free) are free there: free some space, or write the "
                    + "reports elsewhere (--output)"
            }
        }
        return NightlyFailure(message: message)
    }

    /// Makes `latest` beside `directory` a link to it, replaced in one step (a reader never finds it missing):
    /// `Notebooks-output/latest/report.html` is always the newest complete report.
    static func pointLatest(at directory: String) throws {
        let url = URL(fileURLWithPath: directory).standardizedFileURL
        let parent = url.deletingLastPathComponent().path
        let temporary = parent + "/.latest-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.removeItem(atPath: temporary)
        try FileManager.default.createSymbolicLink(atPath: temporary, withDestinationPath: url.lastPathComponent)
        guard rename(temporary, parent + "/latest") == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw NightlyFailure(message: "\(parent)/latest: cannot point it at the new report: \(reason)")
        }
    }
}
