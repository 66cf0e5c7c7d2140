import COpenBLAS

/// The solution of `min ||A X - B||` for every column of `B` at once.
public struct LeastSquaresSolution: Equatable, Sendable {
    /// Coefficients: one column per right-hand side, one row per column of `A`.
    public let coefficients: Matrix
    /// Residual sum of squares of each right-hand side.
    public let residualSumOfSquares: [Double]
}

extension Matrix {
    /// Solves the least-squares problem `min ||self * X - rhs||₂` for every column of `rhs` with one LAPACK
    /// call (`dgelsd`, divide-and-conquer SVD).
    ///
    /// - Contract: `self` is m x n with m >= n, `rhs` is m x k. Singular values below `rcond` times the largest
    ///   count as zero.
    /// - Throws: `underdetermined` when m < n; `rankDeficient` when the effective rank is below n (for a trend
    ///   fit: every observation in the same period), because the minimum-norm answer LAPACK would give is one
    ///   of infinitely many and a forecast built on it would look precise while meaning nothing.
    /// - Empty `rhs` (k = 0) returns an n x 0 solution without calling LAPACK.
    public func leastSquares(_ rhs: Matrix, rcond: Double = 1e-10) throws -> LeastSquaresSolution {
        var work = rhs
        try solveLeastSquares(overwriting: &work, rcond: rcond)
        let n = columns, m = rows, k = rhs.columns
        var coefficients = Matrix(rows: n, columns: k)
        var rss = [Double](repeating: 0, count: k)
        for j in 0..<k {
            for i in 0..<n { coefficients[i, j] = work.storage[i + j * m] }
            var sum = 0.0
            for i in n..<m { sum += work.storage[i + j * m] * work.storage[i + j * m] }
            rss[j] = sum
        }
        return LeastSquaresSolution(coefficients: coefficients, residualSumOfSquares: rss)
    }

    /// The Moore-Penrose pseudo-inverse `P` (n x m) of this m x n matrix of full column rank, from one LAPACK
    /// least-squares solve with the identity as right-hand sides. The least-squares solution for any
    /// right-hand sides `B` is then the BLAS product `P · B`: for thousands of series sharing one small design,
    /// one solve and one product instead of applying LAPACK's reflections to every series.
    /// - Throws: as `leastSquares` (underdetermined, rank-deficient).
    public func pseudoInverse() throws -> Matrix {
        var identity = Matrix(rows: rows, columns: rows)
        for i in 0..<rows { identity[i, i] = 1 }
        try solveLeastSquares(overwriting: &identity)
        var inverse = Matrix(rows: columns, columns: rows)
        for j in 0..<rows {
            for i in 0..<columns { inverse[i, j] = identity[i, j] }
        }
        return inverse
    }

    /// `leastSquares` in place: on return, rows `0..<columns` of each column of `rhs` hold that right-hand
    /// side's coefficients and the remaining rows its residual components. Same contract and errors.
    public func solveLeastSquares(overwriting rhs: inout Matrix, rcond: Double = 1e-10) throws {
        precondition(rhs.rows == rows, "right-hand side has \(rhs.rows) rows, matrix \(rows)")
        let m = rows, n = columns, k = rhs.columns
        guard m >= n else { throw LinearAlgebraError.underdetermined(rows: m, columns: n) }
        guard k > 0 else { return }
        var a = storage
        var mm = Int32(m), nn = Int32(n), kk = Int32(k)
        var lda = Int32(max(1, m)), ldb = Int32(max(1, m))
        var singularValues = [Double](repeating: 0, count: max(1, n))
        var rcondValue = rcond
        var rank: Int32 = 0
        var info: Int32 = 0
        var workSize = -1 as Int32
        var optimalWork = 0.0
        var iworkSize: Int32 = 0
        try rhs.storage.withUnsafeMutableBufferPointer { b in
            // Workspace query first, as LAPACK recommends.
            dgelsd_(&mm, &nn, &kk, &a, &lda, b.baseAddress, &ldb, &singularValues, &rcondValue, &rank,
                    &optimalWork, &workSize, &iworkSize, &info)
            guard info == 0 else { throw LinearAlgebraError.lapack(routine: "dgelsd", info: Int(info)) }
            workSize = Int32(optimalWork.rounded(.up))
            var work = [Double](repeating: 0, count: Int(workSize))
            var iwork = [Int32](repeating: 0, count: max(1, Int(iworkSize)))
            dgelsd_(&mm, &nn, &kk, &a, &lda, b.baseAddress, &ldb, &singularValues, &rcondValue, &rank,
                    &work, &workSize, &iwork, &info)
        }
        guard info == 0 else { throw LinearAlgebraError.lapack(routine: "dgelsd", info: Int(info)) }
        guard Int(rank) == n else { throw LinearAlgebraError.rankDeficient(rank: Int(rank), columns: n) }
    }
}
