import Foundation

/// An .xlsx workbook read straight from its zip container, with zlib and a byte-level XML scanner, so that
/// analysts can hand over the statistics office's spreadsheets without converting them to CSV first.
///
/// Only cell values are read: the text a cell shows for strings, booleans and errors, and numbers exactly as
/// Excel stored them. The one number format applied is the percentage: Excel stores 45.8% as 0.458, but the
/// person who typed it means 45.8, so such cells come out as the percentage shown ("45.8"). Other formats
/// are ignored (dates stay serial numbers), as are merged cells, comments and formula expressions; a formula
/// cell gives its cached result.
public struct XLSXWorkbook {
    /// The sheet names in workbook order.
    public let sheetNames: [String]

    private let archive: ZipArchive
    /// Parallel to `sheetNames`. A sheet whose relationship is broken only fails when it is asked for, so the
    /// other sheets of a slightly damaged workbook stay readable.
    private let sheetParts: [Result<String, XLSXError>]
    private let sharedStrings: [String]
    /// The `cellXfs` indices (a cell's `s` attribute) whose number format is a percentage.
    private let percentStyles: Set<Int>

    /// Opens and indexes the workbook at `path` (reads the zip's central directory, xl/workbook.xml,
    /// xl/_rels/workbook.xml.rels, and xl/sharedStrings.xml and xl/styles.xml when present). Throws
    /// `XLSXError`; never because of the styles part, which at worst leaves number formats unknown.
    public init(path: String) throws {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw XLSXError.cannotOpen(path: path)
        }
        let archive = try ZipArchive(bytes: bytes)
        let workbookPart = try Self.workbookPart(in: archive)
        guard let workbookXML = try archive.contents(of: workbookPart) else {
            throw XLSXError.missingPart(workbookPart)
        }
        let sheets = try PartParser.sheets(xml: workbookXML, part: workbookPart)
        guard !sheets.isEmpty else {
            throw XLSXError.malformedXML(part: workbookPart, detail: "it lists no sheets")
        }
        let relationshipsPart = PartPath.relationships(of: workbookPart)
        guard let relationshipsXML = try archive.contents(of: relationshipsPart) else {
            throw XLSXError.missingPart(relationshipsPart)
        }
        let relationships = try PartParser.relationships(xml: relationshipsXML, part: relationshipsPart)
        var targets: [String: String] = [:]
        for relationship in relationships where targets[relationship.id] == nil {
            targets[relationship.id] = PartPath.resolve(relationship.target, from: workbookPart)
        }
        sheetParts = sheets.map { sheet in
            guard let target = targets[sheet.relationshipID] else {
                let detail = "no relationship \"\(sheet.relationshipID)\" for sheet \"\(sheet.name)\""
                return .failure(.malformedXML(part: relationshipsPart, detail: detail))
            }
            return .success(target)
        }
        // Workbooks written by other tools sometimes omit the relationship but keep the conventional part.
        let sharedStringsPart = relationships.first { $0.type.hasSuffix("/sharedStrings") }
            .map { PartPath.resolve($0.target, from: workbookPart) } ?? "xl/sharedStrings.xml"
        if let xml = try archive.contents(of: sharedStringsPart) {
            sharedStrings = try PartParser.sharedStrings(xml: xml, part: sharedStringsPart)
        } else {
            sharedStrings = []
        }
        let stylesPart = relationships.first { $0.type.hasSuffix("/styles") }
            .map { PartPath.resolve($0.target, from: workbookPart) } ?? "xl/styles.xml"
        // Formats only refine how some numbers read, so a styles part that is missing, damaged or not
        // scannable leaves every format unknown (numbers as stored) rather than making the workbook unreadable.
        if let xml = try? archive.contents(of: stylesPart),
           let styles = try? PartParser.percentStyles(xml: xml, part: stylesPart) {
            percentStyles = styles
        } else {
            percentStyles = []
        }
        sheetNames = sheets.map(\.name)
        self.archive = archive
    }

    /// The rows of one sheet: `sheet` is a sheet name (exact, then case-insensitive) or a 1-based index
    /// written as digits ("2"); nil means the first sheet. Each row carries its 1-based spreadsheet row
    /// number (the `r` attribute) and its cells as text, with empty strings for absent cells so that
    /// column B is always cells[1]; trailing empty cells trimmed. Rows with no cells are omitted.
    /// Numeric cells with a percentage format come out as the percentage Excel shows (0.458 as "45.8");
    /// see `rowsAndPercentCount(sheet:)`.
    public func rows(sheet: String?) throws -> [XLSXRow] {
        try rowsAndPercentCount(sheet: sheet).rows
    }

    /// The rows of one sheet as `rows(sheet:)` gives them, and how many of its cells were converted from a
    /// stored fraction to the percentage shown (0.458 with the format `0.0%` to "45.8"), so that a summary
    /// can tell the user that values were scaled by 100 and a wrong reading is caught early.
    ///
    /// Only numeric cells (no `t` attribute, or `t="n"`) are converted, when their style's number format is
    /// the built-in 9 (`0%`) or 10 (`0.00%`) or a custom format with a `%` outside quoted text and escapes.
    /// The decimal point is shifted in the stored text, so no digit is gained or lost to binary rounding.
    public func rowsAndPercentCount(sheet: String?) throws -> (rows: [XLSXRow], percentCells: Int) {
        let index = try sheetIndex(sheet)
        let part = try sheetParts[index].get()
        guard let xml = try archive.contents(of: part) else { throw XLSXError.missingPart(part) }
        return try PartParser.rows(xml: xml, part: part, sharedStrings: sharedStrings,
                                   percentStyles: percentStyles)
    }

    private func sheetIndex(_ sheet: String?) throws -> Int {
        guard let sheet else { return 0 }
        // Swift's == compares canonical equivalents, so a name typed in NFD still finds an NFC sheet name.
        if let index = sheetNames.firstIndex(of: sheet) { return index }
        let folded = sheet.lowercased()
        if let index = sheetNames.firstIndex(where: { $0.lowercased() == folded }) { return index }
        if !sheet.isEmpty, sheet.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let number = Int(sheet),
           number >= 1, number <= sheetNames.count {
            return number - 1
        }
        throw XLSXError.unknownSheet(sheet, available: sheetNames)
    }

    /// The main part is named by the package relationships; xl/workbook.xml is only the usual name.
    private static func workbookPart(in archive: ZipArchive) throws -> String {
        var part = "xl/workbook.xml"
        if let xml = try archive.contents(of: "_rels/.rels"),
           let main = try PartParser.relationships(xml: xml, part: "_rels/.rels")
               .first(where: { $0.type.hasSuffix("/officeDocument") }) {
            part = PartPath.resolve(main.target, from: "")
        }
        if archive.contains(part) { return part }
        if archive.contains("xl/workbook.bin") {
            throw XLSXError.unsupportedFormat("an Excel binary .xlsb workbook")
        }
        if archive.contains("content.xml") {
            throw XLSXError.unsupportedFormat("an OpenDocument .ods spreadsheet")
        }
        throw XLSXError.missingPart(part)
    }
}

