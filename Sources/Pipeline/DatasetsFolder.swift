import Foundation

/// Where the bundled `Datasets/` folder is: `CHISO_DATASETS` when set, else the nearest `Datasets/` above the
/// working directory or above the executable (so a build under `.build/` finds the repository's).
public enum DatasetsFolder {
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let explicit = environment["CHISO_DATASETS"] { return explicit }
        let starts = [FileManager.default.currentDirectoryPath,
                      URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
                        .deletingLastPathComponent().path]
        for start in starts {
            var url = URL(fileURLWithPath: start)
            while true {
                let candidate = url.appendingPathComponent("Datasets")
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("catalog/targets.yaml").path) {
                    return candidate.path
                }
                let parent = url.deletingLastPathComponent()
                if parent.path == url.path { break }
                url = parent
            }
        }
        return nil
    }
}
