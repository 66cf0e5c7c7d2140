import Foundation

enum PartParser {
    struct Sheet {
        let name: String
        let relationshipID: String
    }

    struct Relationship {
        let id: String
        let type: String
        let target: String
    }

    /// Excel's limit, XFD; a larger column would only come from a corrupt file and would make huge rows.
    static let maximumColumn = 16_384
    /// Excel's last row; callers may lay rows out by number, so a corrupt huge number must not get through.
    static let maximumRow = 1_048_576

    static func sheets(xml: [UInt8], part: String) throws -> [Sheet] {
        var scanner = XMLScanner(bytes: xml, part: part)
        var sheets: [Sheet] = []
        while let tag = try scanner.next() {
            guard tag.kind != .close, scanner.name(tag.name, is: "sheet") else { continue }
            var name: Range<Int>?, id: Range<Int>?
            scanner.attributes(of: tag) { attribute, value in
                if scanner.name(attribute, is: "name") { name = value }
                if scanner.name(attribute, is: "id") { id = value }
            }
            guard let name else { throw scanner.malformed("sheet \(sheets.count + 1) has no name") }
            let relationshipID = id.map { scanner.attributeString($0) } ?? ""
            sheets.append(Sheet(name: scanner.attributeString(name), relationshipID: relationshipID))
        }
        return sheets
    }

    /// Internal relationships only: external ones point at other files or URLs, never at a part.
    static func relationships(xml: [UInt8], part: String) throws -> [Relationship] {
        var scanner = XMLScanner(bytes: xml, part: part)
        var relationships: [Relationship] = []
        while let tag = try scanner.next() {
            guard tag.kind != .close, scanner.name(tag.name, is: "Relationship") else { continue }
            var id: Range<Int>?, type: Range<Int>?, target: Range<Int>?, external = false
            scanner.attributes(of: tag) { attribute, value in
                if scanner.name(attribute, is: "Id") { id = value }
                if scanner.name(attribute, is: "Type") { type = value }
                if scanner.name(attribute, is: "Target") { target = value }
                if scanner.name(attribute, is: "TargetMode") {
                    external = scanner.name(value, is: "External")
                }
            }
            guard !external, let id, let target else { continue }
            relationships.append(Relationship(id: scanner.attributeString(id),
                                              type: type.map { scanner.attributeString($0) } ?? "",
                                              target: scanner.attributeString(target)))
        }
        return relationships
    }

    static func sharedStrings(xml: [UInt8], part: String) throws -> [String] {
        var scanner = XMLScanner(bytes: xml, part: part)
        var strings: [String] = []
        while let tag = try scanner.next() {
            guard scanner.name(tag.name, is: "si") else { continue }
            if tag.kind == .empty { strings.append("") }
            if tag.kind == .open { strings.append(try scanner.stringItem(closing: "si")) }
        }
        return strings
    }

    static func rows(xml: [UInt8], part: String, sharedStrings: [String],
                     percentStyles: Set<Int>) throws -> (rows: [XLSXRow], percentCells: Int) {
        var scanner = XMLScanner(bytes: xml, part: part)
        var rows: [XLSXRow] = []
        var cells: [String] = []
        var percentCells = 0
        var inSheetData = false, inRow = false
        var rowNumber = 0, nextColumn = 0

        func finishRow() {
            while let last = cells.last, last.isEmpty { cells.removeLast() }
            if !cells.isEmpty { rows.append(XLSXRow(number: rowNumber, cells: cells)) }
            cells = []
            inRow = false
        }

        while let tag = try scanner.next() {
            if scanner.name(tag.name, is: "c") {
                guard inRow, tag.kind != .close else { continue }
                var reference: Range<Int>?, type: Range<Int>?, style: Range<Int>?
                scanner.attributes(of: tag) { attribute, value in
                    if scanner.name(attribute, is: "r") {
                        reference = value
                    } else if scanner.name(attribute, is: "t") {
                        type = value
                    } else if scanner.name(attribute, is: "s") {
                        style = value
                    }
                }
                let column = try reference.flatMap { try self.column(of: $0, in: scanner) } ?? nextColumn
                guard column < maximumColumn else {
                    throw scanner.malformed("row \(rowNumber) goes beyond column XFD")
                }
                nextColumn = column + 1
                guard tag.kind == .open else { continue }
                var value = try cellValue(&scanner, type: type, reference: reference,
                                          sharedStrings: sharedStrings)
                guard !value.isEmpty else { continue }
                // Checked only when the workbook has percentage styles, so ordinary sheets keep the fast path.
                if !percentStyles.isEmpty, let style, type.map({ scanner.name($0, is: "n") }) ?? true,
                   let index = Self.integer(style, in: scanner), percentStyles.contains(index),
                   let percent = XLSXNumberFormat.percentText(value) {
                    value = percent
                    percentCells += 1
                }
                if column < cells.count {
                    cells[column] = value
                } else {
                    cells.append(contentsOf: repeatElement("", count: column - cells.count))
                    cells.append(value)
                }
            } else if scanner.name(tag.name, is: "row") {
                guard inSheetData else { continue }
                if inRow { finishRow() }
                guard tag.kind != .close else { continue }
                var number: Int?
                scanner.attributes(of: tag) { attribute, value in
                    if scanner.name(attribute, is: "r") { number = Self.integer(value, in: scanner) }
                }
                rowNumber = number ?? rowNumber + 1
                guard rowNumber <= maximumRow else {
                    throw scanner.malformed("row \(rowNumber) is beyond Excel's last row, \(maximumRow)")
                }
                nextColumn = 0
                inRow = tag.kind == .open
            } else if scanner.name(tag.name, is: "sheetData") {
                if inRow { finishRow() }
                inSheetData = tag.kind == .open
            }
        }
        if inRow || inSheetData { throw scanner.malformed("the sheet ends inside row \(rowNumber)") }
        return (rows, percentCells)
    }

