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
        var changed: Set<Int>? = nil
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
            changed = Set(hidden.indices.filter { hidden[$0] && !before[$0] }.flatMap { cells[$0].shows })
        }
    }

    /// The protected counts recovered, each as the sum of published counts (count -> coefficient) it equals: in
    /// each set of relations joined by unpublished counts (only those holding one of `among`, when given), those
    /// not free in the relations restricted to the unpublished counts.
    static func recoveredSums(relations: [Relation], published: [Bool], protected: [Bool], among: Set<Int>?) -> [[Int: Double]] {
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
                  among.map({ among in set.contains { relations[$0].terms.contains { among.contains($0.count) } } }) ?? true
            else { continue }
            var echelon = ReducedEchelon()
            for index in set {
                var row: [Int: Double] = [:]
                for term in relations[index].terms where !published[term.count] { row[term.count, default: 0] += term.coefficient }
                echelon.add(row, relation: index)
            }
            for (count, combination) in echelon.determined() where protected[count] {
                // count + sum of the combination's relations' published terms = 0
                var sum: [Int: Double] = [:]
                for (relation, weight) in combination {
                    for term in relations[relation].terms where published[term.count] { sum[term.count, default: 0] -= weight * term.coefficient }
                }
                sums.append(sum)
            }
        }
        return sums
    }
}

/// Relations in reduced row echelon form: one sparse row per pivot, zero in every other pivot's column
/// (Gauss-Jordan elimination, a relation at a time, pivoting on its largest coefficient), each with the
/// combination of relations it is. A count is determined by the relations, the same in every solution, when its
/// row holds it alone: its combination of relations then gives it from the counts left out of the rows.
struct ReducedEchelon {
    private var rows: [Int: [Int: Double]] = [:]      // pivot count -> its row; relation r is the key -(r + 1)
    private var holding: [Int: Set<Int>] = [:]        // count -> the pivots whose rows hold it
    private static let zero = 1e-10

    mutating func add(_ relation: [Int: Double], relation index: Int) {
        var row = relation
        row[-(index + 1)] = 1
        for (count, coefficient) in relation where rows[count] != nil { subtract(coefficient, times: rows[count]!, from: &row) }
        row = row.filter { abs($0.value) > Self.zero }
        guard let pivot = row.filter({ $0.key >= 0 }).max(by: { (abs($0.value), -$0.key) < (abs($1.value), -$1.key) })?.key
        else { return }
        let scale = row[pivot]!
        row = row.mapValues { $0 / scale }
        // The new pivot leaves every other row.
        for other in (holding[pivot] ?? []).sorted() {
            var changed = rows[other]!
            for (count, _) in changed where count >= 0 { holding[count]?.remove(other) }
            subtract(changed[pivot]!, times: row, from: &changed)
            changed = changed.filter { abs($0.value) > Self.zero }
            rows[other] = changed
            for (count, _) in changed where count >= 0 { holding[count, default: []].insert(other) }
        }
        rows[pivot] = row
        for (count, _) in row where count >= 0 { holding[count, default: []].insert(pivot) }
    }

    /// The counts whose rows hold them alone, each with its combination of relations (relation -> weight).
    func determined() -> [(count: Int, combination: [Int: Double])] {
        rows.keys.sorted().compactMap { pivot in
            let row = rows[pivot]!
            guard !row.keys.contains(where: { $0 >= 0 && $0 != pivot }) else { return nil }
            return (pivot, Dictionary(uniqueKeysWithValues: row.filter { $0.key < 0 }.map { (-$0.key - 1, $0.value) }))
        }
    }

    private func subtract(_ factor: Double, times other: [Int: Double], from row: inout [Int: Double]) {
        for (count, coefficient) in other { row[count, default: 0] -= factor * coefficient }
    }
}
