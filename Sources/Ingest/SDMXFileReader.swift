import Foundation
import Reference
import Warehouse

/// Reads SDMX-CSV, version 1.0 (first column `DATAFLOW`) or 2.x (`STRUCTURE`, `STRUCTURE_ID`, `ACTION`).
///
/// Columns are found by header name, whatever their order; a header may carry its label after a colon
/// (`REF_AREA: Reference area`). The indicator is the `INDICATOR` column (else `SERIES`, else `MEASURE`),
/// `REF_AREA` the unit, `TIME_PERIOD` the period and `OBS_VALUE` the value; `NaN` and `#N/A` are
/// intentionally missing. `ACTION` per row: `A` append, `M` merge, `R` replace and `I` information all
/// store the value (one observation is the whole of what a row can replace); `D` deletes the observation,
/// keeping it as a revision. Any other action is rejected.
struct SDMXFileReader: IndicatorFileReader {
    let format = "sdmx-csv"
    let counting = "rows"

    func read(_ path: String, reject: (RejectedRow) -> Void) throws -> ReadRecords {
        let reader = try TabularFile.open(path)
        guard case .success(let headerRecord)? = reader.next() else {
            throw InputError(file: path, line: 1, message: "no header row")
        }
        let header = headerRecord.fields.map { field in
            (field.split(separator: ":", maxSplits: 1).first.map(String.init) ?? field)
                .trimmingCharacters(in: .whitespaces).uppercased()
        }
        guard header.first == "DATAFLOW" || header.contains("STRUCTURE_ID") else {
            throw InputError(file: path, line: 1, message: "not SDMX-CSV: the first column must be DATAFLOW (1.0) "
                                + "or the header must have STRUCTURE and STRUCTURE_ID (2.x)")
        }
        guard let indicatorColumn = ["INDICATOR", "SERIES", "MEASURE"].lazy.compactMap(header.firstIndex(of:)).first else {
            throw InputError(file: path, line: 1, column: "INDICATOR", message: "no INDICATOR, SERIES or MEASURE column")
        }
        var columns: [String: Int] = [:]
        for name in ["REF_AREA", "TIME_PERIOD", "OBS_VALUE"] {
            guard let index = header.firstIndex(of: name) else {
                throw InputError(file: path, line: 1, column: name, message: "required column \(name) is missing")
            }
            columns[name] = index
        }
        let actionColumn = header.firstIndex(of: "ACTION")
        let actions = ["A": "append", "M": "merge", "R": "replace", "I": "information", "D": "delete"]
        var records: [IndicatorRecord] = []
        reader.forEachRecord(header: header, reject: reject) { record in
            func field(_ index: Int?) -> String {
                index.map { record.fields[$0].trimmingCharacters(in: .whitespaces) } ?? ""
            }
            if let structure = header.firstIndex(of: "STRUCTURE_ID"), field(structure) == ExportDataflow.forecasts {
                reject(RejectedRow(line: record.line, column: "STRUCTURE_ID", errorCode: RejectCode.forecastNotObservation,
                                   message: "a forecast (\(ExportDataflow.forecasts)) is not an observation: load "
                                       + "observations.sdmx.csv instead", raw: record.raw))
                return
            }
            let actionCode = actionColumn.map { field($0).uppercased() } ?? ""
            guard let action = actionCode.isEmpty ? "append" : actions[actionCode] else {
                reject(RejectedRow(line: record.line, column: "ACTION", errorCode: RejectCode.badAction,
                                   message: "ACTION '\(actionCode)' is not A, M, R, I or D", raw: record.raw))
                return
            }
            // UNIT_MULT is the power of ten the value is in: 3 for thousands.
            var scale = 1.0
            if let column = header.firstIndex(of: "UNIT_MULT"), !field(column).isEmpty {
                guard let power = Int(field(column)), (-9...12).contains(power) else {
                    reject(RejectedRow(line: record.line, column: "UNIT_MULT", errorCode: RejectCode.badUnitMultiplier,
                                       message: "UNIT_MULT '\(field(column))' is not a power of ten from -9 to 12",
                                       raw: record.raw))
                    return
                }
                scale = pow(10, Double(power))
            }
            records.append(IndicatorRecord(line: record.line, raw: record.raw, fields: [
                "indicator": field(indicatorColumn), "unit": field(columns["REF_AREA"]),
                "period": field(columns["TIME_PERIOD"]), "value": field(columns["OBS_VALUE"]),
                "source": "SDMX " + (field(header.firstIndex(of: "STRUCTURE_ID")) + field(header.firstIndex(of: "DATAFLOW"))),
                "action": action,
            ], scale: scale))
        }
        // SDMX-CSV writes decimals with a point whatever its separator.
        return ReadRecords(records: records, delimiter: reader.delimiter, encoding: reader.encoding,
                           unterminatedLine: reader.unterminatedLastLine, decimal: .point)
    }
}
