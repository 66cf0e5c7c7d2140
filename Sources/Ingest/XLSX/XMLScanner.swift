import Foundation

struct XMLScanner {
    enum Kind { case open, close, empty }

    struct Tag {
        var kind: Kind
        /// The local name, after any `prefix:`.
        var name: Range<Int>
        var attributes: Range<Int>
    }

    let bytes: [UInt8]
    let part: String
    private(set) var position = 0

    init(bytes: [UInt8], part: String) {
        self.bytes = bytes
        self.part = part
    }

    func malformed(_ detail: String) -> XLSXError {
        .malformedXML(part: part, detail: detail)
    }

    /// The next element tag, skipping text, comments, processing instructions, DOCTYPE and CDATA.
    mutating func next() throws -> Tag? {
        while let open = find(0x3C, from: position) {
            position = open
            if try skipMarkup() { continue }
            return try tag()
        }
        position = bytes.count
        return nil
    }

    func name(_ range: Range<Int>, is literal: StaticString) -> Bool {
        literal.withUTF8Buffer { expected in
            guard expected.count == range.count else { return false }
            var index = range.lowerBound
            for byte in expected {
                if bytes[index] != byte { return false }
                index += 1
            }
            return true
        }
    }

    /// Calls `visit` with each attribute's local name and raw value range.
    func attributes(of tag: Tag, _ visit: (Range<Int>, Range<Int>) -> Void) {
        var index = tag.attributes.lowerBound
        let end = tag.attributes.upperBound
        while index < end {
            while index < end, Self.isSpace(bytes[index]) { index += 1 }
            var localStart = index
            while index < end, bytes[index] != 0x3D, !Self.isSpace(bytes[index]) {
                if bytes[index] == 0x3A { localStart = index + 1 }
                index += 1
            }
            let name = localStart..<index
            while index < end, Self.isSpace(bytes[index]) { index += 1 }
            guard index < end, bytes[index] == 0x3D else { return }
            index += 1
            while index < end, Self.isSpace(bytes[index]) { index += 1 }
            guard index < end, bytes[index] == 0x22 || bytes[index] == 0x27 else { return }
            let quote = bytes[index]
            index += 1
            let valueStart = index
            while index < end, bytes[index] != quote { index += 1 }
            guard index < end else { return }
            if !name.isEmpty { visit(name, valueStart..<index) }
            index += 1
        }
    }

    /// An attribute value as an NFC string, entities decoded.
    func attributeString(_ range: Range<Int>) -> String {
        var out: [UInt8] = []
        appendDecoded(range, to: &out)
        let string = String(decoding: out, as: UTF8.self)
        return out.contains(where: { $0 >= 0x80 }) ? string.precomposedStringWithCanonicalMapping : string
    }

    /// The text up to the close tag `closing`, entities decoded and CDATA kept verbatim; nested tags dropped.
    mutating func text(closing: StaticString, into out: inout [UInt8]) throws {
        while true {
            guard let open = find(0x3C, from: position) else {
                throw malformed("a <\(closing)> is not closed")
            }
            appendDecoded(position..<open, to: &out)
            position = open
            if has("<![CDATA[", at: open) {
                let end = try index(of: "]]>", from: open + 9)
                out.append(contentsOf: bytes[(open + 9)..<end])
                position = end + 3
                continue
            }
            if try skipMarkup() { continue }
            let tag = try tag()
            if tag.kind == .close, name(tag.name, is: closing) { return }
        }
    }

    /// The text of a `<v>` element. Numbers and string indices are plain ASCII, so they skip the decoding
    /// buffer: this is the path almost every cell takes.
    mutating func value() throws -> String {
        let start = position
        if let open = find(0x3C, from: start), open + 1 < bytes.count, bytes[open + 1] == 0x2F {
            var plain = true
            for index in start..<open {
                let byte = bytes[index]
                if byte >= 0x80 || byte == 0x26 || byte == 0x0D || byte == 0x5F {
                    plain = false
                    break
                }
            }
            if plain {
                position = open
                let tag = try tag()
                if tag.kind == .close, name(tag.name, is: "v") {
                    return String(decoding: bytes[start..<open], as: UTF8.self)
                }
                position = start
            }
        }
        var out: [UInt8] = []
        try text(closing: "v", into: &out)
        return XMLText.string(out)
    }

    /// The string of an `<si>` or `<is>`: every `<t>` concatenated, rich-text runs included, phonetic
    /// (`<rPh>`) readings left out because they are not part of the cell's text.
    mutating func stringItem(closing: StaticString) throws -> String {
        var out: [UInt8] = []
        var phonetic = 0
        while let tag = try next() {
            if tag.kind == .close, name(tag.name, is: closing) { return XMLText.string(out) }
            if name(tag.name, is: "rPh") {
                if tag.kind == .open { phonetic += 1 }
                if tag.kind == .close { phonetic = max(0, phonetic - 1) }
            } else if tag.kind == .open, name(tag.name, is: "t") {
                if phonetic > 0 {
                    var discarded: [UInt8] = []
                    try text(closing: "t", into: &discarded)
                } else {
                    try text(closing: "t", into: &out)
                }
            }
        }
        throw malformed("a <\(closing)> is not closed")
    }

