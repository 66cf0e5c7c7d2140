import Foundation
import Yams

/// A problem in a YAML file the program reads (the nightly's settings, a scenario, the catalogue): where it
/// is, by line and column, and which setting.
public struct YAMLFileError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int?
    public let column: Int?
    /// The setting's dotted path (`simulation.draws`, `interventions[0].from`), when there is one.
    public let setting: String?
    public let message: String

    public var description: String {
        var place = file
        if let line { place += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        if let setting, !setting.isEmpty { place += " [\(setting)]" }
        return "\(place): \(message)"
    }
}

/// Reads YAML strictly: a syntax error, a setting the type does not know (with the nearest it does), a
/// setting given twice, a value of the wrong kind or a missing required setting is an error naming the line
/// and column. A typo never passes silently as a default.
///
/// The settings a type knows are the keys its `init(from:)` asks for, so every `Decodable` type is checked
/// without a second list of its keys.
public enum YAMLFile {
    /// Reads and decodes the file at `path`. `annotations` are keys allowed in any group though nothing reads
    /// them (the catalogue's `note` and `source`, written for people).
    public static func decode<T: Decodable>(_ type: T.Type, path: String, annotations: Set<String> = []) throws -> T {
        try decodeLocated(type, path: path, annotations: annotations).value
    }

    /// `decode`, with the line of each setting read by its path ("interventions[0].units"), for later messages.
    public static func decodeLocated<T: Decodable>(_ type: T.Type, path: String,
                                                   annotations: Set<String> = []) throws -> (value: T, lines: [String: Int]) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw YAMLFileError(file: path, line: nil, column: nil, setting: nil, message: "no such file")
        }
        guard !isFolder.boolValue else {
            throw YAMLFileError(file: path, line: nil, column: nil, setting: nil, message: "is a folder: name a YAML file")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw YAMLFileError(file: path, line: nil, column: nil, setting: nil,
                                message: "cannot read the file as UTF-8 text")
        }
        return try decodeLocated(type, text: text, file: path, annotations: annotations)
    }

    /// Decodes `text`; `file` names it in errors.
    public static func decode<T: Decodable>(_ type: T.Type, text: String, file: String,
                                            annotations: Set<String> = []) throws -> T {
        try decodeLocated(type, text: text, file: file, annotations: annotations).value
    }

    static func decodeLocated<T: Decodable>(_ type: T.Type, text: String, file: String,
                                            annotations: Set<String>) throws -> (value: T, lines: [String: Int]) {
        let root: Node
        do {
            root = try Yams.compose(yaml: text) ?? Node.mapping(Node.Mapping([]))
        } catch let YamlError.scanner(context, problem, mark, _), let YamlError.parser(context, problem, mark, _) {
            let detail = problem + (context.map { " (\($0.text), from line \($0.mark.line))" } ?? "")
            throw YAMLFileError(file: file, line: mark.line, column: mark.column, setting: nil,
                                message: "not valid YAML: \(detail)")
        } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
            throw YAMLFileError(file: file, line: context.mark.line, column: context.mark.column, setting: duplicates.first,
                                message: "setting '\(duplicates.joined(separator: "', '"))' is given more than once in one group")
        } catch {
            throw YAMLFileError(file: file, line: nil, column: nil, setting: nil, message: "not valid YAML: \(error)")
        }
        let reading = Reading(file: file, annotations: annotations)
        let value: T
        do {
            value = try T(from: NodeDecoder(node: root, codingPath: [], reading: reading))
        } catch let error as YAMLFileError {
            throw error
        } catch let DecodingError.keyNotFound(key, context) {
            throw reading.typo(in: root, at: context.codingPath, like: key.stringValue)
                ?? reading.error(at: context.codingPath, setting: context.codingPath + [key],
                                 "required setting '\(key.stringValue)' is missing")
        } catch let DecodingError.dataCorrupted(context) {
            throw reading.typo(in: root, at: context.codingPath, like: nil)
                ?? reading.error(at: context.codingPath, setting: context.codingPath, context.debugDescription)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw reading.error(at: context.codingPath, setting: context.codingPath, context.debugDescription)
        }
        try reading.checkUnknown(root, path: [])
        return (value, reading.marks.mapValues(\.line))
    }
}

/// What one decoding saw: the keys asked for in each mapping, and where each node is.
private final class Reading {
    let file: String
    let annotations: Set<String>
    var asked: [String: Set<String>] = [:]
    var marks: [String: Mark] = [:]

