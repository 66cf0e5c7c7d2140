import Foundation
import Ingest
import Reference
import Warehouse

/// The repository's `Datasets/` folder.
let datasetsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Datasets").path

/// A warehouse in memory with the bundled reference units and ministries, loaded once for all tests.
let referenceWarehouse: Result<(Warehouse, UnitDirectory, Catalogue), Error> = Result {
    let warehouse = try Warehouse(path: ":memory:")
    let reference = try ReferenceDataset(directory: datasetsFolder + "/reference")
    let catalogue = try Catalogue(directory: datasetsFolder + "/catalog")
    let ministries = catalogue.ministryUnits
    try warehouse.storeUnits(reference.units + ministries.units, crosswalk: reference.crosswalk + ministries.crosswalk, aliases: reference.aliases)
    return (warehouse, try warehouse.unitDirectory(), catalogue)
}
