import Foundation
import XCTest

/// Compares `text` with the golden file at `url`, naming the first line that differs. With
/// `CHISO_UPDATE_GOLDEN=1` it writes `text` there instead and fails the test when that changed the file, so a
/// re-recording run never passes unreviewed: review the diff, then run the tests again without it.
public func assertMatchesGolden(_ text: String, _ url: URL, file: StaticString = #filePath, line: UInt = #line) throws {
    let name = url.lastPathComponent
    let recorded = try? String(contentsOf: url, encoding: .utf8)
    if ProcessInfo.processInfo.environment["CHISO_UPDATE_GOLDEN"] == "1" {
        guard recorded != text else { return }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return XCTFail("\(name) recorded anew: review its diff, then run the tests without CHISO_UPDATE_GOLDEN",
                       file: file, line: line)
    }
    guard let recorded else {
        return XCTFail("\(name) has no golden file: CHISO_UPDATE_GOLDEN=1 records it", file: file, line: line)
    }
    guard recorded != text else { return }
    let a = recorded.components(separatedBy: "\n"), b = text.components(separatedBy: "\n")
    let first = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
    XCTFail("\(name) differs from its golden file at line \(first + 1):\n- \(first < a.count ? a[first] : "")\n+ "
            + (first < b.count ? b[first] : "") + "\n(CHISO_UPDATE_GOLDEN=1 rewrites it)", file: file, line: line)
}
