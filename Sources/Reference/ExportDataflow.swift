/// The SDMX dataflows of chiso's exports (`chiso report`; documented in `Datasets/schemas/README.md`).
public enum ExportDataflow {
    /// Observations: read back by `chiso ingest --sdmx`.
    public static let observations = "CHISO:DG942_OBS(1.0)"
    /// Forecasts: refused by `chiso ingest`, since a forecast is not an observation.
    public static let forecasts = "CHISO:DG942_FORECAST(1.0)"
}
