import Foundation

/// A stored forecast of one series to one year.
public struct ForecastRow: Equatable, Sendable {
    public let indicator: String
    public let unitID: Int
    public let year: Int
    public let model: String
    public let value: Double
    public let lower80: Double?, upper80: Double?, lower95: Double?, upper95: Double?
    public let slope: Double
    public let pointCount: Int
    /// Mean absolute error of the model in the backtest.
    public let mae: Double?
    /// The forecast's centre and standard error on the model's scale, and the t distribution's degrees of freedom.
    public let center: Double?
    public let sigma: Double?
    public let df: Int?

    public init(indicator: String, unitID: Int, year: Int, model: String, value: Double, lower80: Double?,
                upper80: Double?, lower95: Double?, upper95: Double?, slope: Double, pointCount: Int,
                mae: Double? = nil, center: Double? = nil, sigma: Double? = nil, df: Int? = nil) {
        self.indicator = indicator
        self.unitID = unitID
        self.year = year
        self.model = model
        self.value = value
        self.lower80 = lower80
        self.upper80 = upper80
        self.lower95 = lower95
        self.upper95 = upper95
        self.slope = slope
        self.pointCount = pointCount
        self.mae = mae
        self.center = center
        self.sigma = sigma
        self.df = df
    }
}

/// A stored assessment of one target in one unit by one method.
public struct AssessmentRow: Equatable, Sendable {
    public let targetID: String
    public let unitID: Int
    public let method: String
    public let baseYear: Int?, baseValue: Double?
    public let latestYear: Int?, latestValue: Double?
    public let progress: Double?
    public let score: Double?
    public let status: String
    /// "observed" when the value in the assessed year was observed, "forecast" when it was forecast.
    public let basis: String?
    /// The year judged: the deadline, or for survey ranks the first survey at or after it.
    public let assessedYear: Int?
    public let valueAtDeadline: Double?
    public let probability: Double?
    public let requiredPace: Double?
    public let requiredRate: Double?
    public let observedPace: Double?

    public init(targetID: String, unitID: Int, method: String, baseYear: Int?, baseValue: Double?, latestYear: Int?,
                latestValue: Double?, progress: Double?, score: Double?, status: String, basis: String? = nil,
                assessedYear: Int? = nil, valueAtDeadline: Double? = nil, probability: Double? = nil,
                requiredPace: Double? = nil, requiredRate: Double? = nil, observedPace: Double? = nil) {
        self.targetID = targetID
        self.unitID = unitID
        self.method = method
        self.baseYear = baseYear
        self.baseValue = baseValue
        self.latestYear = latestYear
        self.latestValue = latestValue
        self.progress = progress
        self.score = score
        self.status = status
        self.basis = basis
        self.assessedYear = assessedYear
        self.valueAtDeadline = valueAtDeadline
        self.probability = probability
        self.requiredPace = requiredPace
        self.requiredRate = requiredRate
        self.observedPace = observedPace
    }
}

/// What became of a run, or of one step of a nightly run.
public enum RunStatus: String, Codable, Sendable {
    /// Started and not finished: a run found so by the next writer was stopped (`interrupted`).
    case running
    /// Done, nothing to look at.
    case succeeded
    /// Done, with something to look at (rejected rows, stale sources, no file matched).
    case warnings
    /// A step threw, or (for a run) a step failed or was skipped.
    case failed
    /// A step not run: a step it needs failed or was skipped, or a signal asked the run to stop.
    case skipped
    /// Stopped without finishing (killed): marked so by the next writer holding the lock.
    case interrupted

    /// Whether the work was done (succeeded or with warnings).
    public var isDone: Bool { self == .succeeded || self == .warnings }

    /// The status as stored; one this program does not know reads as failed.
    init(stored: String?) { self = stored.flatMap(RunStatus.init(rawValue:)) ?? .failed }
}

extension Warehouse {
    /// Opens a run record and returns its id.
    public func startRun(command: String) throws -> Int {
        Int(try db.scalar("INSERT INTO run (command, status, started_at) VALUES (?, 'running', ?) RETURNING id",
                          [command, Warehouse.timestamp()]).int ?? 0)
    }

