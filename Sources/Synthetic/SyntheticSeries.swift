import Analytics
import Foundation
import Ingest
import Reference
import Reports

/// Synthetic indicator series for every target of the catalogue, as a tidy CSV (indicator, unit, period, value,
/// numerator, denominator, source), every row's source saying "synthetic".
///
/// - National series 2019-2025 for every indicator (a third of them stop in 2024, as late reporting does).
///   Shares rise from a random start towards 100% at a random pace; lower-is-better shares fall.
/// - For targets that ministries and provinces must each reach, each of the 63 provinces of 2019-2024 gets a
///   numerator (e.g. records handled online) and a denominator proportional to its 2024 population; the
///   national value of those indicators is the ratio of the sums, so the file is consistent when aggregated.
/// - Ranks: Viet Nam's real UN E-Government rank (`EGDI_RANK`) and e-participation rank (`EPI_RANK`, ranked
///   from the survey's EPI values) for the survey years 2014-2024, from `Datasets/reference/egov`, with the
///   source named; other ranks are synthetic.
/// Indicators in `skipping` (those derived from synthetic registries) are left out.
public func syntheticIndicatorCSV(catalogue: Catalogue, reference: String, seed: UInt64,
                                  skipping: Set<String> = []) throws -> String {
    var random = SplitMix64(seed: seed)
    var writer = CSVWriter(header: ["indicator", "unit", "period", "value", "numerator", "denominator", "source"])
    let source = "synthetic sample (chiso generate --seed \(seed))"
    let population = try CSVTable(path: reference + "/population/province_stats_2024_63.csv")
    let provinces = try population.rows.map { row in (try population.value(row, "code"),
                                                       Double(try population.value(row, "population")) ?? 0) }
    let survey = try surveyRanks(path: reference + "/egov/egov_survey_2003_2024.csv")
    let indicators = Dictionary(uniqueKeysWithValues: catalogue.indicators.map { ($0.code, $0) })
    let byProvince = Set(catalogue.targets.filter { $0.level != "national" }.map(\.indicator))
    var done: Set<String> = []
    for target in catalogue.targets where done.insert(target.indicator).inserted {
        guard let indicator = indicators[target.indicator], !skipping.contains(indicator.code) else { continue }
        // A level's breakdown of another indicator (WORK_RECORD_ONLINE_SHARE_DISTRICT) draws from a stream of its
        // own: adding one to the catalogue leaves every other series of a seed as it was.
        let breakdown = ["_DISTRICT", "_COMMUNE"].contains { indicator.code.hasSuffix($0) && indicators[String(indicator.code.dropLast($0.count))] != nil }
        if breakdown {
            var own = SplitMix64(seed: seed &+ UInt64(indicator.code.hashValueStable))
            series(indicator, &own)
        } else {
            series(indicator, &random)
        }
    }
    func series(_ indicator: Indicator, _ random: inout SplitMix64) {
        let lastYear = random.uniform(0, 1) < 1.0 / 3 ? 2024 : 2025
        if let ranks = survey[indicator.code] {
            for (year, rank) in ranks.sorted(by: { $0.key < $1.key }) where year >= 2014 {
                writer.append([indicator.code, "VN", String(year), String(rank), "", "",
                               "UN DESA E-Government Survey \(year) (real)"])
            }
            return
        }
        if indicator.unit == "rank" {
            var rank = random.uniform(4, 9)
            for year in 2019...lastYear {
                rank = max(1, rank - random.uniform(-0.5, 1.2))
                writer.append([indicator.code, "VN", String(year), String(Int(rank.rounded())), "", "", source])
            }
            return
        }
        let falling = indicator.direction == .lower
        let start = random.uniform(15, 70)
        let pace = random.uniform(0.05, 0.6)
        func share(_ year: Int, offset: Double) -> Double {
            let progress = 100 - (100 - start - offset) * exp(-pace * Double(year - 2019))
            let value = min(100, max(0, progress + 1.5 * random.boxMullerNormal()))
            return falling ? 100 - value : value
        }
        if byProvince.contains(indicator.code) {
            for year in 2019...2024 {
                var numerators = 0.0, denominators = 0.0
                for (code, people) in provinces {
                    let denominator = (people / 100).rounded()
                    let numerator = (denominator * share(year, offset: Double(code.hashValueStable % 21) - 10) / 100).rounded()
                    numerators += numerator
                    denominators += denominator
                    writer.append([indicator.code, code, String(year), DisplayNumber.format(100 * numerator / denominator, decimals: 4),
                                   String(Int(numerator)), String(Int(denominator)), source])
                }
                writer.append([indicator.code, "VN", String(year),
                               DisplayNumber.format(100 * numerators / denominators, decimals: 4),
                               String(Int(numerators)), String(Int(denominators)), source])
            }
        } else {
            for year in 2019...lastYear {
                writer.append([indicator.code, "VN", String(year), DisplayNumber.format(share(year, offset: 0)),
                               "", "", source])
            }
        }
    }
    return writer.text
}

extension String {
    /// A hash that does not change between runs (Swift's `hashValue` is seeded per process).
    var hashValueStable: Int { unicodeScalars.reduce(0) { ($0 &* 31 &+ Int($1.value)) & 0x7fff_ffff } }
}

/// Viet Nam's rank per survey year: `EGDI_RANK` as published, `EPI_RANK` by ranking the EPI values of the
/// countries assessed that year (ties share the better rank).
func surveyRanks(path: String) throws -> [String: [Int: Int]] {
    let table = try CSVTable(path: path)
    var egdi: [Int: Int] = [:]
    var epi: [Int: [(String, Double)]] = [:]
    for row in table.rows where row.fields["assessed"] == "true" {
        guard let year = Int(try table.value(row, "year")) else { continue }
        let country = try table.value(row, "iso3")
        if country == "VNM", let rank = row.fields["egov_rank"].flatMap(Int.init) { egdi[year] = rank }
        if let value = row.fields["epi"].flatMap(Double.init), value > 0 { epi[year, default: []].append((country, value)) }
    }
    var epiRank: [Int: Int] = [:]
    for (year, values) in epi {
        guard let own = values.first(where: { $0.0 == "VNM" })?.1 else { continue }
        epiRank[year] = values.filter { $0.1 > own }.count + 1
    }
    return ["EGDI_RANK": egdi, "EPI_RANK": epiRank]
}
