// BoringSSL's SHA-256 as swift-crypto builds it: its C structs copy without allocating, where HMAC<SHA256>
// allocates on every copy, for the millions of IDs of a registry load.
import CCryptoBoringSSL
import Crypto
import Foundation

/// Replaces national ID numbers by keyed pseudonyms (HMAC-SHA256), so that the warehouse can link a person's
/// records across loads without ever holding the number itself.
///
/// The key is never stored. The warehouse keeps only a fingerprint of it (an HMAC of a fixed label), so a load
/// under a different key - whose pseudonyms would not match the earlier ones - is refused instead of silently
/// doubling every person.
public struct Pseudonymiser {
    /// The environment variable holding the key when no key file is given.
    public static let environmentVariable = "CHISO_PSEUDONYM_KEY"
    static let minimumKeyBytes = 16
    private let key: SymmetricKey
    /// SHA-256 states after the key's inner and outer pads (RFC 2104), copied for each ID instead of keying again.
    private let inner: SHA256_CTX, outer: SHA256_CTX

    /// A pseudonymiser with the key's bytes. Throws when the key is shorter than 16 bytes.
    public init(key bytes: Data) throws {
        guard bytes.count >= Self.minimumKeyBytes else {
            throw InputError(file: Self.environmentVariable,
                             message: "the pseudonym key has \(bytes.count) bytes; use at least \(Self.minimumKeyBytes) "
                                + "random bytes, e.g. 'head -c 32 /dev/urandom | base64 > pseudonym.key'")
        }
        key = SymmetricKey(data: bytes)
        var block = bytes.count > 64 ? Array(SHA256.hash(data: bytes)) : Array(bytes)
        block += [UInt8](repeating: 0, count: 64 - block.count)
        func padded(_ pad: UInt8) -> SHA256_CTX {
            var context = SHA256_CTX()
            CCryptoBoringSSL_SHA256_Init(&context)
            CCryptoBoringSSL_SHA256_Update(&context, block.map { $0 ^ pad }, 64)
            return context
        }
        (inner, outer) = (padded(0x36), padded(0x5c))
    }

    /// The key from `keyFile` (its bytes, without a trailing newline), else from `$CHISO_PSEUDONYM_KEY`.
    /// Throws when neither is given: population data is never loaded without pseudonymisation.
    public static func fromKeyFile(_ keyFile: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> Pseudonymiser {
        if let keyFile {
            guard var data = FileManager.default.contents(atPath: keyFile) else {
                throw InputError(file: keyFile, message: "cannot read the pseudonym key file: make one with "
                                    + "'head -c 32 /dev/urandom | base64 > \(keyFile)' and keep it for every load (a new key "
                                    + "gives every citizen a new pseudonym)")
            }
            while let last = data.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { data.removeLast() }
            return try Pseudonymiser(key: data)
        }
        guard let text = environment[environmentVariable], !text.isEmpty else {
            throw InputError(file: environmentVariable, message: """
                no pseudonym key: citizen IDs are replaced by keyed pseudonyms at ingest, and population data is \
                not loaded without one. Pass --pseudonym-key-file FILE or set \(environmentVariable) \
                (at least \(minimumKeyBytes) bytes, kept outside the warehouse and the same for every load)
                """)
        }
        return try Pseudonymiser(key: Data(text.utf8))
    }

    /// The pseudonym of `id`: the first 16 bytes of HMAC-SHA256(key, id), as 32 lower-case hex digits.
    public func pseudonym(_ id: String) -> String {
        var context = inner, id = id
        var digest = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        return withUnsafeMutableBytes(of: &digest) { digest in
            let out = digest.baseAddress!.assumingMemoryBound(to: UInt8.self)
            id.withUTF8 { _ = CCryptoBoringSSL_SHA256_Update(&context, $0.baseAddress, $0.count) }
            CCryptoBoringSSL_SHA256_Final(out, &context)
            context = outer
            CCryptoBoringSSL_SHA256_Update(&context, out, 32)
            CCryptoBoringSSL_SHA256_Final(out, &context)
            return Self.hex(digest.prefix(16))
        }
    }

    /// Identifies the key without revealing it: HMAC-SHA256(key, "chiso key fingerprint"), first 8 bytes.
    public var fingerprint: String {
        Self.hex(HMAC<SHA256>.authenticationCode(for: Data("chiso key fingerprint".utf8), using: key).prefix(8))
    }

    private static let digits = Array("0123456789abcdef".utf8)
    private static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `text` with every digit of an ID number however written replaced by `#`, so rejected lines of personal
    /// data can be kept and shown. An ID is a chain of 9 or more digits - an old 9-digit or a 12-digit number,
    /// whole or mistyped - of any script (ASCII, full-width, Arabic-Indic, …), its groups joined by up to three
    /// characters that are neither letters nor digits: spaces of any kind, dashes, dots, slashes, and the
    /// delimiters and quotes of fields it was spread over (`001 085 104 729`, `001-085-104729`,
    /// `"001085","104729"`). A letter ends a chain. Digits of other fields next to an ID in the chain are masked
    /// with it: the line's column and the message still say what was wrong.
    public static func mask(_ text: String) -> String {
        var characters = Array(text)
        var chain: [Int] = []
        var gap = 0
        func close() {
            if chain.count >= 9 { for index in chain { characters[index] = "#" } }
            chain.removeAll(keepingCapacity: true)
            gap = 0
        }
        for (index, character) in characters.enumerated() {
            if isDigit(character) {
                chain.append(index)
                gap = 0
            } else if character.isLetter || character.isNewline {
                close()
            } else {
                gap += 1
                if gap > 3 { close() }
            }
        }
        close()
        return String(characters)
    }

    /// A decimal digit of any script: `7`, `７`, `٧`, `۷`, `७`.
    static func isDigit(_ character: Character) -> Bool {
        character.unicodeScalars.count == 1 && character.unicodeScalars.first?.properties.numericType == .decimal
    }
}
