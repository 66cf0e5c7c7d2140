import Foundation
import Ingest
import Reference
@testable import Warehouse
import XCTest

class RegistryLoaderTests: XCTestCase {
    static let key = Data("0123456789abcdef".utf8)
    var warehouse: Warehouse!
    var units: UnitDirectory!

    override func setUpWithError() throws {
        (warehouse, units) = try Self.referenceWarehouse(path: ":memory:")
    }

    /// A warehouse at `path` with the reference units.
    static func referenceWarehouse(path: String) throws -> (Warehouse, UnitDirectory) {
        let warehouse = try Warehouse(path: path)
        let reference = try IndicatorFileLoaderTests.reference.get()
        try warehouse.storeUnits(reference.units, crosswalk: reference.crosswalk, aliases: reference.aliases)
        return (warehouse, try warehouse.unitDirectory())
    }

    func loader(_ registry: Registry, asOf: String = "2024-12-31", key: Data = key) throws -> RegistryLoader {
        var loader = try RegistryLoader(warehouse: warehouse, units: units, registry: registry, asOf: asOf,
                                        pseudonymiser: registry == .population ? try Pseudonymiser(key: key) : nil)
        loader.maxRejectRate = 1
        return loader
    }

    func count(_ table: String) throws -> Int64 { try warehouse.db.scalar("SELECT count(*) FROM \(table)").int ?? -1 }

    /// The expected rejects of a corpus file: line -> "column:code".
    func expected(_ name: String) throws -> [Int: String] {
        let table = try CSVTable(path: IndicatorFileLoaderTests.corpus("registries/\(name)"))
        var result: [Int: String] = [:]
        for row in table.rows {
            result[Int(try table.value(row, "line"))!] = (row.fields["column"] ?? "") + ":" + (try table.value(row, "error_code"))
        }
        return result
    }

    func assertCorpus(_ registry: Registry, goodRows: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let path = IndicatorFileLoaderTests.corpus("registries/\(registry.rawValue)-malformed.csv")
        let (summary, rejects) = try loader(registry).load(path: path)
        XCTAssertEqual(summary.status, .loaded, file: file, line: line)
        let got = Dictionary(grouping: rejects, by: \.line).mapValues { $0.map { ($0.column ?? "") + ":" + $0.errorCode }.joined(separator: " ") }
        XCTAssertEqual(got, try expected("\(registry.rawValue)-malformed.expected.csv"), file: file, line: line)
        XCTAssertEqual(summary.loaded, goodRows, file: file, line: line)
        XCTAssertEqual(summary.read, goodRows + got.count, file: file, line: line)
        XCTAssertEqual(try count(registry == .population ? "person" : registry == .land ? "parcel" : "enterprise"),
                       Int64(goodRows), file: file, line: line)
        XCTAssertEqual(try count("reject"), Int64(rejects.count), file: file, line: line)
        XCTAssertTrue(rejects.allSatisfy { !$0.message.isEmpty && $0.raw != nil }, file: file, line: line)
        // The seal the load made from the rows it wrote, without reading the table, is the table read whole.
        XCTAssertTrue(try warehouse.verify().allSatisfy(\.intact), file: file, line: line)
    }

    func testEveryBadPopulationRowGetsItsReasonAndEveryGoodRowLoads() throws {
        try assertCorpus(.population, goodRows: 5)
        let stored = try warehouse.db.rows("SELECT birth_date, sex, unit_id, identity_level, status FROM person ORDER BY birth_date, status")
        // 04/03/1985 and "Nam" are read as 1985-03-04 and M; level 0 for "0".
        XCTAssertTrue(stored.contains { $0["birth_date"].text == "1985-03-04" && $0["status"].text == "deceased"
                                         && $0["sex"].text == "M" && $0["identity_level"].int == 0 })
        // The province code 02 (Ha Giang before July 2025) is accepted as a unit.
        let provinceRows = try warehouse.db.scalar("""
            SELECT count(*) FROM person p JOIN unit u ON u.id = p.unit_id WHERE u.level = 'province' AND u.code = '02'
            """).int
        XCTAssertEqual(provinceRows, 1)
    }

