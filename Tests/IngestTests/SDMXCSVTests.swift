import Foundation
import Ingest
import Reference
@testable import Warehouse
import XCTest

final class SDMXCSVTests: XCTestCase {
    var warehouse: Warehouse!
    var loader: IndicatorFileLoader!

    override func setUpWithError() throws {
        (warehouse, loader) = try IndicatorFileLoaderTests.referenceLoader(indicators: [("DVC_L4_SHARE", "percent", "RATIO")])
        loader.maxRejectRate = 1
    }

    func values() throws -> [String] {
        try warehouse.db.rows("""
            SELECT u.code, o.period, o.value FROM observation o JOIN unit u ON u.id = o.unit_id ORDER BY u.code, o.period
            """).map { "\($0["code"].text ?? "") \($0["period"].text ?? "") \($0["value"].double.map { "\($0)" } ?? "missing")" }
    }

    func testVersion1ColumnsInAnyOrder() throws {
        let path = temporaryFile("""
            DATAFLOW,TIME_PERIOD,OBS_VALUE,FREQ,REF_AREA,INDICATOR
            MIC:DF(1.0),2023,40.5,A,VN,DVC_L4_SHARE
            MIC:DF(1.0),2024-Q3,NaN,Q,Hà Nội,DVC_L4_SHARE
            """)
        let (summary, rejects) = try loader.loadSDMX(path: path)
        XCTAssertEqual(rejects, [])
        XCTAssertEqual(summary.loaded, 2)
        XCTAssertEqual(try values(), ["01 2024-Q3 missing", "VN 2023 40.5"])
    }

    func testVersion2ActionsAndLabelledHeaders() throws {
        let first = temporaryFile("""
            STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA: Reference area,INDICATOR: Indicator,TIME_PERIOD,OBS_VALUE
            dataflow,MIC:DF(1.0),A,VN,DVC_L4_SHARE,2022,30
            dataflow,MIC:DF(1.0),A,VN,DVC_L4_SHARE,2023,35
            """)
        XCTAssertEqual(try loader.loadSDMX(path: first).summary.loaded, 2)
        let second = temporaryFile("""
            STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE
            dataflow,MIC:DF(1.0),R,VN,DVC_L4_SHARE,2023,36
            dataflow,MIC:DF(1.0),D,VN,DVC_L4_SHARE,2022,
            dataflow,MIC:DF(1.0),X,VN,DVC_L4_SHARE,2024,1
            """)
        let (summary, rejects) = try loader.loadSDMX(path: second)
        XCTAssertEqual(summary.updated, 1)
        XCTAssertTrue(summary.message?.hasSuffix("; 1 observations deleted (kept as revisions)") ?? false,
                      summary.message ?? "")
        XCTAssertEqual(rejects.map(\.errorCode), ["bad_action"])
        XCTAssertEqual(try values(), ["VN 2023 36.0"])
        XCTAssertEqual(try warehouse.db.scalar("SELECT count(*) FROM observation_revision"), .integer(2),
                       "the replaced 35 and the deleted 30 are kept")
    }

    func testNotSDMXIsAClearError() {
        XCTAssertThrowsError(try loader.loadSDMX(path: temporaryFile("indicator,unit,period,value\n"))) { error in
            XCTAssertTrue("\(error)".contains("not SDMX-CSV"), "\(error)")
        }
    }
}