    init(file: String, annotations: Set<String>) {
        self.file = file
        self.annotations = annotations
    }

    func error(at path: [CodingKey], setting: [CodingKey], _ message: String) -> YAMLFileError {
        let mark = (0...path.count).reversed().lazy.compactMap { self.marks[dotted(Array(path.prefix($0)))] }.first
        return YAMLFileError(file: file, line: mark?.line, column: mark?.column, setting: dotted(setting), message: message)
    }

    /// When decoding stopped at `path` (a setting missing, a value refused), a key of the group there that was
    /// never asked for and is within two edits of one that was (of `missing`, when given) is the likelier
    /// cause: "unknown setting 'add_per_yaer'" rather than "give exactly one change". Keys further from any
    /// asked one are left alone, since decoding may have stopped before asking for them.
    func typo(in root: Node, at path: [CodingKey], like missing: String?) -> YAMLFileError? {
        for depth in (0...path.count).reversed() {
            let prefix = Array(path.prefix(depth))
            guard case .mapping(let mapping)? = node(at: prefix, in: root), let known = asked[dotted(prefix)] else { continue }
            for key in mapping.keys {
                let name = key.scalar?.string ?? ""
                guard !known.contains(name), !annotations.contains(name) else { continue }
                let candidates = missing.map { [$0] } ?? Array(known)
                if let near = candidates.min(by: { Reading.distance(name, $0) < Reading.distance(name, $1) }),
                   Reading.distance(name, near) <= 2 {
                    return YAMLFileError(file: file, line: key.mark?.line, column: key.mark?.column,
                                         setting: dotted(prefix + [PathKey(name)]),
                                         message: "unknown setting '\(name)'; did you mean '\(near)'?")
                }
            }
            return nil
        }
        return nil
    }

    func node(at path: [CodingKey], in root: Node) -> Node? {
        path.reduce(Optional(root)) { node, key in
            switch node {
            case .mapping(let mapping)?: return mapping[key.stringValue]
            case .sequence(let sequence)?: return key.intValue.flatMap { $0 < sequence.count ? Array(sequence)[$0] : nil }
            default: return nil
            }
        }
    }

    /// Refuses the keys of every mapping the decoding read that it never asked for.
    func checkUnknown(_ node: Node, path: [CodingKey]) throws {
        switch node {
        case .mapping(let mapping):
            guard let known = asked[dotted(path)] else { return }
            for (key, value) in mapping {
                let name = key.scalar?.string ?? ""
                if annotations.contains(name) { continue }
                guard known.contains(name) else {
                    let nearest = known.min { (Reading.distance(name, $0), $0) < (Reading.distance(name, $1), $1) }
                    let hint = nearest.map { "; did you mean '\($0)'?" } ?? ""
                    throw YAMLFileError(file: file, line: key.mark?.line, column: key.mark?.column,
                                        setting: dotted(path + [PathKey(name)]),
                                        message: "unknown setting '\(name)'\(hint) (known here: \(known.sorted().joined(separator: ", ")))")
                }
                try checkUnknown(value, path: path + [PathKey(name)])
            }
        case .sequence(let sequence):
            for (index, item) in sequence.enumerated() { try checkUnknown(item, path: path + [PathKey(index)]) }
        case .scalar, .alias:
            return
        }
    }

    static func distance(_ a: String, _ b: String) -> Int { NameNormaliser.distance(a.lowercased(), b.lowercased()) }
}

/// `interventions[0].from`: the path people read in messages.
private func dotted(_ path: [CodingKey]) -> String {
    path.reduce(into: "") { text, key in
        if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
    }
}

private struct PathKey: CodingKey {
    let stringValue: String
    let intValue: Int?
    init(_ name: String) { stringValue = name; intValue = nil }
    init(_ index: Int) { stringValue = String(index); intValue = index }
    init?(stringValue: String) { self.init(stringValue) }
    init?(intValue: Int) { self.init(intValue) }
}

/// What a node holds, in words, for "expected a number, found a list".
private func kind(_ node: Node) -> String {
    switch node {
    case .mapping: return "a group of settings"
    case .sequence: return "a list"
    case .scalar(let scalar): return "'\(scalar.string)'"
    case .alias: return "an alias"
    }
}

private struct NodeDecoder: Decoder {
    let node: Node
    let codingPath: [CodingKey]
    let reading: Reading
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(node: Node, codingPath: [CodingKey], reading: Reading) {
        self.node = node
        self.codingPath = codingPath
        self.reading = reading
        if let mark = node.mark { reading.marks[dotted(codingPath)] = mark }
    }

