/// The audit of a suppression pattern against everything an outsider can solve at once. The counts behind the
/// figures (a count's value, a share's numerator and denominator) are tied by linear relations an outsider knows
/// (a total = the sum of its parts, a 2025 unit = its predecessors times their shares, one count published as
/// two indicators); a suppressed count is recovered exactly when every solution of the relations, given the
/// published counts, gives it the same value. The groups of `DisclosureControl.suppressed` see one relation at a
/// time; this sees them together (a region before 1 July 2025 less the same region after gave a province that
/// left it).
extension DisclosureControl {
    /// A linear relation between counts that holds in the data: the sum of coefficient x count is 0.
    public struct Relation: Sendable {
        public let terms: [(count: Int, coefficient: Double)]
        public init(terms: [(count: Int, coefficient: Double)]) { self.terms = terms }
    }

    /// Hides more cells until no hidden count is recovered from the published ones through `relations`
    /// (`counts[c]`: the value of count `c`). A count recovered is a sum of published counts times
    /// coefficients; each round hides, for each count recovered, the smallest non-zero count of its sum (every
    /// cell showing it), then the cells `linked` to those. Only the sets of relations holding a count hidden in
    /// the round before are solved again.
    static func audit(_ hidden: inout [Bool], cells: [Cell], counts: [Double], relations: [Relation], linked: [[Int]]) {
        var shownBy = [[Int]](repeating: [], count: counts.count)
        for (index, cell) in cells.enumerated() { for count in cell.shows { shownBy[count].append(index) } }
        var changed: [Bool]? = nil
        while true {
            var published = [Bool](repeating: false, count: counts.count)
            var protected = [Bool](repeating: false, count: counts.count)
            for (index, cell) in cells.enumerated() { for count in cell.shows where !hidden[index] { published[count] = true } }
            for (index, cell) in cells.enumerated() where hidden[index] { for count in cell.shows { protected[count] = true } }
            for count in protected.indices where published[count] { protected[count] = false }
            var chosen = Set<Int>()
            for sum in recoveredSums(relations: relations, published: published, protected: protected, among: changed)
            where !sum.keys.contains(where: chosen.contains) {
                let terms = sum.filter { abs($0.value) > 1e-9 }.keys
                let candidates = terms.contains { counts[$0] != 0 } ? terms.filter { counts[$0] != 0 } : Array(terms)
                if let smallest = candidates.min(by: { (abs(counts[$0]), $0) < (abs(counts[$1]), $1) }) { chosen.insert(smallest) }
            }
            guard !chosen.isEmpty else { return }
            let before = hidden
            for count in chosen { for index in shownBy[count] { hidden[index] = true } }
            for figure in linked where figure.contains(where: { hidden[$0] }) { for index in figure { hidden[index] = true } }
            var newlyHidden = [Bool](repeating: false, count: counts.count)
            for index in hidden.indices where hidden[index] && !before[index] { for count in cells[index].shows { newlyHidden[count] = true } }
            changed = newlyHidden
        }
    }

    /// The protected counts recovered, each as the sum of published counts (count -> coefficient) it equals: in
    /// each set of relations joined by unpublished counts (only those holding a count `among` marks, when given), those
    /// not free in the relations restricted to the unpublished counts.
    static func recoveredSums(relations: [Relation], published: [Bool], protected: [Bool], among: [Bool]?) -> [[Int: Double]] {
        var root = Array(published.indices)
        func find(_ x: Int) -> Int {
            var x = x
            while root[x] != x { root[x] = root[root[x]]; x = root[x] }
            return x
        }
        let open = relations.indices.filter { relations[$0].terms.contains { !published[$0.count] } }
        for index in open {
            let unknown = relations[index].terms.map(\.count).filter { !published[$0] }
            for count in unknown.dropFirst() { root[find(count)] = find(unknown[0]) }
        }
        var sets: [Int: [Int]] = [:]
        for index in open { sets[find(relations[index].terms.first { !published[$0.count] }!.count), default: []].append(index) }
        var sums: [[Int: Double]] = []
        for key in sets.keys.sorted() {
            let set = sets[key]!
            guard set.contains(where: { relations[$0].terms.contains { protected[$0.count] } }),
                  among.map({ among in set.contains { relations[$0].terms.contains { among[$0.count] } } }) ?? true
            else { continue }
            // Local columns: the set's unpublished counts, then one per relation to follow the combinations.
            let unknowns = Array(Set(set.flatMap { relations[$0].terms.map(\.count) }.filter { !published[$0] })).sorted()
            let column = Dictionary(uniqueKeysWithValues: unknowns.enumerated().map { ($1, $0) })
            var echelon = ReducedEchelon(unknowns: unknowns.count)
            for (position, index) in set.enumerated() {
                var row: [Int: Double] = [unknowns.count + position: 1]
                for term in relations[index].terms where !published[term.count] { row[column[term.count]!, default: 0] += term.coefficient }
                echelon.add(row)
            }
            for (local, combination) in echelon.determined() where protected[unknowns[local]] {
                // count + sum of the combination's relations' published terms = 0
                var sum: [Int: Double] = [:]
                for (position, weight) in combination {
                    for term in relations[set[position]].terms where published[term.count] {
                        sum[term.count, default: 0] -= weight * term.coefficient
                    }
                }
                sums.append(sum)
            }
        }
        return sums
    }
}

