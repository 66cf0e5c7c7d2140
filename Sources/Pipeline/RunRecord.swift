import Foundation
import Warehouse

/// The outcome of one step of a run.
public struct StepRecord: Codable, Equatable, Sendable {
    public let step: String
    public let status: RunStatus
    public let startedAt: String
    public let seconds: Double
    public let detail: String
}

/// The record of a nightly run, written as `run.json` beside its reports.
public struct RunRecord: Codable, Sendable {
    public let run: Int
    /// The program that ran it.
    public var version = Program.version
    public var status: RunStatus
    public var steps: [StepRecord]
    public var loads: [LoadSummary]
    public var outputDirectory: String
    public var reports: [String]
}
