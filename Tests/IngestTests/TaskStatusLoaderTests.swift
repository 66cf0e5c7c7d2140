import Foundation
import Ingest
@testable import Warehouse
import XCTest

final class TaskStatusLoaderTests: XCTestCase {
    func warehouse() throws -> Warehouse {
        let warehouse = try Warehouse(path: ":memory:")
        try warehouse.db.run("""
            INSERT INTO task (id, section, number, text_vi, text_en, lead_agency, start_year, end_year)
            VALUES ('I.1', 'I', '1', 'a', 'a', 'MIC', 2021, 2022), ('VI.1', 'VI', '1', 'b', 'b', 'MPS', 2021, 2025)
            """)
        return warehouse
    }

    func testStatusesLoadInEnglishOrVietnameseAndBadRowsGetReasons() throws {
        let warehouse = try warehouse()
        var loader = TaskStatusLoader(warehouse: warehouse)
        loader.maxRejectRate = 1
        let path = temporaryFile("""
            task,status,date,note
            I.1,completed,2023-06-30,law passed
            VI.1,Đang thực hiện,2025-12-31,
            VI.1,Chậm tiến độ,2026-03-01,"waiting, for funds"
            X.9,completed,2024-01-01,
            I.1,finished,2024-01-01,
            I.1,completed,2024-13-01,
            I.1,completed,2099-01-01,
            """)
        let (summary, rejects) = try loader.load(path: path, today: "2026-11-29")
        XCTAssertEqual(summary.loaded, 3)
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: rejects.map { ($0.line, $0.errorCode) }),
                       [5: "unknown_task", 6: "bad_status", 7: "bad_date", 8: "future_date"])
        let stored = try warehouse.db.rows("SELECT task_id, status, date FROM task_status ORDER BY task_id, date")
            .map { "\($0["task_id"].text ?? "") \($0["status"].text ?? "") \($0["date"].text ?? "")" }
        XCTAssertEqual(stored, ["I.1 completed 2023-06-30", "VI.1 in_progress 2025-12-31", "VI.1 delayed 2026-03-01"])
        XCTAssertEqual(try loader.load(path: path, today: "2026-11-29").summary.status, .skipped)
    }

    func testTooManyRejectsLoadNothing() throws {
        let warehouse = try warehouse()
        let (summary, _) = try TaskStatusLoader(warehouse: warehouse)
            .load(path: temporaryFile("task,status,date\nI.1,done?,2024-01-01\nVI.1,completed,2024-01-01\n"), today: "2026-11-29")
        XCTAssertEqual(summary.status, .failed)
        XCTAssertEqual(try warehouse.db.scalar("SELECT count(*) FROM task_status"), .integer(0))
    }
}