    /// The latest run whose command starts with `command`, with its steps in the order they ran.
    public func lastRun(command: String) throws -> (run: Int, status: RunStatus, steps: [(step: String, status: RunStatus)])? {
        guard let row = try db.rows("SELECT id, status FROM run WHERE command LIKE ? || '%' ORDER BY id DESC LIMIT 1",
                                    [command]).first, let id = row["id"].int else { return nil }
        let steps = try db.rows("SELECT step, status FROM run_step WHERE run_id = ? ORDER BY started_at, rowid", [id])
            .map { (step: $0["step"].text ?? "", status: RunStatus(stored: $0["status"].text)) }
        return (Int(id), RunStatus(stored: row["status"].text), steps)
    }

    /// The latest runs, newest first: id, command, status, start, end, output folder.
    /// `steps` lists each step and its status, in the order they ran.
    public func runs(limit: Int) throws -> [Row] {
        let runs = try db.rows("""
            SELECT id, command, status, started_at, finished_at, output_dir FROM run ORDER BY id DESC LIMIT ?
            """, [limit])
        guard let oldest = runs.last?["id"].int else { return [] }
        var steps: [Int64: [String]] = [:]
        for row in try db.rows("SELECT run_id, step, status FROM run_step WHERE run_id >= ? ORDER BY started_at, rowid",
                               [oldest]) {
            steps[row["run_id"].int ?? 0, default: []].append((row["step"].text ?? "") + " " + (row["status"].text ?? ""))
        }
        return runs.map { run in
            let listed = steps[run["id"].int ?? 0].map { SQLValue.text($0.joined(separator: ", ")) } ?? .null
            return Row(columns: run.columns + ["steps"], values: run.values + [listed])
        }
    }

    /// Closes run `id` with `status` (succeeded, warnings or failed).
    public func finishRun(_ id: Int, status: RunStatus, outputDirectory: String? = nil) throws {
        try db.run("UPDATE run SET status = ?, finished_at = ?, output_dir = coalesce(?, output_dir) WHERE id = ?",
                   [status.rawValue, Warehouse.timestamp(), outputDirectory, id])
    }

    /// Marks every run still marked running as interrupted: called by a writer holding the lock, so they were
    /// stopped without finishing.
    public func markUnfinishedRunsInterrupted() throws {
        try db.run("UPDATE run SET status = 'interrupted', finished_at = ? WHERE status = 'running'", [Warehouse.timestamp()])
    }

    /// The warehouse's stored value of setting `name` (what the nightly last computed from, the pseudonym key's
    /// fingerprint).
    public func setting(_ name: String) throws -> String? {
        try db.scalar("SELECT value FROM setting WHERE name = ?", [name]).text
    }

    /// Stores `value` as setting `name`, replacing any earlier value.
    public func storeSetting(_ name: String, _ value: String) throws {
        try db.run("INSERT INTO setting (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                   [name, value])
    }

    /// Records the settings that run `id` computed with ("base_year": "2020"), beside those already recorded.
    public func record(settings: [String: String], run id: Int) throws {
        let merged = try self.settings(run: id).merging(settings) { _, new in new }
        let json = try JSONSerialization.data(withJSONObject: merged, options: [.sortedKeys])
        try db.run("UPDATE run SET settings = ? WHERE id = ?", [String(decoding: json, as: UTF8.self), id])
    }

    /// The settings run `id` computed with (empty when it recorded none).
    public func settings(run id: Int) throws -> [String: String] {
        guard let text = try db.scalar("SELECT settings FROM run WHERE id = ?", [id]).text,
              let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String] else { return [:] }
        return object
    }

