/// The three core registries of the decision's section IV.4.b, as the warehouse stores them.
public enum Registry: String, CaseIterable, Sendable {
    case population, land, business

    /// The warehouse table and its columns (the key first), without `load_id` and `line`.
    public var table: (name: String, columns: [String]) {
        switch self {
        case .population:
            return ("person", ["pseudonym", "birth_date", "sex", "unit_id", "identity_level", "identity_registered_on", "status"])
        case .land:
            return ("parcel", ["parcel_id", "unit_id", "area_m2", "land_use", "certificate_issued", "record_digitised"])
        case .business:
            return ("enterprise", ["tax_code", "name", "unit_id", "vsic_section", "vsic_division", "registered_on", "status",
                                   "e_invoice", "e_invoice_since"])
        }
    }

    /// Table columns that never change for a record: a different value under the same key is an error, not
    /// an update (a person's birth date and sex, an enterprise's registration date).
    public var immutableColumns: [String] {
        switch self {
        case .population: return ["birth_date", "sex"]
        case .land: return []
        case .business: return ["registered_on"]
        }
    }

    /// How the key column is named in messages.
    public var keyName: String {
        switch self {
        case .population: return "citizen ID"
        case .land: return "parcel ID"
        case .business: return "tax code"
        }
    }
}
