import LinearAlgebra

/// A membership matrix: row = parent (or new unit), column = child (or old unit), entry = the share of the
/// child that belongs to the parent (1 for a whole member). Applying it to a children x columns matrix is one
/// matrix product (METHODS.md section 1).
public struct Membership: Sendable {
    /// Parent unit ids, in row order.
    public let parents: [Int]
    /// Child unit ids, in column order.
    public let children: [Int]
    /// parents x children shares.
    public let matrix: Matrix
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
        var matrix = Matrix(rows: parentOrder.count, columns: childOrder.count)
        var counts = [Double](repeating: 0, count: parentOrder.count)
        for link in links {
            guard let i = parentIndex[link.parent], let j = childIndex[link.child] else { continue }
            if matrix[i, j] == 0 { counts[i] += 1 }
            matrix[i, j] = hierarchy ? 1 : link.share
        }
        parents = parentOrder
        children = childOrder
        self.matrix = matrix
        memberCounts = counts
        isWhole = hierarchy || links.allSatisfy { $0.share == 1 }
    }
}
