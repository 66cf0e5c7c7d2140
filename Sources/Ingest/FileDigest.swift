import Crypto
import Foundation

/// SHA-256 of a file's bytes, read in chunks, as lower-case hex.
/// - Throws: `InputError` naming the file when it is missing, a directory or unreadable.
public func sha256Hex(ofFile path: String) throws -> String {
    let handle = try openInputFile(path)
    defer { try? handle.close() }
    var hasher = SHA256()
    do {
        // read(upToCount:) throws where readData(ofLength:) would stop the program on a read error.
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
    } catch {
        throw InputError(file: path, message: "cannot be read: \(error.localizedDescription)")
    }
    return hasher.finalize().map { String(format: "%02x", $0) }.joined()
}

/// SHA-256 of `data` as lower-case hex.
public func sha256Hex(of data: Data) -> String {
    SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
}

/// Opens an input file for reading.
/// - Throws: `InputError` naming the file when it is missing, a directory or unreadable.
func openInputFile(_ path: String) throws -> FileHandle {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw InputError(file: path, message: "no such file")
    }
    guard !isDirectory.boolValue else {
        throw InputError(file: path, message: "is a directory: name the files in it (e.g. \(path)/*.csv)")
    }
    guard let handle = FileHandle(forReadingAtPath: path) else {
        throw InputError(file: path, message: "cannot be read: check its permissions")
    }
    return handle
}
