import ArgumentParser
import Foundation
import Logging

/// How log lines are written on stderr.
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Writes log lines on stderr: `2026-11-29T02:30:01Z info ingest:indicators: succeeded - …` with the metadata
/// after it, or one JSON object per line.
struct StderrLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    let format: LogFormat
    let label: String

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let time = ISO8601DateFormatter().string(from: Date())
        let line: String
        switch format {
        case .text:
            let details = all.isEmpty ? "" : " (" + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                .joined(separator: " ") + ")"
            line = "\(time) \(event.level) \(event.message)\(details)"
        case .json:
            var object: [String: String] = ["time": time, "level": "\(event.level)", "message": "\(event.message)",
                                            "logger": label]
            for (key, value) in all { object[key] = "\(value)" }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            line = String(decoding: data, as: UTF8.self)
        }
        ProgressLine.finish()
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
