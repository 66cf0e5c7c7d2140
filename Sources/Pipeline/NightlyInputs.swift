import Foundation
import Ingest

/// The indicators to recompute when only loads of observations came after the last computation, over the same
/// catalogue, reference data and settings (`computed` and `now` are their fingerprints, the newest load id
/// first): those the loads changed, and POPULATION with the indicators it weights. `nil`: recompute everything.
func incrementalScope(_ context: RunContext, computed: String?, now: String?) -> Set<String>? {
    let warehouse = context.warehouse
    guard let computed, let now, let last = computed.split(separator: "|").first.flatMap({ Int($0) }),
          computed.split(separator: "|").dropFirst() == now.split(separator: "|").dropFirst(),
          (try? warehouse.forecasts()) != nil, let changed = try? warehouse.indicatorsChanged(afterLoad: last),
          let catalogue = try? context.indicators() else { return nil }
    let weighted = Set(catalogue.values.filter { $0.aggregation == .weightedMean }.map(\.code))
    guard changed.contains("POPULATION") || !changed.isDisjoint(with: weighted) else { return changed }
    return changed.union(weighted).union(["POPULATION"])
}

/// The files matching a pattern whose last component may hold `*` and `?`, sorted.
func expandPattern(_ pattern: String) -> [String] {
    let url = URL(fileURLWithPath: pattern)
    let folder = url.deletingLastPathComponent().path
    let name = url.lastPathComponent
    guard name.contains("*") || name.contains("?") else {
        return FileManager.default.fileExists(atPath: pattern) ? [pattern] : []
    }
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return entries.filter { fnmatch(name, $0, 0) == 0 }.sorted().map { folder + "/" + $0 }
}

/// SHA-256 over the names and contents of the files under `folder`, for noticing that reference data or the
/// catalogue changed.
func directoryFingerprint(_ folder: String) throws -> String {
    let files = (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).sorted()
    var text = ""
    for file in files {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder + "/" + file, isDirectory: &isDirectory), !isDirectory.boolValue
        else { continue }
        text += file + " " + (try sha256Hex(ofFile: folder + "/" + file)) + "\n"
    }
    return sha256Hex(of: Data(text.utf8))
}
