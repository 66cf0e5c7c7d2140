import LinearAlgebra

/// A membership: which children (or old units) make up each parent (or new unit), and with what share of
/// each child (1 for a whole member). As a matrix it is parents x children (METHODS.md section 1), but it is
/// kept as its links, so applying it costs one addition per link and column, not parents x children.
public struct Membership: Sendable {
    /// One child's share of one parent, by their positions in `parents` and `children`.
    public struct Link: Sendable, Equatable {
        public let parent: Int
        public let child: Int
        public let share: Double
    }

    /// Parent unit ids, in row order.
    public let parents: [Int]
    /// Child unit ids, in column order.
    public let children: [Int]
    /// Each (parent, child) pair once, in the order first given (a hierarchy's shares are 1).
    public let links: [Link]
    /// How many children each parent has (in row order).
    public let memberCounts: [Double]
    /// Whether every share is 1 (a roll-up, or a crosswalk of whole merges only).
    public let isWhole: Bool

    /// A member counted under two parents, or with a share outside (0, 1].
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case doubleCount(child: Int, parents: [Int])
        case badShare(child: Int, parent: Int, share: Double)
        case sharesExceedOne(child: Int, total: Double)

        public var description: String {
            switch self {
            case .doubleCount(let child, let parents):
                return "unit \(child) is a member of \(parents.count) parents (\(parents.map(String.init).joined(separator: ", "))): "
                    + "it would be counted twice; fix the hierarchy"
            case .badShare(let child, let parent, let share):
                return "share \(share) of unit \(child) in \(parent) is outside (0, 1]"
            case .sharesExceedOne(let child, let total):
                return "the shares of unit \(child) add up to \(total), more than 1: it would be counted more than once"
            }
        }
    }

    /// Builds the matrix from `(parent, child, share)` links.
    ///
    /// - Parameter hierarchy: `true` for a roll-up, where every child has exactly one parent with share 1;
    ///   a child under two parents is refused as a double count. `false` for a crosswalk, where a child may be
    ///   split among parents as long as its shares add up to at most 1.
    public init(links: [(parent: Int, child: Int, share: Double)], hierarchy: Bool) throws {
        var parentOrder: [Int] = [], childOrder: [Int] = []
        var parentIndex: [Int: Int] = [:], childIndex: [Int: Int] = [:]
        var linksOfChild: [Int] = [], shareOfChild: [Double] = []
        for link in links {
            guard link.share > 0 && link.share <= 1 else {
                throw Problem.badShare(child: link.child, parent: link.parent, share: link.share)
            }
            if parentIndex[link.parent] == nil { parentIndex[link.parent] = parentOrder.count; parentOrder.append(link.parent) }
            let j: Int
            if let known = childIndex[link.child] {
                j = known
            } else {
                j = childOrder.count
                childIndex[link.child] = j
                childOrder.append(link.child)
                linksOfChild.append(0)
                shareOfChild.append(0)
            }
            linksOfChild[j] += 1
            shareOfChild[j] += link.share
        }
        for j in childOrder.indices {
            let child = childOrder[j]
            if hierarchy && linksOfChild[j] > 1 {
                throw Problem.doubleCount(child: child, parents: links.filter { $0.child == child }.map(\.parent).sorted())
            }
            if shareOfChild[j] > 1 + 1e-9 { throw Problem.sharesExceedOne(child: child, total: shareOfChild[j]) }
        }
        // A pair given twice (in a crosswalk: a hierarchy refuses it above) keeps its last share.
        var position: [Int: Int] = [:], kept: [Link] = []
        kept.reserveCapacity(links.count)
        var counts = [Double](repeating: 0, count: parentOrder.count)
        for link in links {
            guard let i = parentIndex[link.parent], let j = childIndex[link.child] else { continue }
            let item = Link(parent: i, child: j, share: hierarchy ? 1 : link.share)
            if !hierarchy, let at = position[i * childOrder.count + j] {
                kept[at] = item
                continue
            }
            if !hierarchy { position[i * childOrder.count + j] = kept.count }
            kept.append(item)
            counts[i] += 1
        }
        parents = parentOrder
        children = childOrder
        self.links = kept
        memberCounts = counts
        isWhole = hierarchy || links.allSatisfy { $0.share == 1 }
    }

    /// The shares applied to `x` (children x k): parents x k, each parent's row the sum of its children's rows
    /// times their shares (`wholeShares`: times 1, counting members).
    public func apply(to x: Matrix, wholeShares: Bool = false) -> Matrix {
        precondition(x.rows == children.count, "a membership of \(children.count) children applied to \(x.rows) rows")
        var result = Matrix(rows: parents.count, columns: x.columns)
        for column in 0..<x.columns {
            add(Array(x.storage[column * x.rows ..< (column + 1) * x.rows]), to: &result, column: column,
                wholeShares: wholeShares)
        }
        return result
    }

    /// Adds to column `column` of `result` (parents x k) the shares of `children` (one value per child): each
    /// link adds its child's value, times its share (`wholeShares`: times 1), to its parent's, in the order the
    /// links were given, so the cost follows the links.
    public func add(_ values: [Double], to result: inout Matrix, column: Int, wholeShares: Bool = false) {
        precondition(values.count == children.count && result.rows == parents.count)
        let scaled = !(isWhole || wholeShares), offset = column * parents.count
        values.withUnsafeBufferPointer { input in
            result.storage.withUnsafeMutableBufferPointer { output in
                links.withUnsafeBufferPointer { links in
                    if scaled {
                        for link in links { output[offset + link.parent] += link.share * input[link.child] }
                    } else {
                        for link in links { output[offset + link.parent] += input[link.child] }
                    }
                }
            }
        }
    }
}
