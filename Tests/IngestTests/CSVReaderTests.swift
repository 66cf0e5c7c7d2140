import Foundation
import Ingest
import XCTest

/// Writes `bytes` to a temporary file and returns its path.
func temporaryFile(_ bytes: [UInt8], name: String = "input.csv") -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent(name).path
    precondition(FileManager.default.createFile(atPath: path, contents: Data(bytes)), "cannot write \(path)")
    return path
}

func temporaryFile(_ text: String, name: String = "input.csv") -> String { temporaryFile(Array(text.utf8), name: name) }

final class CSVReaderTests: XCTestCase {
    func records(_ path: String) throws -> [Result<CSVRecord, CSVRecordError>] {
        Array(try CSVReader(path: path))
    }

    func testQuotedFieldsWithDelimitersQuotesAndNewlines() throws {
        let path = temporaryFile("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\nlast,row,here")
        let rows = try records(path).map { try $0.get() }
        XCTAssertEqual(rows.map(\.fields), [["a", "b", "c"], ["x, y", "say \"hi\"", "two\r\nlines"],
                                            ["last", "row", "here"]])
        XCTAssertEqual(rows.map(\.line), [1, 2, 4], "a record's line is where it starts")
    }

    func testByteOrderMarkAndSemicolonSniffing() throws {
        let reader = try CSVReader(path: temporaryFile([0xEF, 0xBB, 0xBF] + Array("a;b\n1,5;2\n3;4\n".utf8)))
        XCTAssertTrue(reader.hadByteOrderMark)
        XCTAssertEqual(reader.delimiter, UInt8(ascii: ";"))
        XCTAssertEqual(reader.map { (try? $0.get())?.fields ?? [] }, [["a", "b"], ["1,5", "2"], ["3", "4"]])
    }

    func testTabSniffing() throws {
        XCTAssertEqual(try CSVReader(path: temporaryFile("a\tb\tc\n1\t2\t3\n")).delimiter, UInt8(ascii: "\t"))
    }

    func testUnterminatedQuoteRejectsThatRecordAndReadingGoesOn() throws {
        let path = temporaryFile("a,b\n1,2\n3,\"oops\n5,6\n7,8\n")
        let results = try records(path)
        XCTAssertEqual(try results[0].get().fields, ["a", "b"])
        XCTAssertEqual(try results[1].get().fields, ["1", "2"])
        guard case .failure(let error) = results[2] else { return XCTFail("expected a failure") }
        XCTAssertEqual(error.kind, .unterminatedQuote)
        XCTAssertEqual(error.line, 3)
        XCTAssertEqual(try results[3].get().fields, ["5", "6"])
        XCTAssertEqual(try results[3].get().line, 4)
        XCTAssertEqual(try results[4].get().fields, ["7", "8"])
    }

    func testInvalidUTF8NamesTheField() throws {
        let results = try records(temporaryFile(Array("a,b\nok,".utf8) + [0xC3, 0x28] + Array("\nfine,row\n".utf8)))
        guard case .failure(let error) = results[1] else { return XCTFail("expected a failure") }
        XCTAssertEqual(error.kind, .invalidUTF8)
        XCTAssertEqual(error.field, 2)
        XCTAssertEqual(error.line, 2)
        XCTAssertEqual(try results[2].get().fields, ["fine", "row"])
    }

    /// Fields with bytes beyond ASCII are accepted exactly when they are valid UTF-8 (the standard library's
    /// validating decoder is the judge): Vietnamese, a replacement character written in the file, and the
    /// invalid kinds - a stray continuation, an overlong form, a surrogate, a sequence cut short.
    func testFieldsBeyondASCIIAreAcceptedExactlyWhenValidUTF8() throws {
        let fields: [[UInt8]] = [Array("Hòa Bình".utf8), Array("Công ty TNHH Minh Long".utf8), [0xEF, 0xBF, 0xBD],
                                 Array("\u{1F600}".utf8), [0x61, 0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE1, 0xBA],
                                 [0xF4, 0x90, 0x80, 0x80]]
        var file = Array("a,b\n".utf8)
        for field in fields { file += Array("x,".utf8) + field + [0x0A] }
        let results = try records(temporaryFile(file))
        XCTAssertEqual(results.count, 1 + fields.count)
        for (field, result) in zip(fields, results.dropFirst()) {
            let valid = String(validating: field, as: UTF8.self)
            switch result {
            case .success(let record): XCTAssertEqual(record.fields, ["x", valid ?? "not valid"], "\(field)")
            case .failure(let error): XCTAssertNil(valid, "\(field) is valid, refused as \(error.kind)")
            }
        }
        XCTAssertEqual(results.dropFirst().filter { (try? $0.get()) != nil }.count, 4, "four valid fields")
    }

    func testRecordsSpanningReadChunks() throws {
        // More than one 1 MiB chunk, with a quoted multi-line field straddling the boundary.
        var text = "id,text\n"
        for i in 0..<60_000 { text += "\(i),\"value \(i)\nsecond line\"\n" }
        let rows = try records(temporaryFile(text)).map { try $0.get() }
        XCTAssertEqual(rows.count, 60_001)
        XCTAssertEqual(rows.last?.fields, ["59999", "value 59999\nsecond line"])
        XCTAssertEqual(rows.last?.line, 2 + 59_999 * 2)
    }

    func testPeriods() {
        XCTAssertEqual(Period("2024")?.endDate, "2024-12-31")
        XCTAssertEqual(Period("2024-Q1")?.endDate, "2024-03-31")
        XCTAssertEqual(Period("2024-02")?.endDate, "2024-02-29")
        XCTAssertEqual(Period("2025-06")?.endDate, "2025-06-30")
        XCTAssertEqual(Period("2024-q3")?.description, "2024-Q3")
        for bad in ["24", "2024-Q5", "2024-13", "2024-1", "abcd", "2024-01-01"] { XCTAssertNil(Period(bad), bad) }
    }
}