    func mismatch(_ expected: String) -> YAMLFileError {
        YAMLFileError(file: reading.file, line: node.mark?.line, column: node.mark?.column, setting: dotted(codingPath),
                      message: "expected \(expected), found \(kind(node))")
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .mapping(let mapping) = node else { throw mismatch("a group of settings (name: value lines)") }
        reading.asked[dotted(codingPath), default: []].formUnion([])
        return KeyedDecodingContainer(KeyedNodes<Key>(mapping: mapping, decoder: self))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard case .sequence(let sequence) = node else { throw mismatch("a list") }
        return UnkeyedNodes(items: Array(sequence), decoder: self)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { ScalarNode(decoder: self) }

    func child(_ node: Node, _ key: CodingKey) -> NodeDecoder {
        NodeDecoder(node: node, codingPath: codingPath + [key], reading: reading)
    }

    var isNull: Bool {
        guard case .scalar(let scalar) = node else { return false }
        return NSNull.construct(from: scalar) != nil
    }

    func scalar<T>(_ expected: String, _ construct: (Node.Scalar) -> T?) throws -> T {
        guard case .scalar(let scalar) = node, let value = construct(scalar) else { throw mismatch(expected) }
        return value
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        try scalar("a whole number") { Int64.construct(from: $0).flatMap { T(exactly: $0) } }
    }
}

private struct KeyedNodes<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let mapping: Node.Mapping
    let decoder: NodeDecoder
    var codingPath: [CodingKey] { decoder.codingPath }

    var allKeys: [Key] {
        mapping.keys.compactMap { $0.scalar.map(\.string) }.compactMap { name in
            let key = Key(stringValue: name)
            if key != nil { ask(name) }
            return key
        }
    }

    func ask(_ name: String) { decoder.reading.asked[dotted(codingPath), default: []].insert(name) }

    func contains(_ key: Key) -> Bool {
        ask(key.stringValue)
        return mapping[key.stringValue] != nil
    }

    func value(_ key: Key) throws -> NodeDecoder {
        ask(key.stringValue)
        guard let node = mapping[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
        }
        return decoder.child(node, key)
    }

    func decodeNil(forKey key: Key) throws -> Bool { try value(key).isNull }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let child = try value(key)
        if child.isNull {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: child.codingPath,
                                                            debugDescription: "a value is needed here"))
        }
        return try T(from: child)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey> { try value(key).container(keyedBy: type) }
    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer { try value(key).unkeyedContainer() }
    func superDecoder() throws -> Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> Decoder { try value(key) }
}

private struct UnkeyedNodes: UnkeyedDecodingContainer {
    let items: [Node]
    let decoder: NodeDecoder
    var codingPath: [CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }
    var currentIndex = 0

    init(items: [Node], decoder: NodeDecoder) {
        self.items = items
        self.decoder = decoder
    }

    mutating func next() throws -> NodeDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Node.self, .init(codingPath: codingPath, debugDescription: "the list is shorter"))
        }
        defer { currentIndex += 1 }
        return decoder.child(items[currentIndex], PathKey(currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, decoder.child(items[currentIndex], PathKey(currentIndex)).isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: next()) }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey> { try next().container(keyedBy: type) }
    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> Decoder { try next() }
}

private struct ScalarNode: SingleValueDecodingContainer {
    let decoder: NodeDecoder
    var codingPath: [CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.isNull }
    func decode(_ type: Bool.Type) throws -> Bool { try decoder.scalar("true or false", Bool.construct) }
    func decode(_ type: String.Type) throws -> String { try decoder.scalar("text", String.construct) }
    func decode(_ type: Double.Type) throws -> Double { try decoder.scalar("a number", Double.construct) }
    func decode(_ type: Float.Type) throws -> Float { try decoder.scalar("a number", Float.construct) }
    func decode(_ type: Int.Type) throws -> Int { try decoder.integer(Int.self) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decoder.integer(Int8.self) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decoder.integer(Int16.self) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decoder.integer(Int32.self) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decoder.integer(Int64.self) }
    func decode(_ type: UInt.Type) throws -> UInt { try decoder.integer(UInt.self) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.integer(UInt8.self) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.integer(UInt16.self) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.integer(UInt32.self) }
    func decode(_ type: UInt64.Type) throws -> UInt64 {
        try decoder.scalar("a whole number that is not negative", UInt64.construct)
    }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: decoder) }
}
