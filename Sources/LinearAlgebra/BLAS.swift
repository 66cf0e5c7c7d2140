import COpenBLAS

/// Errors of the linear-algebra layer. Dimension mismatches are programming errors and trap instead.
public enum LinearAlgebraError: Error, Equatable, CustomStringConvertible {
    /// The design matrix has fewer independent columns than columns: the least-squares solution is not unique.
    case rankDeficient(rank: Int, columns: Int)
    /// Fewer equations than unknowns.
    case underdetermined(rows: Int, columns: Int)
    /// LAPACK reported an illegal argument or a failure to converge.
    case lapack(routine: String, info: Int)

    public var description: String {
        switch self {
        case .rankDeficient(let rank, let columns):
            return "rank-deficient least squares: rank \(rank) < \(columns) columns (e.g. every period the same)"
        case .underdetermined(let rows, let columns):
            return "underdetermined least squares: \(rows) equations for \(columns) unknowns"
        case .lapack(let routine, let info):
            return "LAPACK \(routine) failed with info = \(info)"
        }
    }
}

extension Matrix {
    /// `alpha * op(self) * op(other)` with BLAS `dgemm`, where `op` transposes when asked.
    public func multiplied(by other: Matrix, transposeSelf: Bool = false, transposeOther: Bool = false,
                           alpha: Double = 1) -> Matrix {
        let m = transposeSelf ? columns : rows
        let k = transposeSelf ? rows : columns
        let otherK = transposeOther ? other.columns : other.rows
        let n = transposeOther ? other.rows : other.columns
        precondition(k == otherK, "inner dimensions differ: \(k) and \(otherK)")
        var result = Matrix(rows: m, columns: n)
        guard m > 0, n > 0 else { return result }
        if k == 0 { return result }
        storage.withUnsafeBufferPointer { a in
            other.storage.withUnsafeBufferPointer { b in
                result.storage.withUnsafeMutableBufferPointer { c in
                    cblas_dgemm(CblasColMajor,
                                transposeSelf ? CblasTrans : CblasNoTrans,
                                transposeOther ? CblasTrans : CblasNoTrans,
                                Int32(m), Int32(n), Int32(k), alpha,
                                a.baseAddress, Int32(max(1, rows)),
                                b.baseAddress, Int32(max(1, other.rows)),
                                0, c.baseAddress, Int32(max(1, m)))
                }
            }
        }
        return result
    }

    /// `op(self) * vector` with BLAS `dgemv`.
    public func multiplied(by vector: [Double], transposeSelf: Bool = false) -> [Double] {
        let inputLength = transposeSelf ? rows : columns
        let outputLength = transposeSelf ? columns : rows
        precondition(vector.count == inputLength, "vector length \(vector.count), expected \(inputLength)")
        var result = [Double](repeating: 0, count: outputLength)
        guard rows > 0, columns > 0 else { return result }
        storage.withUnsafeBufferPointer { a in
            vector.withUnsafeBufferPointer { x in
                result.withUnsafeMutableBufferPointer { y in
                    cblas_dgemv(CblasColMajor, transposeSelf ? CblasTrans : CblasNoTrans,
                                Int32(rows), Int32(columns), 1, a.baseAddress, Int32(max(1, rows)),
                                x.baseAddress, 1, 0, y.baseAddress, 1)
                }
            }
        }
        return result
    }

    /// `self[0..<firstRows, :]ᵀ · vector` with BLAS `dgemv`: the first `firstRows` rows of every column
    /// combined with the same weights (one value per column).
    public func firstRows(_ firstRows: Int, transposedTimes vector: [Double]) -> [Double] {
        precondition(firstRows <= rows && vector.count == firstRows, "vector length must equal firstRows")
        var result = [Double](repeating: 0, count: columns)
        guard firstRows > 0, columns > 0 else { return result }
        storage.withUnsafeBufferPointer { a in
            vector.withUnsafeBufferPointer { x in
                result.withUnsafeMutableBufferPointer { y in
                    cblas_dgemv(CblasColMajor, CblasTrans, Int32(firstRows), Int32(columns), 1, a.baseAddress,
                                Int32(max(1, rows)), x.baseAddress, 1, 0, y.baseAddress, 1)
                }
            }
        }
        return result
    }

    /// `self * other`.
    public static func * (lhs: Matrix, rhs: Matrix) -> Matrix { lhs.multiplied(by: rhs) }
}