/// One row of a sheet.
public struct XLSXRow: Equatable, Sendable {
    /// The 1-based row number the spreadsheet shows, kept so that messages can point at the row a user sees.
    public let number: Int
    /// The cells as text from column A; absent cells are empty strings so that every column keeps its index.
    public let cells: [String]

    /// Makes a row, mainly so that tests can write down the rows they expect.
    public init(number: Int, cells: [String]) {
        self.number = number
        self.cells = cells
    }
}

/// Why a workbook could not be read; the message says what to do.
public enum XLSXError: Error, Equatable, CustomStringConvertible {
    /// The file does not exist or cannot be read.
    case cannotOpen(path: String)
    /// The file has no bytes at all.
    case emptyFile
    /// The file is not a zip container; `looksLikeText` when it is plain text such as a renamed CSV.
    case notAZip(looksLikeText: Bool)
    /// Another spreadsheet format, named as the message shows it (e.g. "an Excel 97-2003 .xls workbook").
    case unsupportedFormat(String)
    /// The workbook is password-protected, or a part is encrypted inside the zip.
    case encrypted
    /// A part uses a zip compression method other than stored (0) or deflate (8).
    case unsupportedCompression(part: String, method: Int)
    /// The zip uses ZIP64 records, which only archives over 4 GiB or 65,535 entries need.
    case zip64Unsupported
    /// The zip container is truncated or corrupt; the detail says where.
    case damagedZip(String)
    /// A part the workbook needs is absent from the zip.
    case missingPart(String)
    /// A part's XML cannot be scanned or refers to something that does not exist.
    case malformedXML(part: String, detail: String)
    /// No sheet has the requested name or number.
    case unknownSheet(String, available: [String])

    /// A sentence for the person who supplied the file.
    public var description: String {
        switch self {
        case .cannotOpen(let path):
            return "cannot read \(path): check that the file exists and is readable"
        case .emptyFile:
            return "the file is empty (0 bytes): download or export the workbook again"
        case .notAZip(true):
            return "the file is plain text, not an .xlsx workbook (perhaps a CSV renamed .xlsx): "
                + "read it as CSV, or open it in Excel and save it as .xlsx"
        case .notAZip(false):
            return "the file is not an .xlsx workbook (it is not a zip container): "
                + "open it in Excel and save it as .xlsx or CSV UTF-8"
        case .unsupportedFormat(let format):
            return "the file is \(format): save it as .xlsx or CSV UTF-8"
        case .encrypted:
            return "the workbook is password-protected or encrypted: remove the password in Excel "
                + "(File > Info > Protect Workbook) and save it again as .xlsx or CSV UTF-8"
        case .unsupportedCompression(let part, let method):
            return "the workbook's part \(part) uses zip compression method \(method), but only stored and "
                + "deflate are supported: open the workbook in Excel and save it again as .xlsx"
        case .zip64Unsupported:
            return "the workbook uses the ZIP64 format (over 4 GiB or 65,535 parts), which is not supported: "
                + "save the sheet as CSV UTF-8"
        case .damagedZip(let detail):
            return "the .xlsx file is damaged (\(detail)): download or save it again"
        case .missingPart(let part):
            return "the workbook has no \(part) part, so it is not a complete .xlsx workbook: "
                + "open it in Excel and save it as .xlsx"
        case .malformedXML(let part, let detail):
            return "the workbook's \(part) cannot be read (\(detail)): "
                + "open it in Excel and save it again as .xlsx"
        case .unknownSheet(let name, let available):
            let names = available.map { "\"\($0)\"" }.joined(separator: ", ")
            return "the workbook has no sheet \"\(name)\": give one of \(names) or a sheet number "
                + "from 1 to \(available.count)"
        }
    }
}
