/// The simulated distribution of one unit's value for one target of one scenario, beside the baseline's.
public struct SimulationRow: Equatable, Sendable {
    public let scenario: String
    public let targetID: String
    public let unitID: Int
    /// The year judged: the target's deadline (for a survey rank, the first survey at or after it).
    public let year: Int
    public let draws: Int
    /// Aggregated from the unit's members inside each draw, rather than simulated from its own series.
    public let aggregated: Bool
    public let probability: Double
    public let median: Double
    public let lower80: Double, upper80: Double, lower95: Double, upper95: Double
    /// The same for the scenario without its interventions (same draws).
    public let baselineProbability: Double
    public let baselineMedian: Double

    public init(scenario: String, targetID: String, unitID: Int, year: Int, draws: Int, aggregated: Bool,
                probability: Double, median: Double, lower80: Double, upper80: Double, lower95: Double,
                upper95: Double, baselineProbability: Double, baselineMedian: Double) {
        self.scenario = scenario
        self.targetID = targetID
        self.unitID = unitID
        self.year = year
        self.draws = draws
        self.aggregated = aggregated
        self.probability = probability
        self.median = median
        self.lower80 = lower80
        self.upper80 = upper80
        self.lower95 = lower95
        self.upper95 = upper95
        self.baselineProbability = baselineProbability
        self.baselineMedian = baselineMedian
    }
}

/// The answer to a scenario's inverse question.
public struct GainRow: Equatable, Sendable {
    public let scenario: String
    public let targetID: String
    /// The unit whose probability is lifted.
    public let unitID: Int
    /// The units given the extra gain, as the scenario selects them.
    public let gainUnits: String
    public let fromYear: Int
    /// The probability to reach.
    public let level: Double
    /// The smallest extra yearly gain, in the indicator's units; `nil` when no gain up to the bound reaches it.
    public let gain: Double?
    public let probabilityWithout: Double
    public let probabilityWith: Double?

    public init(scenario: String, targetID: String, unitID: Int, gainUnits: String, fromYear: Int, level: Double,
                gain: Double?, probabilityWithout: Double, probabilityWith: Double?) {
        self.scenario = scenario
        self.targetID = targetID
        self.unitID = unitID
        self.gainUnits = gainUnits
        self.fromYear = fromYear
        self.level = level
        self.gain = gain
        self.probabilityWithout = probabilityWithout
        self.probabilityWith = probabilityWith
    }
}

extension Warehouse {
    /// Stores a simulation's results under run `id`, in one transaction.
    public func storeSimulation(_ rows: [SimulationRow], gains: [GainRow], scenarios: [(name: String, description: String?)],
                                run id: Int) throws {
        try db.transaction {
            let scenario = try db.prepare("""
                INSERT INTO scenario (run_id, name, description) VALUES (?, ?, ?)
                ON CONFLICT (run_id, name) DO UPDATE SET description = excluded.description
                """)
            for item in scenarios { try scenario.execute([id, item.name, item.description]) }
            try db.insert("""
                INSERT INTO simulation (run_id, scenario, target_id, unit_id, year, draws, aggregated, probability,
                                        median, lower80, upper80, lower95, upper95, baseline_probability,
                                        baseline_median)
                """, rows.map { row in
                    [id, row.scenario, row.targetID, row.unitID, row.year, row.draws, row.aggregated ? 1 : 0,
                     row.probability, row.median, row.lower80, row.upper80, row.lower95, row.upper95,
                     row.baselineProbability, row.baselineMedian]
                })
            try db.insert("""
                INSERT INTO simulation_gain (run_id, scenario, target_id, unit_id, gain_units, from_year, level, gain,
                                             probability_without, probability_with)
                """, gains.map { row in
                    [id, row.scenario, row.targetID, row.unitID, row.gainUnits, row.fromYear, row.level, row.gain,
                     row.probabilityWithout, row.probabilityWith]
                })
        }
    }

    /// The description of each scenario run `id` simulated, by name.
    public func scenarioDescriptions(run id: Int) throws -> [String: String] {
        var descriptions: [String: String] = [:]
        for row in try db.rows("SELECT name, description FROM scenario WHERE run_id = ? AND description IS NOT NULL", [id]) {
            descriptions[row["name"].text ?? ""] = row["description"].text
        }
        return descriptions
    }

    /// The results of the latest run that simulated, or of run `id`.
    public func simulation(run id: Int? = nil) throws -> (run: Int, rows: [SimulationRow], gains: [GainRow])? {
        Self.reads["simulations", default: 0] += 1
        guard let run = try id ?? db.scalar("SELECT max(run_id) FROM simulation").int.map(Int.init),
              try id == nil || !db.rows("SELECT 1 FROM simulation WHERE run_id = ? LIMIT 1", [run]).isEmpty else { return nil }
        let rows = try db.rows("""
            SELECT scenario, target_id, unit_id, year, draws, aggregated, probability, median, lower80, upper80,
                   lower95, upper95, baseline_probability, baseline_median
            FROM simulation WHERE run_id = ? ORDER BY rowid
            """, [run]).map { row in
            SimulationRow(scenario: row["scenario"].text ?? "", targetID: row["target_id"].text ?? "",
                          unitID: Int(row["unit_id"].int ?? 0), year: Int(row["year"].int ?? 0),
                          draws: Int(row["draws"].int ?? 0), aggregated: row["aggregated"].int == 1,
                          probability: row["probability"].double ?? .nan, median: row["median"].double ?? .nan,
                          lower80: row["lower80"].double ?? .nan, upper80: row["upper80"].double ?? .nan,
                          lower95: row["lower95"].double ?? .nan, upper95: row["upper95"].double ?? .nan,
                          baselineProbability: row["baseline_probability"].double ?? .nan,
                          baselineMedian: row["baseline_median"].double ?? .nan)
        }
        let gains = try db.rows("""
            SELECT scenario, target_id, unit_id, gain_units, from_year, level, gain, probability_without,
                   probability_with
            FROM simulation_gain WHERE run_id = ? ORDER BY rowid
            """, [run]).map { row in
            GainRow(scenario: row["scenario"].text ?? "", targetID: row["target_id"].text ?? "",
                    unitID: Int(row["unit_id"].int ?? 0), gainUnits: row["gain_units"].text ?? "",
                    fromYear: Int(row["from_year"].int ?? 0), level: row["level"].double ?? .nan,
                    gain: row["gain"].double, probabilityWithout: row["probability_without"].double ?? .nan,
                    probabilityWith: row["probability_with"].double)
        }
        return (run, rows, gains)
    }
}
