import Analytics
import Foundation
import LinearAlgebra
import Reference
import TestSupport
import XCTest

final class AggregationTests: XCTestCase {
    let rules: [String: AggregationRule] = [
        "POP": AggregationRule(aggregation: .sum),
        "SHARE": AggregationRule(aggregation: .ratio, ratioScale: 100),
        "INDEX": AggregationRule(aggregation: .mean),
        "SCORE": AggregationRule(aggregation: .weightedMean, weightIndicator: "POP"),
        "RANK": AggregationRule(aggregation: .rank),
    ]

    /// Units 1, 2, 3 under parent 10; unit 4 under parent 20.
    func panel() -> Panel {
        let columns = ["POP", "SHARE", "INDEX", "SCORE", "RANK"].map { Panel.Column(indicator: $0, period: "2024") }
        var panel = Panel(units: [1, 2, 3, 4], columns: columns)
        let pop = [100.0, 300, 600, 50], online = [90.0, 30, 300, 10], dossiers = [100.0, 100, 400, 20]
        let index = [0.2, 0.4, 0.9, 0.5], score = [10.0, 20, 40, 7]
        for i in 0..<4 {
            panel.values[i, 0] = pop[i]
            panel.values[i, 1] = 100 * online[i] / dossiers[i]
            panel.numerators[i, 1] = online[i]
            panel.denominators[i, 1] = dossiers[i]
            panel.values[i, 2] = index[i]
            panel.values[i, 3] = score[i]
            panel.values[i, 4] = Double(i + 1)
        }
        return panel
    }

    func hierarchy() throws -> Membership {
        try Membership(links: [(10, 1, 1), (10, 2, 1), (10, 3, 1), (20, 4, 1)], hierarchy: true)
    }

    func testEachMethodOfSectionOne() throws {
        let result = Aggregator.aggregate(panel(), by: try hierarchy(), rules: rules, isCrosswalk: false)
        XCTAssertEqual(result.units, [10, 20])
        XCTAssertEqual(result.values[0, 0], 1000, "SUM adds")
        // RATIO: (90 + 30 + 300) / (100 + 100 + 400) = 70%, not the mean of 90%, 30% and 75% (65%).
        assertClose(result.values[0, 1], 70, Tolerance.rounding)
        XCTAssertEqual(result.numerators[0, 1], 420)
        XCTAssertEqual(result.denominators[0, 1], 600)
        assertClose(result.values[0, 2], 0.5, Tolerance.rounding, "MEAN of 0.2, 0.4, 0.9")
        // WEIGHTED_MEAN by POP: (10·100 + 20·300 + 40·600) / 1000 = 31.
        assertClose(result.values[0, 3], 31, Tolerance.rounding)
        XCTAssertTrue(result.values[0, 4].isNaN, "a rank does not aggregate")
        XCTAssertEqual(result.values[1, 0], 50)
        XCTAssertEqual(result.convertedThroughCrosswalk[0, 0], 0)
    }

    func testAMissingMemberLeavesNoSumButStillAMean() throws {
        var input = panel()
        input.values[1, 0] = .nan
        input.numerators[1, 1] = .nan
        input.values[1, 2] = .nan
        let result = Aggregator.aggregate(input, by: try hierarchy(), rules: rules, isCrosswalk: false)
        XCTAssertTrue(result.values[0, 0].isNaN, "900 would be an undercount")
        XCTAssertTrue(result.values[0, 1].isNaN)
        assertClose(result.values[0, 2], 0.55, Tolerance.rounding)
    }

    func testADoubleCountIsRefused() {
        XCTAssertThrowsError(try Membership(links: [(10, 1, 1), (20, 1, 1)], hierarchy: true)) { error in
            XCTAssertEqual(error as? Membership.Problem, .doubleCount(child: 1, parents: [10, 20]))
        }
        XCTAssertThrowsError(try Membership(links: [(10, 1, 0.7), (20, 1, 0.7)], hierarchy: false)) { error in
            guard case .sharesExceedOne(1, _)? = error as? Membership.Problem else { return XCTFail("\(error)") }
        }
    }

    func testCrosswalkWithAPartialLink() throws {
        // Old unit 2 split equally between new units 100 and 200; old 1 merged whole into 100; old 3 into 200.
        let crosswalk = try Membership(links: [(100, 1, 1), (100, 2, 0.5), (200, 2, 0.5), (200, 3, 1)], hierarchy: false)
        let result = Aggregator.aggregate(panel(), by: crosswalk, rules: rules, isCrosswalk: true)
        XCTAssertEqual(result.values[0, 0], 100 + 150)
        XCTAssertEqual(result.values[1, 0], 150 + 600)
        assertClose(result.values[0, 1], 100 * (90 + 15) / (100 + 50), Tolerance.rounding)
        assertClose(result.values[0, 2], (0.2 + 0.5 * 0.4) / 1.5, Tolerance.rounding, "members count by their shares")
        XCTAssertEqual(result.convertedThroughCrosswalk[0, 0], 1, "converted values are flagged")
    }

    func testApplyingAMembershipIsTheProductWithItsMatrix() throws {
        let membership = try hierarchy()
        let values = Matrix(rows: 4, columns: 2, columnMajor: [1, 2, 3, 4, 10, 20, 30, 40])
        XCTAssertEqual(membership.apply(to: values).storage, [6, 4, 60, 40])
        let crosswalk = try Membership(links: [(100, 1, 1), (100, 2, 0.5), (200, 2, 0.5), (200, 3, 0.5), (200, 3, 0.25)],
                                       hierarchy: false)
        XCTAssertEqual(crosswalk.links.map(\.share), [1, 0.5, 0.5, 0.25], "a pair given twice keeps its last share")
        XCTAssertEqual(crosswalk.memberCounts, [2, 2])
        let three = Matrix(rows: 3, columns: 1, columnMajor: [2, 4, 8])
        XCTAssertEqual(crosswalk.apply(to: three).storage, [2 + 0.5 * 4, 0.5 * 4 + 0.25 * 8])
        XCTAssertEqual(crosswalk.apply(to: three, wholeShares: true).storage, [6, 12], "members counted whole")
    }

    /// The roll-up of a large random hierarchy, against the product with its dense matrix written out here:
    /// the same to the last bit for whole numbers (exact either way), within rounding for fractions.
    func testARollUpOfManyUnitsIsTheDenseProduct() throws {
        var generator = SplitMix64(seed: 7)
        let children = 3_000, parents = 70, columns = 6
        let parentOf = (0..<children).map { _ in Int(generator.uniform(0, Double(parents))) }
        let membership = try Membership(links: (0..<children).map { (parent: 1_000 + parentOf[$0], child: $0, share: 1.0) },
                                        hierarchy: true)
        for whole in [true, false] {
            let x = Matrix(rows: children, columns: columns, columnMajor: (0..<children * columns).map { _ in
                let value = generator.uniform(0, 1_000)
                return whole ? value.rounded() : value
            })
            var dense = Matrix(rows: membership.parents.count, columns: children)
            for link in membership.links { dense[link.parent, link.child] = link.share }
            let expected = dense * x, result = membership.apply(to: x)
            if whole {
                XCTAssertEqual(result.storage, expected.storage)
            } else {
                for (a, e) in zip(result.storage, expected.storage) { assertClose(a, e, Tolerance.rounding) }
            }
        }
    }
}
