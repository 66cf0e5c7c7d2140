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
}
