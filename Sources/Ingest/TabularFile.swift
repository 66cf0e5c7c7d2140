import Foundation

/// Opens the files analysts have as one kind of record reader: delimited text (UTF-8 with or without a
/// byte-order mark, UTF-16) and `.xlsx` workbooks, whose sheet is read as rows numbered as in the sheet.
/// Everything else is refused with what it is and what to save it as.
public enum TabularFile {
    /// A reader of `path`; `sheet` names a workbook's sheet (a name or a 1-based number; default the first).
    /// - Throws: `InputError` naming the file: not found, a directory, unreadable, an `.xls`, ODS or
    ///   damaged workbook, an unknown sheet, a sheet given for a text file.
    public static func open(_ path: String, sheet: String? = nil) throws -> CSVReader {
        let handle = try openInputFile(path)
        let magic = [UInt8]((try? handle.read(upToCount: 8)) ?? Data())
        try? handle.close()
        if magic.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            return try workbook(path, sheet: sheet)
        }
        if magic.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw InputError(file: path, message: "an Excel 97-2003 .xls workbook: open it and save it as .xlsx or "
                                + "CSV UTF-8")
        }
        if let sheet {
            throw InputError(file: path, message: "--sheet \(sheet) was given, but this is a text file, not a workbook")
        }
        do {
            return try CSVReader(path: path)
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError(file: path, message: "cannot be read: \(error.localizedDescription)")
        }
    }

    /// A sheet as RFC 4180 text, one line per sheet row (empty lines for absent rows), so that record lines
    /// are sheet row numbers. A line break inside a cell becomes a space. `encoding` says it is a sheet.
    private static func workbook(_ path: String, sheet: String?) throws -> CSVReader {
        let rows: [XLSXRow], percentCells: Int
        do {
            (rows, percentCells) = try XLSXWorkbook(path: path).rowsAndPercentCount(sheet: sheet)
        } catch let error as XLSXError {
            throw InputError(file: path, message: "\(error)")
        }
        var bytes: [UInt8] = []
        var line = 1
        for row in rows {
            while line < row.number {
                bytes.append(0x0A)
                line += 1
            }
            bytes += row.cells.map(csvField).joined(separator: ",").utf8
            bytes.append(0x0A)
            line += 1
        }
        // Excel shows 0.458 formatted as a percentage as 45.8%, and that is the figure its user means.
        return CSVReader(bytes: bytes, delimiter: UInt8(ascii: ","), encoding: percentCells == 0 ? "xlsx"
                            : "xlsx, \(percentCells) cells formatted as percentages read as shown (0.458 as 45.8)")
    }

    private static func csvField(_ cell: String) -> String {
        let flat = cell.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "\r", with: " ")
        guard flat.contains(where: { $0 == "," || $0 == "\"" }) else { return flat }
        return "\"" + flat.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
