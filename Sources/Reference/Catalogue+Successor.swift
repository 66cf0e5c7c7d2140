import Foundation

extension Catalogue {
    /// The body that took over the work of `agency` when the 2025 restructuring ended it: the succession with
    /// the largest share (MIC -> MOST). A body placed under another keeps its own work, and one that continues
    /// (MOST absorbed MIC) has no successor.
    public func mainSuccessor(of agency: Agency) -> String? {
        guard agency.validTo != nil else { return nil }
        return successions.filter { $0.from == agency.code && $0.type != "placed_under" && $0.to != agency.code }
            .max { ($0.share ?? 0, $1.to) < ($1.share ?? 0, $0.to) }?.to
    }
}
