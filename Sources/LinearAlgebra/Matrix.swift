/// A dense matrix of `Double`, stored column-major as BLAS and LAPACK expect.
public struct Matrix: Equatable, Sendable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// Entries, column after column: entry (i, j) is `storage[i + j * rows]`.
    public var storage: [Double]

    /// A `rows` x `columns` matrix with every entry `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must not be negative")
        self.rows = rows
        self.columns = columns
        storage = Array(repeating: value, count: rows * columns)
    }

    /// A matrix from its rows, as written on paper. Every row must have the same length.
    public init(_ rowsOfValues: [[Double]]) {
        let rows = rowsOfValues.count
        let columns = rowsOfValues.first?.count ?? 0
        precondition(rowsOfValues.allSatisfy { $0.count == columns }, "rows of different lengths")
        self.init(rows: rows, columns: columns)
        for i in 0..<rows {
            for j in 0..<columns { self[i, j] = rowsOfValues[i][j] }
        }
    }

    /// A matrix over existing column-major storage.
    public init(rows: Int, columns: Int, columnMajor storage: [Double]) {
        precondition(storage.count == rows * columns, "storage does not match the dimensions")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// Entry in row `i`, column `j` (0-based).
    @inlinable
    public subscript(i: Int, j: Int) -> Double {
        get { storage[i + j * rows] }
        set { storage[i + j * rows] = newValue }
    }

    /// Column `j` as an array.
    public func column(_ j: Int) -> [Double] { Array(storage[(j * rows)..<((j + 1) * rows)]) }

    /// Row `i` as an array.
    public func row(_ i: Int) -> [Double] { (0..<columns).map { self[i, $0] } }

    /// The transpose.
    public var transposed: Matrix {
        var result = Matrix(rows: columns, columns: rows)
        for j in 0..<columns {
            for i in 0..<rows { result[j, i] = self[i, j] }
        }
        return result
    }
}
