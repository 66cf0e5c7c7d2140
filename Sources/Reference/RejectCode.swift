/// Why a row was rejected, or flagged for a look: the one list of the codes the loaders record (in `reject`
/// and `load_warning`), each with its meaning. Reports name each in words (`Labels.reason`).
public enum RejectCode: String, CaseIterable, Sendable {
    // Reading the file.
    /// The bytes are not UTF-8 text.
    case invalidUTF8 = "invalid_utf8"
    /// A quoted field is never closed.
    case unterminatedQuote = "unterminated_quote"
    /// A field holds a control character (NUL, ESC, DEL, ...): not text.
    case controlCharacter = "control_character"
    /// A field is longer than the reader's limit (64 KiB).
    case fieldTooLong = "field_too_long"
    /// The row has another number of fields than the header.
    case columnCount = "column_count"
    /// Warning: the file ends without a line break, so its last row may have been cut.
    case noFinalLineBreak = "no_final_line_break"
    /// The file's last row, without a line break, has fewer decimals than the rest of its column: cut short.
    case cutShort = "cut_short"

    // Any field.
    /// A required value is empty.
    case missing
    /// A number does not read as one.
    case notANumber = "not_a_number"
    /// A value is outside what it can be (a share over 100, a negative count, an area of 0).
    case outOfRange = "out_of_range"
    /// A date is not a day (YYYY-MM-DD or DD/MM/YYYY).
    case badDate = "bad_date"
    /// A date is after the extract's day, or after today.
    case futureDate = "future_date"
    /// A code is not one of those allowed (sex, status, land use, industry).
    case badCode = "bad_code"
    /// A yes/no field is neither.
    case badFlag = "bad_flag"
    /// A field has the wrong length (a parcel id over 40 characters).
    case badLength = "bad_length"
    /// Fields of the row contradict each other (registered before born, e-invoices since before registration).
    case inconsistent

    // Indicator files.
    /// The indicator is not in the catalogue.
    case unknownIndicator = "unknown_indicator"
    /// The period is not a year, quarter or month as written.
    case badPeriod = "bad_period"
    /// The period begins after the day the file is loaded on.
    case futurePeriod = "future_period"
    /// No unit has this code or name.
    case unknownUnit = "unknown_unit"
    /// The name matches several units: give the code.
    case ambiguousUnit = "ambiguous_unit"
    /// The unit was not in force at the end of the period (an old code after 1 July 2025, a new one before).
    case unitNotInForce = "unit_not_in_force"
    /// The unit was split: its value cannot be carried to one unit.
    case unitSplit = "unit_split"
    /// The unit is of a level the file may not hold (a commune in a table of provinces).
    case wrongLevel = "wrong_level"
    /// The row's `units_version` is not one of the administrative versions, or not the file's.
    case badVersion = "bad_version"
    /// A share has a numerator without a denominator, or the reverse.
    case incompleteRatio = "incomplete_ratio"
    /// The row names no source where one is required.
    case missingSource = "missing_source"
    /// An SDMX row's ACTION is not A, M, R, I or D.
    case badAction = "bad_action"
    /// An SDMX row's UNIT_MULT is not a power of ten.
    case badUnitMultiplier = "bad_unit_mult"
    /// A row of chiso's forecast export: a forecast is not an observation.
    case forecastNotObservation = "forecast_not_observation"
    /// Warning: the value is far from the rest of its series (loaded, to check).
    case outlier

    // Registries.
    /// The key (citizen ID, parcel ID, tax code) is given twice in the file: the first row is kept.
    case duplicateKey = "duplicate_key"
    /// The key is in the warehouse with another value of a field that never changes (birth date, sex,
    /// registration date).
    case conflictsWithWarehouse = "conflicts_with_warehouse"
    /// An identifier fails its own rule: a citizen ID whose first digits are no province, a tax code whose check
    /// digit or branch number is wrong.
    case badCheck = "bad_check"
    /// A citizen ID's digits do not match the row (its province, century and sex, its birth year).
    case idMismatch = "id_mismatch"

    // Local plans and task status.
    /// A local target's comparator is not >=, <= or ==.
    case badComparator = "bad_comparator"
    /// A local target's deadline is not a year.
    case badDeadline = "bad_deadline"
    /// A task id is not one of the decision's appendix.
    case unknownTask = "unknown_task"
    /// A task status is not one of the statuses.
    case badStatus = "bad_status"
}
