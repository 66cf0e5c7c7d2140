/// The indicators `derive` computes from the registries (each linked in the catalogue to what it measures):
/// counts of people, parcels and enterprises and shares of them, which disclosure control keeps from showing a
/// group of fewer than `smallestGroup` (`DisclosureControl` in the outputs, the row-level security of a
/// PostgreSQL warehouse for another province's roles).
public enum RegistryIndicators {
    public static let derived: Set<String> = [
        "POPULATION", "DIGITAL_ID_L2_SHARE", "EINVOICE_SHARE", "LAND_DIGITISED_SHARE", "LAND_CERTIFIED_SHARE",
        "NEW_ENTERPRISES",
    ]
    public static let smallestGroup = 10.0

    /// What each derived figure counts: a count's value (`numerator`), or a share's numerator and denominator.
    /// Figures of one unit and period naming the same count show one number: a population is the denominator
    /// of the share of it with a level-2 identity, and the parcels are the denominator of both land shares.
    public static let counted: [String: (numerator: String, denominator: String?)] = [
        "POPULATION": ("residents", nil),
        "DIGITAL_ID_L2_SHARE": ("residents with a level-2 identity", "residents"),
        "EINVOICE_SHARE": ("active enterprises on e-invoices", "active enterprises"),
        "LAND_DIGITISED_SHARE": ("digitised parcels", "parcels"),
        "LAND_CERTIFIED_SHARE": ("certified parcels", "parcels"),
        "NEW_ENTERPRISES": ("enterprises registered", nil),
    ]
}
