/// How data files write "no value here": one set for every format (tidy CSV, SDMX-CSV, statistics-office
/// tables, workbooks), documented in `Datasets/schemas/README.md`.
///
/// A marker is read as intentionally missing, never as a number, and every load counts them in its summary
/// (`LoadSummary.missing`). Anything else that is not a number is rejected.
public enum MissingValue {
    /// Empty; `..`, `...`, `…` (the statistics office, OECD, SDMX publishers); `-`, `–`, `—` (a dash); `x`
    /// (withheld); `NA`, `N/A`, `#N/A` (R, spreadsheets).
    public static let markers: Set<String> = ["", "..", "...", "…", "-", "–", "—", "x", "X", "NA", "N/A", "n/a", "#N/A"]

    /// Whether `text` (trimmed) is a marker of a missing value: one of `markers`, or NaN in any case with or
    /// without a sign (`NaN`, `nan`, `-NaN`), as numpy, pandas and C libraries print it.
    public static func isMarker(_ text: String) -> Bool {
        if markers.contains(text) { return true }
        guard text.utf8.count <= 4 else { return false }
        let unsigned = text.first == "-" || text.first == "+" ? String(text.dropFirst()) : text
        return unsigned.lowercased() == "nan"
    }
}
