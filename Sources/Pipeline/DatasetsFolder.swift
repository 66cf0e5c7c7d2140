import Foundation
import Ingest

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

    /// Refuses a folder that is not a `Datasets/` folder (no `reference/` and `catalog/`), before anything
    /// is read or created.
    public static func check(_ path: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw InputError(file: path, message: "no such folder: name the repository's Datasets/ (--datasets or CHISO_DATASETS)")
        }
        guard isFolder.boolValue, FileManager.default.fileExists(atPath: path + "/catalog/targets.yaml"),
              FileManager.default.fileExists(atPath: path + "/reference") else {
            throw InputError(file: path, message: "not a Datasets folder (it has no reference/ and catalog/targets.yaml): "
                                 + "name the repository's Datasets/ (--datasets or CHISO_DATASETS)")
        }
    }
}
