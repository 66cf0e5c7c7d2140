import Foundation
import Ingest
import Reference
import Warehouse

/// What `chiso init` put in the warehouse.
public struct InitSummary: Codable, Equatable, Sendable {
    /// Units per "version/level", e.g. "pre2025/province": 63.
    public var units: [String: Int]
    public var crosswalkLinks: Int
    public var unmatchedWardLinks: Int
    public var indicators: Int
    public var targets: Int
    public var tasks: Int
}

/// Loads the reference units, the ministries and the Decision 942 catalogue into the warehouse. Running it
/// again leaves the warehouse as it was: units are upserted on their versioned code and the catalogue
/// tables are replaced.
public func initialise(_ warehouse: Warehouse, datasets: String) throws -> InitSummary {
    try DatasetsFolder.check(datasets)
    let reference = try ReferenceDataset(directory: datasets + "/reference")
    let catalogue = try Catalogue(directory: datasets + "/catalog")
    let ministries = catalogue.ministryUnits
    try warehouse.transaction {
        try warehouse.storeUnits(reference.units + ministries.units,
                                 crosswalk: reference.crosswalk + ministries.crosswalk, aliases: reference.aliases)
        try warehouse.storeCatalogue(catalogue)
    }
    return InitSummary(units: try warehouse.unitCounts(), crosswalkLinks: try warehouse.crosswalkLinkCount(),
                       unmatchedWardLinks: reference.unmatchedWardLinks, indicators: catalogue.indicators.count,
                       targets: catalogue.targets.count, tasks: catalogue.tasks.count)
}