/// Relations in reduced row echelon form: one sparse row per pivot, zero in every other pivot's column
/// (Gauss-Jordan elimination, a relation at a time, pivoting on its largest coefficient among the first
/// `unknowns` columns; the columns after them follow which relations each row combines). A count is
/// determined by the relations, the same in every solution, when its row holds no other unknown.
struct ReducedEchelon {
    private struct Row {
        var columns: [Int]
        var values: [Double]
        func value(at column: Int) -> Double? {
            var low = 0, high = columns.count
            while low < high { let mid = (low + high) / 2; if columns[mid] < column { low = mid + 1 } else { high = mid } }
            return low < columns.count && columns[low] == column ? values[low] : nil
        }
    }
    private let unknowns: Int
    private var rows: [Int: Row] = [:]            // pivot column -> its row
    private var holding: [[Int]]                  // unknown column -> pivots whose rows may hold it
    private static let zero = 1e-10

    init(unknowns: Int) {
        self.unknowns = unknowns
        holding = [[Int]](repeating: [], count: unknowns)
    }

    mutating func add(_ relation: [Int: Double]) {
        let sorted = relation.sorted { $0.key < $1.key }
        var row = Row(columns: sorted.map(\.key), values: sorted.map(\.value))
        // Pivot rows are zero in every other pivot's column: each pivot the relation holds is taken out once.
        for (column, coefficient) in sorted where column < unknowns {
            if let pivotRow = rows[column] { row = Self.subtract(coefficient, times: pivotRow, from: row) }
        }
        var pivot = -1, largest = Self.zero
        for (column, value) in zip(row.columns, row.values) where column < unknowns && abs(value) > largest {
            pivot = column
            largest = abs(value)
        }
        guard pivot >= 0 else { return }
        let scale = row.value(at: pivot)!
        row.values = row.values.map { $0 / scale }
        // The new pivot leaves every other row.
        for other in Set(holding[pivot]).sorted() {
            guard let changed = rows[other], let coefficient = changed.value(at: pivot) else { continue }
            let reduced = Self.subtract(coefficient, times: row, from: changed)
            for column in reduced.columns where column < unknowns && changed.value(at: column) == nil { holding[column].append(other) }
            rows[other] = reduced
        }
        holding[pivot] = [pivot]
        for column in row.columns where column < unknowns && column != pivot { holding[column].append(pivot) }
        rows[pivot] = row
    }

    /// The unknown columns whose rows hold no other, each with its combination of relations (the position of
    /// the relation as added -> its weight).
    func determined() -> [(column: Int, combination: [Int: Double])] {
        rows.keys.sorted().compactMap { pivot in
            let row = rows[pivot]!
            guard !row.columns.contains(where: { $0 < unknowns && $0 != pivot }) else { return nil }
            var combination: [Int: Double] = [:]
            for (column, value) in zip(row.columns, row.values) where column >= unknowns { combination[column - unknowns] = value }
            return (pivot, combination)
        }
    }

    /// `row - factor x other`, entries within `zero` of 0 dropped.
    private static func subtract(_ factor: Double, times other: Row, from row: Row) -> Row {
        var result = Row(columns: [], values: [])
        result.columns.reserveCapacity(row.columns.count + other.columns.count)
        result.values.reserveCapacity(row.columns.count + other.columns.count)
        var i = 0, j = 0
        func put(_ column: Int, _ value: Double) {
            if abs(value) > zero { result.columns.append(column); result.values.append(value) }
        }
        while i < row.columns.count || j < other.columns.count {
            if j == other.columns.count || (i < row.columns.count && row.columns[i] < other.columns[j]) {
                put(row.columns[i], row.values[i]); i += 1
            } else if i == row.columns.count || other.columns[j] < row.columns[i] {
                put(other.columns[j], -factor * other.values[j]); j += 1
            } else {
                put(row.columns[i], row.values[i] - factor * other.values[j]); i += 1; j += 1
            }
        }
        return result
    }
}