    func testEveryBadLandRowGetsItsReasonAndEveryGoodRowLoads() throws {
        try assertCorpus(.land, goodRows: 2)
        XCTAssertEqual(try warehouse.db.scalar("SELECT certificate_issued + 10 * record_digitised FROM parcel WHERE parcel_id = '00001-1-2'").int, 1)
    }

    func testEveryBadBusinessRowGetsItsReasonAndEveryGoodRowLoads() throws {
        try assertCorpus(.business, goodRows: 2)
        let codes = try warehouse.db.rows("SELECT tax_code, name, vsic_section, vsic_division FROM enterprise ORDER BY tax_code")
        XCTAssertEqual(codes.map { $0["tax_code"].text }, ["0100233488", "0314409058-002"])
        XCTAssertEqual(codes[0]["name"].text, "Công ty TNHH An Phát, Hà Nội")
        XCTAssertEqual(codes[1]["vsic_section"].text, "G")
        XCTAssertEqual(codes[1]["vsic_division"].text, "46")
    }

    func testSpacesAndTabsAroundAFieldAreDroppedAndNothingElse() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try """
            tax_code,name,unit,industry,registration_date,status,e_invoice,e_invoice_since
             0100233488 ,\tCông ty  An Phát\t, 01,c 25 ,2010-05-01 , active,True,\t
            0314409058002,Sao Mai,79,G46,2015-01-01,active,0,

            """.write(toFile: path, atomically: true, encoding: .utf8)
        let (summary, rejects) = try loader(.business).load(path: path)
        XCTAssertEqual(summary.loaded, 2, "\(rejects)")
        let rows = try warehouse.db.rows("SELECT tax_code, name, vsic_section, vsic_division, status, e_invoice, e_invoice_since FROM enterprise ORDER BY tax_code")
        XCTAssertEqual(rows.map { $0["tax_code"].text }, ["0100233488", "0314409058-002"])
        XCTAssertEqual(rows[0]["name"].text, "Công ty  An Phát", "inner spaces kept")
        XCTAssertEqual(rows[0]["vsic_section"].text, "C")
        XCTAssertEqual(rows[0]["vsic_division"].text, "25")
        XCTAssertEqual(rows.map { $0["status"].text }, ["active", "active"])
        XCTAssertEqual(rows.map { $0["e_invoice"].int }, [1, 0])
        XCTAssertEqual(rows.map { $0["e_invoice_since"] }, [.null, .null])
    }

    func testNoClearCitizenIDReachesTheWarehouseFileRejectedLinesIncluded() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        (warehouse, units) = try Self.referenceWarehouse(path: folder + "/w.sqlite")
        let path = IndicatorFileLoaderTests.corpus("registries/population-malformed.csv")
        _ = try loader(.population).load(path: path)
        let text = try String(contentsOfFile: path, encoding: .isoLatin1)
        let ids = Set(text.split(separator: "\n").dropFirst().map { String($0.prefix { $0 != "," }).replacingOccurrences(of: "\"", with: "") }
            .filter { $0.count >= 9 })
        XCTAssertEqual(ids.count, 22)
        warehouse = nil  // close, so the WAL is checkpointed into the file
        var bytes = Data()
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) {
            bytes += try Data(contentsOf: URL(fileURLWithPath: folder + "/" + file))
        }
        for id in ids {
            XCTAssertNil(bytes.range(of: Data(id.utf8)), "\(id) is in the warehouse files")
        }
        // The pseudonym is HMAC-SHA256 with the key, truncated to 16 bytes (computed independently with Python's hmac).
        let reopened = try Warehouse(path: folder + "/w.sqlite")
        XCTAssertEqual(try reopened.db.scalar("SELECT count(*) FROM person WHERE pseudonym = '2f8d1a51fd550f10d3b0c14e71a87228'").int, 1)
        XCTAssertEqual(try reopened.db.scalar("SELECT raw FROM reject WHERE line = 4").text,
                       "###########,####-##-##,M,#####,#,####-##-##,active", "the digits chained to the ID's are masked with it")
        XCTAssertEqual(try reopened.db.scalar("SELECT value FROM setting WHERE name = 'pseudonym_key_fingerprint'").text,
                       "5d3f6488e2663e54")
    }

    /// Every spelling of an ID number seen in real extracts and in attacks - grouped by spaces of any kind,
    /// dashes or dots, in full-width, Arabic-Indic or Devanagari digits, behind letters, spread over two fields -
    /// is masked in the stored rejects: no 9 consecutive digits of an ID survive, whatever script they are in.
    func testIDsAreMaskedInRejectsHoweverTheyAreWritten() throws {
        var generator = SystemRandomNumberGenerator()
        func digits(_ id: String, base: UInt32) -> String {
            String(String.UnicodeScalarView(id.unicodeScalars.map { Unicode.Scalar(base + ($0.value - 48))! }))
        }
        func grouped(_ id: String, _ size: Int, _ separator: String) -> String {
            stride(from: 0, to: id.count, by: size).map { String(Array(id)[$0..<min($0 + size, id.count)]) }
                .joined(separator: separator)
        }
        var ids: [String] = [], lines: [String] = []
        for _ in 0..<40 {
            let id = String((0..<12).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) })
            ids.append(id)
            let spellings = [
                id, grouped(id, 3, " "), grouped(id, 3, "-"), grouped(id, 3, "."), grouped(id, 4, "\u{00A0}"),
                grouped(id, 3, "\u{2009}"), grouped(id, 4, "\u{FF0D}"), grouped(id, 6, " / "),
                digits(id, base: 0xFF10), digits(id, base: 0x0660), digits(id, base: 0x06F0), digits(id, base: 0x0966),
                grouped(digits(id, base: 0xFF10), 3, "\u{3000}"), "CCCD" + id, "CMND:" + String(id.prefix(9)),
                String(id.prefix(6)) + "," + String(id.dropFirst(6)), "\"" + String(id.prefix(6)) + "\",\"" + String(id.dropFirst(6)) + "\"",
            ]
            for spelling in spellings {
                lines.append("\"\(spelling)\",1985-03-04,M,00001,2,2023-06-07,active")
                // In another column too: the birth date or the unit.
                lines.append("001085104729,\"\(spelling)\",M,00001,2,2023-06-07,active")
                lines.append("001185000001,1985-07-01,F,\(spelling),1,2024-01-15,active")
            }
            // Spread over two fields, as a file whose columns slipped.
            lines.append(String(id.prefix(6)) + "," + String(id.dropFirst(6)) + ",1985-03-04,M,00001,2,2023-06-07,active")
        }
        let path = temporaryFile("citizen_id,birth_date,sex,unit,identity_level,registration_date,status\n"
                                 + lines.joined(separator: "\n") + "\n")
        let (_, rejects) = try loader(.population).load(path: path)
        XCTAssertGreaterThan(rejects.count, lines.count / 2)
        func asciiDigits(_ text: String) -> String {
            String(text.compactMap { character -> Character? in
                guard let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1,
                      scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue else { return nil }
                return Character(String(Int(value)))
            })
        }
        let stored = try warehouse.db.rows("SELECT coalesce(raw, '') || ' ' || message AS text FROM reject").compactMap { $0["text"].text }
        XCTAssertEqual(stored.count, rejects.count)
        for text in stored {
            let found = asciiDigits(text)
            for id in ids {
                for start in 0...3 {
                    let window = String(Array(id)[start..<(start + 9)])
                    XCTAssertFalse(found.contains(window), "\(id) leaks in: \(text)")
                }
            }
        }
        XCTAssertEqual(Pseudonymiser.mask("registration_date 2023-06-07 is before birth_date 2024-01-01"),
                       "registration_date 2023-06-07 is before birth_date 2024-01-01", "a date is no ID")
        XCTAssertEqual(Pseudonymiser.mask("001 085 104 729,M,00001"), "### ### ### ###,M,00001")
    }

    func testAPseudonymIsTheHMACSHA256OfTheID() throws {
        // HMAC-SHA256's vectors of RFC 4231 (cases 1, 6 and 7: a short key, and keys longer than a block, hashed
        // first) and one of Python's hmac module (a key of exactly one block, a message in UTF-8); the pseudonym is
        // the first 16 bytes.
        for (key, id, mac) in [([UInt8](repeating: 0x0b, count: 20), "Hi There", "b0344c61d8db38535ca8afceaf0bf12b"),
                               ([UInt8](repeating: 0xaa, count: 131), "Test Using Larger Than Block-Size Key - Hash Key First",
                                "60e431591ee0b67f0d8a26aacbf5b77f"),
                               ([UInt8](repeating: 0xaa, count: 131), "This is a test using a larger than block-size key and "
                                + "a larger than block-size data. The key needs to be hashed before being used by the HMAC "
                                + "algorithm.", "9b09ffa71b942fcb27635fbcd5b0e944"),
                               ([UInt8](repeating: 0xaa, count: 64), "Hòa Bình 001085104729", "e7594fd03186e68b64a4f6ac9adc54d6")] {
            XCTAssertEqual(try Pseudonymiser(key: Data(key)).pseudonym(id), mac, id)
        }
    }

    func testPopulationIsRefusedWithoutAKeyOrWithAnotherKey() throws {
        XCTAssertThrowsError(try Pseudonymiser.fromKeyFile(nil, environment: [:])) { error in
            XCTAssertTrue("\(error)".contains("CHISO_PSEUDONYM_KEY"))
        }
        XCTAssertThrowsError(try Pseudonymiser(key: Data("short".utf8)))
        XCTAssertThrowsError(try Pseudonymiser.fromKeyFile("/nonexistent/chiso.key")) { error in
            XCTAssertTrue("\(error)".contains("make one with 'head -c 32 /dev/urandom | base64 > /nonexistent/chiso.key'"),
                          "\(error)")
        }
        XCTAssertThrowsError(try RegistryLoader(warehouse: warehouse, units: units, registry: .population,
                                                asOf: "2024-12-31", pseudonymiser: nil))
        let keyFile = temporaryFile("0123456789abcdef\n", name: "key")
        XCTAssertEqual(try Pseudonymiser.fromKeyFile(keyFile).fingerprint, try Pseudonymiser(key: Self.key).fingerprint)
        XCTAssertEqual(try Pseudonymiser.fromKeyFile(nil, environment: ["CHISO_PSEUDONYM_KEY": "0123456789abcdef"]).fingerprint,
                       try Pseudonymiser(key: Self.key).fingerprint)

        _ = try loader(.population).load(path: temporaryFile("""
            citizen_id,birth_date,sex,unit,identity_level,registration_date,status
            001085104729,1985-03-04,M,00001,2,2023-06-07,active
            """))
        let other = try loader(.population, key: Data("another key of 16+ bytes".utf8))
        XCTAssertThrowsError(try other.load(path: temporaryFile("""
            citizen_id,birth_date,sex,unit,identity_level,registration_date,status
            001185000001,1985-07-01,F,00004,1,2024-01-15,active
            """))) { error in XCTAssertTrue("\(error)".contains("not the one")) }
        XCTAssertEqual(try count("person"), 1)
    }

    func testSameFileIsSkippedAndAChangedFileUpdatesKeepingRevisions() throws {
        let header = "citizen_id,birth_date,sex,unit,identity_level,registration_date,status\n"
        let first = temporaryFile(header + """
            001085104729,1985-03-04,M,00001,1,2023-06-07,active
            001185000001,1985-07-01,F,00004,none,,active
            """)
        XCTAssertEqual(try loader(.population).load(path: first).summary.loaded, 2)
        XCTAssertEqual(try loader(.population).load(path: first).summary.status, .skipped)
        let second = temporaryFile(header + """
            001085104729,1985-03-04,M,00001,2,2024-02-01,active
            001185000001,1985-07-01,F,00004,none,,active
            001185000001X,1985-07-01,F,00004,none,,active
            """)
        let (summary, rejects) = try loader(.population).load(path: second)
        XCTAssertEqual([summary.loaded, summary.updated, summary.unchanged, summary.rejected], [0, 1, 1, 1])
        XCTAssertEqual(rejects.map(\.errorCode), ["bad_length"])
        XCTAssertEqual(try warehouse.db.scalar("SELECT identity_level FROM person WHERE identity_level = 2").int, 2)
        let revision = try XCTUnwrap(try warehouse.db.rows("SELECT registry, previous, load_id, replaced_by_load FROM registry_revision").first)
        XCTAssertEqual(revision["registry"].text, "population")
        XCTAssertTrue(revision["previous"].text?.contains("\"identity_level\":1") ?? false)
        XCTAssertTrue(revision["previous"].text?.contains("2023-06-07") ?? false)
        XCTAssertEqual(revision["replaced_by_load"].int, Int64(try XCTUnwrap(summary.loadID)))
        // A birth date never changes: a different one under the same ID is a conflict, not an update.
        let third = temporaryFile(header + "001085104729,1985-03-05,M,00001,2,2024-02-01,active\n")
        let conflict = try loader(.population).load(path: third)
        XCTAssertEqual(conflict.rejects.map(\.errorCode), ["conflicts_with_warehouse"])
        XCTAssertEqual(conflict.rejects.first?.column, "birth_date")
        // Named as the file names it: an enterprise's registration date is the file's registration_date.
        let enterprise = "tax_code,name,unit,industry,registration_date,status,e_invoice\n0100079194,Công ty A,01,H51,DATE,active,true\n"
        XCTAssertEqual(try loader(.business).load(path: temporaryFile(enterprise.replacingOccurrences(of: "DATE", with: "2008-04-08"))).summary.loaded, 1)
        let registered = try loader(.business).load(path: temporaryFile(enterprise.replacingOccurrences(of: "DATE", with: "2009-04-08")))
        XCTAssertEqual(registered.rejects.map(\.column), ["registration_date"])
        XCTAssertTrue(registered.rejects.first?.message.contains("with another registration_date") ?? false)
        XCTAssertEqual(try warehouse.db.scalar("SELECT birth_date FROM person WHERE identity_level = 2").text, "1985-03-04")
        // The first extract again: a record it wrote was revised since, so it is loaded and puts it back.
        let restored = try loader(.population).load(path: first).summary
        XCTAssertEqual([restored.status == .skipped ? 1 : 0, restored.updated], [0, 1])
        XCTAssertEqual(try warehouse.db.scalar("SELECT identity_level FROM person WHERE pseudonym = (SELECT pseudonym FROM person "
                                               + "WHERE unit_id = (SELECT id FROM unit WHERE code = '00001' AND level = 'commune'))").int, 1)
        XCTAssertEqual(try loader(.population).load(path: first).summary.status, .skipped, "then it stands")
        // The same records in another row order write nothing (all as stored); once a later file changes one of
        // them, that file is not skipped either: it is read again and puts the record back.
        let reordered = temporaryFile(header + """
            001185000001,1985-07-01,F,00004,none,,active
            001085104729,1985-03-04,M,00001,1,2023-06-07,active
            """)
        XCTAssertEqual(try loader(.population).load(path: reordered).summary.unchanged, 2)
        XCTAssertEqual(try loader(.population).load(path: second).summary.updated, 1)
        let again = try loader(.population).load(path: reordered).summary
        XCTAssertEqual([again.status == .skipped ? 1 : 0, again.updated, again.unchanged], [0, 1, 1])
        XCTAssertEqual(try warehouse.db.scalar("SELECT count(*) FROM person WHERE identity_level = 1").int, 1)
        XCTAssertEqual(try loader(.population).load(path: reordered).summary.status, .skipped, "then it stands")
        XCTAssertTrue(try warehouse.verify().allSatisfy(\.intact), "seals made from the rows updated and left as they were")
    }

    /// A person who moves to a commune of another province stays one record, now in the new province (on a
    /// server, in its partition: deleted from the old one and written anew), the old values kept as a revision.
    func testARecordMovingToAnotherProvinceIsOneRecordThere() throws {
        let header = "citizen_id,birth_date,sex,unit,identity_level,registration_date,status\n"
        XCTAssertEqual(try loader(.population).load(path: temporaryFile(header + "001085104729,1985-03-04,M,00001,2,2023-06-07,active\n"))
                        .summary.loaded, 1)
        let moved = try loader(.population).load(path: temporaryFile(header + "001085104729,1985-03-04,M,26734,2,2023-06-07,active\n"))
        XCTAssertEqual([moved.summary.loaded, moved.summary.updated], [0, 1])
        let hoChiMinhCity = try XCTUnwrap(warehouse.db.scalar(
            "SELECT id FROM unit WHERE version = '2025' AND level = 'province' AND code = '79'").int)
        let record = try warehouse.db.rows("SELECT province_id FROM person")
        XCTAssertEqual(record.map { $0["province_id"].int }, [hoChiMinhCity])
        XCTAssertEqual(try warehouse.db.scalar("SELECT count(*) FROM registry_revision").int, 1)
        XCTAssertTrue(try warehouse.verify().allSatisfy(\.intact), "seals made from the rows moved")
        if PostgresConnection.isURL(warehouse.path) {
            XCTAssertEqual(try warehouse.db.scalar("SELECT tableoid::regclass::text FROM person").text, "person_p79")
        }
    }

    /// A key given twice in one file is rejected the second time whether or not the warehouse already holds it:
    /// the file means the same on a first load and on every later one.
    func testAKeyRepeatedWithinAFileIsRejectedOnAFirstAndOnALaterLoad() throws {
        let files: [(Registry, String, [String])] = [
            (.population, "citizen_id,birth_date,sex,unit,identity_level,registration_date,status",
             ["001085104729,1985-03-04,M,00001,2,2023-06-07,active", "001185000001,1985-07-01,F,00004,1,2024-01-15,active",
              "001085104729,1985-03-04,M,00001,2,2023-06-07,deceased", "001085104729,1985-03-04,M,00001,2,2023-06-07,emigrated"]),
            (.land, "parcel_id,unit,area_m2,land_use,certificate_issued,record_digitised",
             ["00001-1-1,00001,250.5,ONT,true,true", "00001-1-2,00001,1200,LUA,có,không",
              "00001-1-1,00001,251,ONT,true,true", "00001-1-1,00001,252,ONT,false,true"]),
            (.business, "tax_code,name,unit,industry,registration_date,status,e_invoice,e_invoice_since",
             ["0100233488,An Phát,01,C25,2010-05-01,active,true,2022-07-01", "0314409058-002,Sao Mai,79,G46,2015-01-01,active,false,",
              "0100233488,An Phát,01,C25,2010-05-01,dissolved,true,2022-07-01",
              "0100233488,An Phát,01,C25,2010-05-01,suspended,true,2022-07-01"]),
        ]
        for (registry, header, rows) in files {
            let table = registry == .population ? "person" : registry == .land ? "parcel" : "enterprise"
            let first = try loader(registry).load(path: temporaryFile(([header] + rows).joined(separator: "\n") + "\n"))
            XCTAssertEqual(first.rejects.map { "\($0.line):\($0.errorCode)" }, ["4:duplicate_key", "5:duplicate_key"], "\(registry)")
            XCTAssertEqual(first.summary.loaded, 2)
            XCTAssertTrue(first.summary.message?.hasPrefix("2 rows repeat the \(registry.keyName)") ?? false, "\(registry)")
            let stored = try warehouse.db.rows("SELECT * FROM \(table) ORDER BY 1").map { $0.values }
            // The same rows again (one more line, so another file): the warehouse holds every key now, and the
            // repeats are still rejected, with the first row of the key as the one they repeat.
            let again = try loader(registry).load(path: temporaryFile(([header] + rows + [rows[1]]).joined(separator: "\n")))
            XCTAssertEqual(again.rejects.map { "\($0.line):\($0.errorCode)" },
                           ["4:duplicate_key", "5:duplicate_key", "6:duplicate_key"], "\(registry)")
            XCTAssertTrue(again.rejects.allSatisfy { $0.message.contains("line 2") || $0.message.contains("line 3") })
            // A refused row is quoted as written (citizen IDs masked), found where it is in the file.
            let mask = registry == .population ? Pseudonymiser.mask : { $0 }
            XCTAssertEqual(again.rejects.map(\.raw), [rows[2], rows[3], rows[1]].map(mask), "\(registry)")
            XCTAssertEqual([again.summary.loaded, again.summary.updated, again.summary.unchanged], [0, 0, 2], "\(registry)")
            let columns = registry.requiredColumns.count
            XCTAssertEqual(try warehouse.db.rows("SELECT * FROM \(table) ORDER BY 1").map { Array($0.values.prefix(columns)) },
                           stored.map { Array($0.prefix(columns)) }, "\(registry)")
        }
    }

    /// After a byte-order mark and CRLF line ends, a repeated key's row is still quoted exactly.
    func testARefusedRowIsQuotedAsWrittenAfterAByteOrderMark() throws {
        let text = "tax_code,name,unit,industry,registration_date,status,e_invoice\r\n"
            + "0100233488,\"An Phát, Hà Nội\",01,C25,2010-05-01,active,true\r\n"
            + "0100233488,\"An Phát,\r\nHà Nội\",01,C25,2010-05-01,active,true\r\n"
        let result = try loader(.business).load(path: temporaryFile([0xEF, 0xBB, 0xBF] + Array(text.utf8)))
        XCTAssertEqual(result.rejects.map(\.line), [3])
        XCTAssertEqual(result.rejects.first?.raw, "0100233488,\"An Phát,\\u000D\\u000AHà Nội\",01,C25,2010-05-01,active,true",
                       "the line break inside the quoted name written out, as every control character of a reject")
    }

    /// In a UTF-16 file (decoded whole, so not read back by offset) every repeated key's row is quoted as written.
    func testRefusedRowsOfAUTF16FileAreQuotedAsWritten() throws {
        let rows = ["0100233488,An Phát,01,C25,2010-05-01,active,true", "0100233488,An Phát 2,01,C25,2010-05-01,active,true",
                    "0100109106,Bình Minh,01,G46,2012-03-01,active,false", "0100109106,Bình Minh 2,01,G46,2012-03-01,active,false"]
        let text = "tax_code,name,unit,industry,registration_date,status,e_invoice\r\n" + rows.joined(separator: "\r\n") + "\r\n"
        let bytes: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let result = try loader(.business).load(path: temporaryFile(bytes))
        XCTAssertEqual(result.rejects.map(\.line), [3, 5])
        XCTAssertEqual(result.rejects.map(\.raw), [rows[1], rows[3]])
    }

    func testTooManyRejectsLoadNothingAndDryRunWritesNothing() throws {
        let path = IndicatorFileLoaderTests.corpus("registries/land-malformed.csv")
        var strict = try loader(.land)
        strict.maxRejectRate = 0.05
        let (failed, rejects) = try strict.load(path: path)
        XCTAssertEqual(failed.status, .failed)
        XCTAssertEqual(failed.loaded, 0)
        XCTAssertEqual(try count("parcel"), 0)
        XCTAssertEqual(try warehouse.rejects(load: try XCTUnwrap(failed.loadID)).count, rejects.count)
        XCTAssertEqual(try warehouse.db.scalar("SELECT status FROM load").text, "failed")
        XCTAssertEqual(failed.loadID, 1, "the first load kept is 1 on either engine: the id of the rows staged and "
                       + "rolled back is not used up (a server's sequence is not rolled back)")

        var dry = try loader(.land)
        dry.dryRun = true
        let (summary, dryRejects) = try dry.load(path: path)
        XCTAssertEqual(summary.loaded, 2)
        XCTAssertEqual(summary.status, .checked)
        XCTAssertEqual(dryRejects.map(\.errorCode).filter { $0 == "duplicate_key" }.count, 1)
        XCTAssertEqual(try count("parcel"), 0)
        XCTAssertEqual(try count("load"), 1)
    }

    func testUnitCodesAreReadInTheVersionInForceOnTheExtractDate() throws {
        let path = temporaryFile("""
            parcel_id,unit,area_m2,land_use,certificate_issued,record_digitised
            A-1,00001,100,ONT,true,true
            A-2,06978,100,ONT,true,true
            """)
        var before = try loader(.land, asOf: "2025-06-30")
        before.dryRun = true
        XCTAssertEqual(try before.load(path: path).rejects.map { "\($0.line):\($0.errorCode)" }, ["3:unit_not_in_force"])
        var onFirstJuly = try loader(.land, asOf: "2025-07-01")
        onFirstJuly.dryRun = true
        let after = try onFirstJuly.load(path: path)
        XCTAssertEqual(after.rejects.map { "\($0.line):\($0.errorCode)" }, ["2:unit_not_in_force"])
        XCTAssertTrue(after.rejects.first?.message.contains("not in force on 2025-07-01") ?? false)
        XCTAssertThrowsError(try loader(.land, asOf: "2999-01-01"))
        XCTAssertThrowsError(try loader(.land, asOf: "31-12-2024"))
    }

    func testTheDocumentedExamplesLoadWithoutARejectedRow() throws {
        for registry in Registry.allCases {
            let path = IndicatorFileLoaderTests.datasets + "/schemas/\(registry.rawValue)-example.csv"
            let (summary, rejects) = try loader(registry).load(path: path)
            XCTAssertEqual(rejects, [], path)
            XCTAssertGreaterThan(summary.loaded, 2, path)
        }
    }

    func testIdentifierRules() {
        // Tax codes: python-stdnum's published examples of vn.mst.
        XCTAssertEqual(try? RegistryCodes.taxCode("0100233488").get(), "0100233488")
        XCTAssertEqual(try? RegistryCodes.taxCode("0314409058-002").get(), "0314409058-002")
        XCTAssertEqual(try? RegistryCodes.taxCode("0314409058002").get(), "0314409058-002")
        XCTAssertEqual(RegistryCodes.taxCode("0100233480").failureCode, "bad_check")
        XCTAssertEqual(RegistryCodes.taxCode("12345").failureCode, "bad_length")
        XCTAssertEqual(RegistryCodes.taxCode("0314409058-000").failureCode, "bad_check")
        // Separators anywhere are dropped; 14 digits, letters or a zero middle are refused.
        XCTAssertEqual(try? RegistryCodes.taxCode("0100.233.488").get(), "0100233488")
        XCTAssertEqual(try? RegistryCodes.taxCode("0314409058 - 002").get(), "0314409058-002")
        XCTAssertEqual(RegistryCodes.taxCode("03144090580021").failureCode, "bad_length")
        XCTAssertEqual(RegistryCodes.taxCode("01002334A8").failureCode, "bad_length")
        XCTAssertEqual(RegistryCodes.taxCode("").failureCode, "bad_length")
        XCTAssertEqual(RegistryCodes.taxCode("1000000080").failureCode, "bad_check", "weighted sum 0 mod 11: the check digit would be 10")
        // Citizen IDs: province of birth, sex and century, year of birth.
        let provinces: Set<Int> = [1, 79]
        XCTAssertNil(RegistryCodes.citizenIDProblem("079203000001", provinces: provinces, birthDate: "2003-01-01", sex: "M"))
        XCTAssertNil(RegistryCodes.citizenIDProblem("001199000001", provinces: provinces, birthDate: "1999-12-31", sex: "F"))
        XCTAssertEqual(RegistryCodes.citizenIDProblem("079303000001", provinces: provinces, birthDate: "2003-01-01", sex: "M")?.code.rawValue,
                       "id_mismatch")
        XCTAssertEqual(RegistryCodes.citizenIDProblem("002203000001", provinces: provinces, birthDate: "2003-01-01", sex: "M")?.code.rawValue,
                       "bad_check")
        XCTAssertEqual(RegistryCodes.citizenIDProblem("07920300000a", provinces: provinces, birthDate: nil, sex: nil)?.code.rawValue,
                       "bad_length")
        XCTAssertTrue(RegistryCodes.vsic("C25")! == ("C", "25"))
        XCTAssertTrue(RegistryCodes.vsic("g 46")! == ("G", "46"))
        XCTAssertNil(RegistryCodes.vsic("C04"))
        XCTAssertNil(RegistryCodes.vsic("Z01"))
        XCTAssertTrue(RegistryCodes.vsic("a 0 3")! == ("A", "03"))
        XCTAssertTrue(RegistryCodes.vsic("U99")! == ("U", "99"))
        for refused in ["C2", "C255", "Ç25", "25C", "", "G4x", "@46"] { XCTAssertNil(RegistryCodes.vsic(refused), refused) }
        XCTAssertEqual(Pseudonymiser.mask("001085104729,M,1985-03-04,F,123456789,F,12345678"),
                       "############,M,1985-03-04,F,#########,F,12345678", "letters end a chain; 8 digits are no ID")
        XCTAssertEqual(Period.calendarDate("29/02/2024"), "2024-02-29")
        XCTAssertNil(Period.calendarDate("29/02/2023"))
        XCTAssertNil(Period.calendarDate("2024-2-1"))
    }
}

private extension Result where Failure == RegistryCodes.TaxCodeProblem {
    var failureCode: String? {
        if case .failure(let problem) = self { return problem.code.rawValue }
        return nil
    }
}
