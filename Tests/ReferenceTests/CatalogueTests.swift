import Foundation
import Reference
import XCTest

/// The catalogue checked against the text of the decision itself (`Datasets/catalog/decision-942.txt`).
final class CatalogueTests: XCTestCase {
    var catalogue: Catalogue!
    var decision = ""

    override func setUpWithError() throws {
        catalogue = try Catalogue(directory: datasetsFolder + "/catalog")
        decision = Self.flatten(try String(contentsOfFile: datasetsFolder + "/catalog/decision-942.txt", encoding: .utf8))
    }

    static func flatten(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The lettered points of section III, as (clause, text): "III.1.a", "III.3.đ", ...
    func sectionIIIPoints() throws -> [(clause: String, text: String)] {
        let raw = try String(contentsOfFile: datasetsFolder + "/catalog/decision-942.txt", encoding: .utf8)
            .precomposedStringWithCanonicalMapping
        let lines = raw.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix("III. MỤC TIÊU") }),
              let end = lines[start...].firstIndex(where: { $0.hasPrefix("IV. ") }) else {
            throw XCTSkip("section III not found")
        }
        var points: [(String, String)] = []
        var subsection = ""
        for line in lines[start..<end] {
            if let match = line.firstMatch(of: #/^([0-9])\. /#) { subsection = String(match.1) }
            if let match = line.firstMatch(of: #/^(?:- )?([a-zđ])\) (.*)$/#) {
                points.append(("III.\(subsection).\(match.1)", Self.flatten(String(match.2))))
            }
        }
        return points
    }

    func testEveryQuantitativePointOfSectionIIIHasATarget() throws {
        let points = try sectionIIIPoints()
        XCTAssertGreaterThan(points.count, 30)
        let clauses = Set(catalogue.targets.map(\.clause))
        for point in points where point.text.contains("%") || point.text.contains(#/nhóm \d+/#) {
            XCTAssertTrue(clauses.contains(point.clause), "no target for \(point.clause): \(point.text.prefix(80))")
        }
    }

    func testEveryTargetQuotesTheDecisionAndItsNumber() {
        for target in catalogue.targets {
            let quote = Self.flatten(target.textVI)
            XCTAssertTrue(decision.contains(quote), "\(target.id): text not found in the decision")
            let number = target.threshold == target.threshold.rounded() ? String(Int(target.threshold))
                : String(target.threshold)
            let implied = quote.hasPrefix("Mỗi") || quote.contains("Mỗi") || quote.contains("tất cả")
                || quote.contains("không còn")
            XCTAssertTrue(quote.contains(number) || quote.contains("0" + number) || implied,
                          "\(target.id): \(number) not in '\(quote.prefix(80))'")
        }
    }

    func testHeadlineTargetsAsWritten() throws {
        func target(_ id: String) throws -> Target { try XCTUnwrap(catalogue.targets.first { $0.id == id }, id) }
        let expected: [(id: String, comparator: TargetComparator, threshold: Double, level: String, deadline: Int)] = [
            ("III.1.a", .atLeast, 100, "national", 2025),
            ("III.1.d", .atLeast, 80, "national", 2025),
            ("III.1.đ", .atLeast, 90, "national", 2025),
            ("III.3.d-ministry_province", .atLeast, 90, "ministry_province", 2025),
            ("III.3.d-district", .atLeast, 80, "district", 2025),
            ("III.3.d-commune", .atLeast, 60, "commune", 2025),
            ("III.5.a", .atMost, 50, "national", 2025),
            ("II-un-egov-top30", .atMost, 30, "national", 2030),
            ("III.4.a-digital-id", .atLeast, 100, "national", 2025),
            ("III.4.l-einvoice", .atLeast, 100, "national", 2025),
        ]
        for (id, comparator, threshold, level, deadline) in expected {
            let t = try target(id)
            XCTAssertEqual(t.comparator, comparator, id)
            XCTAssertEqual(t.threshold, threshold, id)
            XCTAssertEqual(t.level, level, id)
            XCTAssertEqual(t.deadline, deadline, id)
        }
        XCTAssertEqual(try target("III.4.a-digital-id").indicator, "DIGITAL_ID_L2_SHARE")
        XCTAssertEqual(try target("III.4.l-einvoice").indicator, "EINVOICE_SHARE")
    }

    func testRankTargetsAreLowerIsBetter() {
        let indicators = Dictionary(uniqueKeysWithValues: catalogue.indicators.map { ($0.code, $0) })
        let ranks = catalogue.targets.filter { $0.unit == "rank" }
        XCTAssertGreaterThanOrEqual(ranks.count, 4)
        for target in ranks {
            XCTAssertEqual(target.comparator, .atMost, target.id)
            XCTAssertEqual(indicators[target.indicator]?.direction, .lower, target.id)
            XCTAssertEqual(indicators[target.indicator]?.aggregation, .rank, target.id)
        }
    }

    func testPercentTargetsAreRatios() {
        let indicators = Dictionary(uniqueKeysWithValues: catalogue.indicators.map { ($0.code, $0) })
        for target in catalogue.targets where target.unit == "percent" {
            XCTAssertEqual(indicators[target.indicator]?.aggregation, .ratio, target.id)
        }
    }

    func testAppendixTasksAreComplete() throws {
        XCTAssertEqual(catalogue.tasks.count, 90)
        for task in catalogue.tasks {
            XCTAssertLessThanOrEqual(task.start, task.end, task.id)
            XCTAssertTrue((2021...2030).contains(task.start), task.id)
            XCTAssertTrue(decision.contains(Self.flatten(task.textVI)), "\(task.id): text not found in the decision")
        }
        let sections = Set(catalogue.tasks.map(\.section))
        XCTAssertEqual(sections.count, 15)
    }
}