    /// Skips a comment, processing instruction, DOCTYPE or CDATA section at `position`; false at an element.
    private mutating func skipMarkup() throws -> Bool {
        guard position + 1 < bytes.count else { throw malformed("the text ends inside a tag") }
        switch bytes[position + 1] {
        case 0x3F:
            position = try index(of: "?>", from: position + 2) + 2
        case 0x21:
            if has("<!--", at: position) {
                position = try index(of: "-->", from: position + 4) + 3
            } else if has("<![CDATA[", at: position) {
                position = try index(of: "]]>", from: position + 9) + 3
            } else {
                position = try index(of: ">", from: position + 2) + 1
            }
        default:
            return false
        }
        return true
    }

    /// Reads the element tag starting at the `<` at `position`.
    private mutating func tag() throws -> Tag {
        var index = position + 1
        var kind = Kind.open
        if index < bytes.count, bytes[index] == 0x2F {
            kind = .close
            index += 1
        }
        let nameStart = index
        var localStart = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x3E || byte == 0x2F || Self.isSpace(byte) { break }
            if byte == 0x3A { localStart = index + 1 }
            index += 1
        }
        guard index > nameStart, localStart < index else {
            throw malformed("a tag has no name at byte \(position)")
        }
        let name = localStart..<index
        let attributesStart = index
        var quote: UInt8 = 0
        while index < bytes.count {
            let byte = bytes[index]
            if quote != 0 {
                if byte == quote { quote = 0 }
            } else if byte == 0x3E {
                break
            } else if byte == 0x22 || byte == 0x27 {
                quote = byte
            }
            index += 1
        }
        guard index < bytes.count else { throw malformed("the text ends inside a tag") }
        var attributesEnd = index
        if kind == .open, attributesEnd > attributesStart, bytes[attributesEnd - 1] == 0x2F {
            kind = .empty
            attributesEnd -= 1
        }
        position = index + 1
        return Tag(kind: kind, name: name, attributes: attributesStart..<attributesEnd)
    }

    /// Appends text with the five predefined entities and character references decoded and line ends
    /// normalised to LF, as an XML parser would; an unknown entity stays as written.
    private func appendDecoded(_ range: Range<Int>, to out: inout [UInt8]) {
        var index = range.lowerBound
        let end = range.upperBound
        while index < end {
            let byte = bytes[index]
            if byte == 0x26, let (scalar, next) = entity(at: index, end: end) {
                XMLText.append(scalar, to: &out)
                index = next
            } else if byte == 0x0D {
                out.append(0x0A)
                index += index + 1 < end && bytes[index + 1] == 0x0A ? 2 : 1
            } else {
                out.append(byte)
                index += 1
            }
        }
    }

    private func entity(at start: Int, end: Int) -> (Unicode.Scalar, Int)? {
        var semicolon = start + 1
        let limit = min(end, start + 12)
        while semicolon < limit, bytes[semicolon] != 0x3B { semicolon += 1 }
        guard semicolon < limit, semicolon > start + 1 else { return nil }
        let body = (start + 1)..<semicolon
        let value: UInt32
        if name(body, is: "amp") {
            value = 0x26
        } else if name(body, is: "lt") {
            value = 0x3C
        } else if name(body, is: "gt") {
            value = 0x3E
        } else if name(body, is: "quot") {
            value = 0x22
        } else if name(body, is: "apos") {
            value = 0x27
        } else if bytes[start + 1] == 0x23 {
            let hex = start + 2 < semicolon && (bytes[start + 2] == 0x78 || bytes[start + 2] == 0x58)
            let digits = (start + (hex ? 3 : 2))..<semicolon
            guard !digits.isEmpty else { return nil }
            var number: UInt32 = 0
            for index in digits {
                let digit: UInt32
                if hex {
                    guard let hexValue = XMLText.hexDigit(bytes[index]) else { return nil }
                    digit = hexValue
                } else {
                    guard bytes[index] >= 0x30, bytes[index] <= 0x39 else { return nil }
                    digit = UInt32(bytes[index] - 0x30)
                }
                number = number * (hex ? 16 : 10) + digit
                if number > 0x10FFFF { return nil }
            }
            value = number
        } else {
            return nil
        }
        guard let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, semicolon + 1)
    }

    private func has(_ literal: StaticString, at start: Int) -> Bool {
        literal.withUTF8Buffer { expected in
            guard start + expected.count <= bytes.count else { return false }
            return bytes[start..<(start + expected.count)].elementsEqual(expected)
        }
    }

    private func index(of literal: StaticString, from start: Int) throws -> Int {
        var candidate = start
        let first = literal.withUTF8Buffer { $0.first ?? 0 }
        while let found = find(first, from: candidate) {
            if has(literal, at: found) { return found }
            candidate = found + 1
        }
        throw malformed("the text ends before \"\(literal)\"")
    }

    private func find(_ byte: UInt8, from start: Int) -> Int? {
        guard start >= 0, start < bytes.count else { return nil }
        return bytes.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress,
                  let hit = memchr(base + start, Int32(byte), buffer.count - start) else { return nil }
            return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }
}
