import Foundation
import Reference
import Warehouse

/// A record the reader could not split into fields. Reading goes on after it.
public struct CSVRecordError: Error, Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// A quoted field was still open at the end of the file.
        case unterminatedQuote = "unterminated_quote"
        /// A field's bytes are not UTF-8.
        case invalidUTF8 = "invalid_utf8"
        /// A field holds a control character (NUL, escape, …): bytes that are not text, and would cut a number
        /// short where a parser stops at them.
        case controlCharacter = "control_character"
        /// A field is longer than `CSVReader.fieldLimit` bytes.
        case fieldTooLong = "field_too_long"

        /// The code a rejected row records.
        public var code: RejectCode {
            switch self {
            case .unterminatedQuote: return .unterminatedQuote
            case .invalidUTF8: return .invalidUTF8
            case .controlCharacter: return .controlCharacter
            case .fieldTooLong: return .fieldTooLong
            }
        }
    }
    public let kind: Kind
    public let line: Int
    public let byteOffset: Int
    /// 1-based field number at fault, when known.
    public let field: Int?
    /// The record as written, control characters escaped, at most `RejectedRow.excerptLimit` characters.
    public let raw: String
    /// What is wrong with the field, when the kind does not say it all.
    public let detail: String?

    public init(kind: Kind, line: Int, byteOffset: Int, field: Int?, raw: some Collection<UInt8>, detail: String? = nil) {
        self.kind = kind
        self.line = line
        self.byteOffset = byteOffset
        self.field = field
        self.raw = RejectedRow.excerpt(String(decoding: raw.prefix(4 * RejectedRow.excerptLimit), as: UTF8.self)
                                        .escapingControlCharacters, of: raw.count)
        self.detail = detail
    }
}

extension CSVRecordError {
    /// What to do about it, for a reject report.
    public var advice: String {
        switch kind {
        case .invalidUTF8: return "the bytes are not UTF-8: save the file as UTF-8"
        case .unterminatedQuote: return "a quoted field is never closed: close or remove the stray quote"
        case .controlCharacter, .fieldTooLong: return detail ?? kind.rawValue
        }
    }

    /// The name of the field at fault in `header`, when known.
    public func column(in header: [String]) -> String? {
        field.map { header.indices.contains($0 - 1) ? header[$0 - 1] : "field \($0)" }
    }
}
