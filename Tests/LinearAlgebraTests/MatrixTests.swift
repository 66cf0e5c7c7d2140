import LinearAlgebra
import TestSupport
import XCTest

/// Expected values computed by hand and checked with numpy 2.4 (`numpy.linalg.lstsq`).
final class MatrixTests: XCTestCase {
    func assertAllClose(_ a: [Double], _ b: [Double], _ tolerance: Double = Tolerance.solve, file: StaticString = #filePath,
                        line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        for (x, y) in zip(a, b) { assertClose(x, y, tolerance, file: file, line: line) }
    }

    func testGemmAgainstHandComputedProduct() {
        let a = Matrix([[1, 2], [3, 4], [5, 6]])
        let b = Matrix([[1, 0, 2], [0, 1, 1]])
        let c = a * b
        XCTAssertEqual(c.rows, 3)
        XCTAssertEqual(c.columns, 3)
        assertAllClose(c.row(0), [1, 2, 4])
        assertAllClose(c.row(1), [3, 4, 10])
        assertAllClose(c.row(2), [5, 6, 16])
        let ata = a.multiplied(by: a, transposeSelf: true)
        assertAllClose(ata.row(0), [35, 44])
        assertAllClose(ata.row(1), [44, 56])
        assertAllClose(a.multiplied(by: b.transposed, transposeOther: true).storage, c.storage)
    }

    func testGemv() {
        let a = Matrix([[1, 2], [3, 4], [5, 6]])
        assertAllClose(a.multiplied(by: [1, 1, 1], transposeSelf: true), [9, 12])
        assertAllClose(a.multiplied(by: [2, -1]), [0, 2, 4])
    }

    func testEmptyProducts() {
        XCTAssertEqual((Matrix(rows: 2, columns: 0) * Matrix(rows: 0, columns: 3)).storage, [0, 0, 0, 0, 0, 0])
    }

    func testLeastSquaresManyRightHandSides() throws {
        let years: [Double] = [2019, 2020, 2021, 2022, 2023, 2024]
        let design = Matrix(years.map { [1, $0] })
        let rhs = Matrix(rows: 6, columns: 2, columnMajor: [10, 14, 15, 21, 24, 27, 50, 49, 47, 46, 44, 41])
        let solution = try design.leastSquares(rhs)
        assertClose(solution.coefficients[1, 0], 3.4571428571428573, Tolerance.solve)
        assertClose(solution.coefficients[0, 0], -6970.114285714286, Tolerance.solve)
        assertClose(solution.coefficients[1, 1], -1.7428571428571429, Tolerance.solve)
        assertClose(solution.coefficients[0, 1], 3569.352380952381, Tolerance.solve)
        assertClose(solution.residualSumOfSquares[0], 4.342857142857143, Tolerance.solve)
    }

    func testExactSystemHasZeroResidual() throws {
        let solution = try Matrix([[2, 0], [0, 4]]).leastSquares(Matrix([[2], [8]]))
        assertAllClose(solution.coefficients.column(0), [1, 2])
    }

    func testRankDeficientDesignIsAnError() {
        // Every observation in the same year: the trend is not identifiable.
        let design = Matrix([[1, 2020], [1, 2020], [1, 2020]])
        XCTAssertThrowsError(try design.leastSquares(Matrix([[1], [2], [3]]))) { error in
            XCTAssertEqual(error as? LinearAlgebraError, .rankDeficient(rank: 1, columns: 2))
        }
    }

    func testUnderdeterminedIsAnError() {
        XCTAssertThrowsError(try Matrix([[1, 2]]).leastSquares(Matrix([[1]]))) { error in
            XCTAssertEqual(error as? LinearAlgebraError, .underdetermined(rows: 1, columns: 2))
        }
    }

    func testNoRightHandSides() throws {
        let solution = try Matrix([[1, 0], [0, 1], [1, 1]]).leastSquares(Matrix(rows: 3, columns: 0))
        XCTAssertEqual(solution.coefficients.columns, 0)
    }
}
