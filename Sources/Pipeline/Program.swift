import Foundation

/// The program's version, printed by `chiso --version` and on every report and run record.
public enum Program {
    public static let version = "0.11.0"

    /// The encoder of every JSON chiso writes (`run.json`, `--format json`): `snake_case` keys, sorted, indented.
    public static func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }
}