    /// Records that run `id` wrote a report in `directory` showing the assessments of run `assessmentRun` and
    /// the forecasts of run `forecastRun`: the next report compares itself with it.
    public func recordReport(run id: Int, assessmentRun: Int, forecastRun: Int?, simulationRun: Int?,
                             directory: String) throws {
        try db.run("""
            INSERT INTO report (run_id, assessment_run, forecast_run, simulation_run, written_at, directory)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (run_id) DO UPDATE SET assessment_run = excluded.assessment_run,
                forecast_run = excluded.forecast_run, simulation_run = excluded.simulation_run,
                written_at = excluded.written_at, directory = excluded.directory
            """, [id, assessmentRun, forecastRun, simulationRun, Warehouse.timestamp(), directory])
    }

    /// The runs whose results report run `id` showed, if it wrote a report.
    public func reportedRuns(report id: Int) throws -> (assessment: Int, forecast: Int?, simulation: Int?)? {
        guard let row = try db.rows("SELECT assessment_run, forecast_run, simulation_run FROM report WHERE run_id = ?",
                                    [id]).first, let assessment = row["assessment_run"].int else { return nil }
        return (Int(assessment), row["forecast_run"].int.map(Int.init), row["simulation_run"].int.map(Int.init))
    }

    /// The latest report that showed an assessment older than run `assessmentRun`: what a report of that
    /// assessment compares itself with.
    public func previousReport(before assessmentRun: Int) throws -> (run: Int, assessmentRun: Int, forecastRun: Int?, writtenAt: String)? {
        guard let row = try db.rows("""
            SELECT run_id, assessment_run, forecast_run, written_at FROM report WHERE assessment_run < ?
            ORDER BY assessment_run DESC, run_id DESC LIMIT 1
            """, [assessmentRun]).first else { return nil }
        return (Int(row["run_id"].int ?? 0), Int(row["assessment_run"].int ?? 0), row["forecast_run"].int.map(Int.init),
                row["written_at"].text ?? "")
    }

    /// Records one step of run `id`.
    public func recordStep(run id: Int, step: String, status: RunStatus, startedAt: String, duration: Double,
                           detail: String?) throws {
        try db.run("""
            INSERT INTO run_step (run_id, step, status, started_at, duration_s, detail) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (run_id, step) DO UPDATE SET status = excluded.status, started_at = excluded.started_at,
                duration_s = excluded.duration_s, detail = excluded.detail
            """, [id, step, status.rawValue, startedAt, duration, detail])
    }

    /// Stores forecasts under run `id`, in one transaction.
    public func storeForecasts(_ rows: [ForecastRow], run id: Int) throws {
        try db.transaction {
            try db.insert("""
                INSERT INTO forecast (run_id, indicator, unit_id, year, model, value, lower80, upper80, lower95,
                                      upper95, slope, n_points, mae, center, sigma, df)
                """, rows.map { row in
                    [id, row.indicator, row.unitID, row.year, row.model, row.value, row.lower80, row.upper80,
                     row.lower95, row.upper95, row.slope, row.pointCount, row.mae, row.center, row.sigma, row.df]
                })
        }
    }

    /// Copies into run `id` the forecasts of run `previous` for indicators outside `recomputed`.
    public func carryForecasts(from previous: Int, to id: Int, except recomputed: Set<String>) throws {
        let kept = Self.notIn("indicator", recomputed.sorted())
        try db.transaction {
            try db.run("""
                INSERT INTO forecast (run_id, indicator, unit_id, year, model, value, lower80, upper80, lower95,
                                      upper95, slope, n_points, mae, center, sigma, df)
                SELECT ?, indicator, unit_id, year, model, value, lower80, upper80, lower95, upper95, slope, n_points,
                       mae, center, sigma, df
                FROM forecast WHERE run_id = ? AND \(kept.sql)
                """, [id, previous] + kept.values)
        }
    }