    /// The `cellXfs` indices whose number format is a percentage. A cell's `s` attribute counts only the
    /// `xf` elements of `cellXfs` (those of `cellStyleXfs` are named styles), and only the `numFmt`
    /// elements of `numFmts` define format ids (those inside `dxfs` belong to conditional formats).
    static func percentStyles(xml: [UInt8], part: String) throws -> Set<Int> {
        var scanner = XMLScanner(bytes: xml, part: part)
        var customIsPercent: [Int: Bool] = [:]
        var formatIDs: [Int] = []
        var inNumFmts = false, inCellXfs = false
        while let tag = try scanner.next() {
            if scanner.name(tag.name, is: "numFmts") {
                inNumFmts = tag.kind == .open
            } else if scanner.name(tag.name, is: "cellXfs") {
                inCellXfs = tag.kind == .open
            } else if inNumFmts, tag.kind != .close, scanner.name(tag.name, is: "numFmt") {
                var id: Int?, code: Range<Int>?
                scanner.attributes(of: tag) { attribute, value in
                    if scanner.name(attribute, is: "numFmtId") { id = Self.integer(value, in: scanner) }
                    if scanner.name(attribute, is: "formatCode") { code = value }
                }
                if let id, let code, customIsPercent[id] == nil {
                    let formatCode = scanner.attributeString(code)
                    customIsPercent[id] = XLSXNumberFormat.isPercent(formatCode: formatCode)
                }
            } else if inCellXfs, tag.kind != .close, scanner.name(tag.name, is: "xf") {
                // An absent or unreadable numFmtId is General, as Excel reads it.
                var id = 0
                scanner.attributes(of: tag) { attribute, value in
                    if scanner.name(attribute, is: "numFmtId") { id = Self.integer(value, in: scanner) ?? 0 }
                }
                formatIDs.append(id)
            }
        }
        var styles = Set<Int>()
        for (index, id) in formatIDs.enumerated()
        where customIsPercent[id] ?? XLSXNumberFormat.builtInPercentIDs.contains(id) {
            styles.insert(index)
        }
        return styles
    }

    /// The cell's text from its children, according to its `t` attribute.
    private static func cellValue(_ scanner: inout XMLScanner, type: Range<Int>?, reference: Range<Int>?,
                                  sharedStrings: [String]) throws -> String {
        var value: String?, inline: String?
        while true {
            guard let child = try scanner.next() else {
                throw scanner.malformed("the sheet ends inside a cell")
            }
            if child.kind == .close {
                if scanner.name(child.name, is: "c") { break }
                continue
            }
            guard child.kind == .open else { continue }
            if scanner.name(child.name, is: "v") {
                value = try scanner.value()
            } else if scanner.name(child.name, is: "is") {
                inline = try scanner.stringItem(closing: "is")
            }
        }
        guard let type else { return value ?? "" }
        if scanner.name(type, is: "s") {
            guard let value else { return "" }
            guard let index = Int(value), index >= 0, index < sharedStrings.count else {
                let cell = reference.map { "cell " + scanner.attributeString($0) } ?? "a cell"
                let detail = "\(cell) refers to shared string \(value), "
                    + "but the workbook has \(sharedStrings.count)"
                throw scanner.malformed(detail)
            }
            return sharedStrings[index]
        }
        if scanner.name(type, is: "inlineStr") { return inline ?? value ?? "" }
        if scanner.name(type, is: "b") {
            if value == "1" { return "TRUE" }
            if value == "0" { return "FALSE" }
        }
        return value ?? ""
    }

    /// The 0-based column of a reference such as "B3"; nil when it has no letters.
    private static func column(of reference: Range<Int>, in scanner: XMLScanner) throws -> Int? {
        var column = 0
        for index in reference {
            let byte = scanner.bytes[index] & 0xDF
            guard byte >= 0x41, byte <= 0x5A, scanner.bytes[index] >= 0x41 else { break }
            column = column * 26 + Int(byte - 0x40)
            if column > maximumColumn {
                throw scanner.malformed("cell \(scanner.attributeString(reference)) is beyond column XFD")
            }
        }
        return column > 0 ? column - 1 : nil
    }

    private static func integer(_ range: Range<Int>, in scanner: XMLScanner) -> Int? {
        guard !range.isEmpty, range.count <= 9 else { return nil }
        var number = 0
        for index in range {
            let byte = scanner.bytes[index]
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            number = number * 10 + Int(byte - 0x30)
        }
        return number
    }
}