    /// The forecasts of the latest run that forecast (nil when none did), or of run `id` (nil when it made none);
    /// with `indicator`, only that indicator's. A run that forecast finds every year it had to forecast observed
    /// has none: the years an earlier run forecast are not shown as the latest forecasts.
    public func forecasts(run id: Int? = nil, indicator: String? = nil) throws -> (run: Int, rows: [ForecastRow])? {
        Self.reads["forecasts", default: 0] += 1
        // A run that forecast records its settings (forecastStep), whether it made forecasts or not.
        guard let run = try id ?? db.scalar("""
            SELECT max(id) FROM run
            WHERE settings LIKE '%"forecast_years"%' OR EXISTS (SELECT 1 FROM forecast WHERE forecast.run_id = run.id)
            """).int.map(Int.init),
              try id == nil || !db.rows("SELECT 1 FROM forecast WHERE run_id = ? LIMIT 1", [run]).isEmpty else { return nil }
        let rows = try db.rows("""
            SELECT indicator, unit_id, year, model, value, lower80, upper80, lower95, upper95, slope, n_points, mae,
                   center, sigma, df
            FROM forecast WHERE run_id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR indicator = ?2) ORDER BY indicator, unit_id, year
            """, [run, indicator]).map { row in
            ForecastRow(indicator: row["indicator"].text ?? "", unitID: Int(row["unit_id"].int ?? 0),
                        year: Int(row["year"].int ?? 0), model: row["model"].text ?? "",
                        value: row["value"].double ?? .nan, lower80: row["lower80"].double,
                        upper80: row["upper80"].double, lower95: row["lower95"].double,
                        upper95: row["upper95"].double, slope: row["slope"].double ?? 0,
                        pointCount: Int(row["n_points"].int ?? 0), mae: row["mae"].double,
                        center: row["center"].double, sigma: row["sigma"].double, df: row["df"].int.map(Int.init))
        }
        return (run, rows)
    }

    /// Stores assessments under run `id`, in one transaction.
    public func storeAssessments(_ rows: [AssessmentRow], run id: Int) throws {
        try db.transaction {
            try db.insert("""
                INSERT INTO assessment (run_id, target_id, unit_id, method, base_year, base_value, latest_year,
                                        latest_value, progress, score, status, basis, assessed_year,
                                        value_at_deadline, probability, required_pace, required_rate, observed_pace)
                """, rows.map { row in
                    [id, row.targetID, row.unitID, row.method, row.baseYear, row.baseValue, row.latestYear,
                     row.latestValue, row.progress, row.score, row.status, row.basis, row.assessedYear,
                     row.valueAtDeadline, row.probability, row.requiredPace, row.requiredRate, row.observedPace]
                })
        }
    }

    /// The assessments of the latest run that made any, or of run `id` (nil when it made none); with `target`,
    /// only that target's.
    public func assessments(run id: Int? = nil, target: String? = nil) throws -> (run: Int, rows: [AssessmentRow])? {
        Self.reads["assessments", default: 0] += 1
        guard let run = try id ?? db.scalar("SELECT max(run_id) FROM assessment").int.map(Int.init),
              try id == nil || !db.rows("SELECT 1 FROM assessment WHERE run_id = ? LIMIT 1", [run]).isEmpty else {
            return nil
        }
        let rows = try db.rows("""
            SELECT target_id, unit_id, method, base_year, base_value, latest_year, latest_value, progress, score,
                   status, basis, assessed_year, value_at_deadline, probability, required_pace, required_rate,
                   observed_pace FROM assessment WHERE run_id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR target_id = ?2)
            ORDER BY target_id, unit_id, method
            """, [run, target]).map { row in
            AssessmentRow(targetID: row["target_id"].text ?? "", unitID: Int(row["unit_id"].int ?? 0),
                          method: row["method"].text ?? "", baseYear: row["base_year"].int.map(Int.init),
                          baseValue: row["base_value"].double, latestYear: row["latest_year"].int.map(Int.init),
                          latestValue: row["latest_value"].double, progress: row["progress"].double,
                          score: row["score"].double, status: row["status"].text ?? "", basis: row["basis"].text,
                          assessedYear: row["assessed_year"].int.map(Int.init),
                          valueAtDeadline: row["value_at_deadline"].double, probability: row["probability"].double,
                          requiredPace: row["required_pace"].double, requiredRate: row["required_rate"].double,
                          observedPace: row["observed_pace"].double)
        }
        return (run, rows)
    }
}
