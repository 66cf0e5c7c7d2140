import Foundation
import Reference

/// The catalogue tables: indicators, targets, the decision's tasks and the agencies that lead them.
extension Warehouse {
    /// Writes the catalogue tables (indicators, targets, tasks) in one transaction. Rows are upserted on their
    /// ids, so results that refer to a target survive a reload; targets and tasks that left the catalogue
    /// are removed unless results refer to them. Targets carry `source` so local plans' targets can stand
    /// beside the decision's.
    public func storeCatalogue(_ catalogue: Catalogue) throws {
        try db.transaction {
            let indicator = try db.prepare("""
                INSERT INTO indicator (code, name_vi, name_en, unit_of_measure, direction, aggregation)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (code) DO UPDATE SET name_vi = excluded.name_vi, name_en = excluded.name_en,
                    unit_of_measure = excluded.unit_of_measure, direction = excluded.direction,
                    aggregation = excluded.aggregation
                """)
            for item in catalogue.indicators {
                try indicator.execute([item.code, item.nameVI, item.nameEN, item.unit, Int(item.direction.sign),
                                       item.aggregation.rawValue])
            }
            let target = try db.prepare("""
                INSERT INTO target (id, clause, indicator, level, comparator, threshold, unit_of_measure, deadline,
                                    text_vi, text_en, note, source, position)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET clause = excluded.clause, indicator = excluded.indicator,
                    level = excluded.level, comparator = excluded.comparator, threshold = excluded.threshold,
                    unit_of_measure = excluded.unit_of_measure, deadline = excluded.deadline,
                    text_vi = excluded.text_vi, text_en = excluded.text_en, note = excluded.note,
                    source = excluded.source, position = excluded.position
                """)
            for (position, item) in catalogue.targets.enumerated() {
                try target.execute([item.id, item.clause, item.indicator, item.level, item.comparator.rawValue,
                                    item.threshold, item.unit, item.deadline, item.textVI, item.textEN, item.note,
                                    catalogue.decision, position])
            }
            let task = try db.prepare("""
                INSERT INTO task (id, section, number, text_vi, text_en, lead_agency, co_agencies, start_year,
                                  end_year, note)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET section = excluded.section, number = excluded.number,
                    text_vi = excluded.text_vi, text_en = excluded.text_en, lead_agency = excluded.lead_agency,
                    co_agencies = excluded.co_agencies, start_year = excluded.start_year,
                    end_year = excluded.end_year, note = excluded.note
                """)
            for item in catalogue.tasks {
                try task.execute([item.id, item.section, item.number, item.textVI, item.textEN, item.leadAgency,
                                  item.coAgencies?.joined(separator: ";"), item.start, item.end, item.note])
            }
            let agency = try db.prepare("""
                INSERT INTO agency (code, name_vi, name_en, kind, successor) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (code) DO UPDATE SET name_vi = excluded.name_vi, name_en = excluded.name_en,
                    kind = excluded.kind, successor = excluded.successor
                """)
            for item in catalogue.agencies {
                try agency.execute([item.code, item.nameVI, item.nameEN, item.kind, catalogue.mainSuccessor(of: item)])
            }
            let targets = Self.notIn("id", catalogue.targets.map(\.id)), tasks = Self.notIn("id", catalogue.tasks.map(\.id))
            try db.run("""
                DELETE FROM target WHERE source = ? AND \(targets.sql) AND id NOT IN (SELECT target_id FROM assessment)
                """, [catalogue.decision] + targets.values)
            try db.run("DELETE FROM task WHERE \(tasks.sql)", tasks.values)
        }
    }

    /// Every indicator, by code.
    public func indicators() throws -> [String: Indicator] {
        Self.reads["indicators", default: 0] += 1
        var result: [String: Indicator] = [:]
        for row in try db.rows("SELECT code, name_vi, name_en, unit_of_measure, direction, aggregation FROM indicator") {
            guard let code = row["code"].text,
                  let aggregation = row["aggregation"].text.flatMap(Aggregation.init(rawValue:)) else { continue }
            result[code] = Indicator(code: code, nameVI: row["name_vi"].text ?? code, nameEN: row["name_en"].text ?? code,
                                     unit: row["unit_of_measure"].text ?? "", direction: row["direction"].int == -1
                                        ? .lower : .higher, aggregation: aggregation)
        }
        return result
    }

    /// Stores local plans' targets beside the decision's (upserted on id), in the caller's transaction.
    public func storeLocalTargets(_ targets: [Target]) throws {
        let position = Int(try db.scalar("SELECT coalesce(max(position), 0) + 1 FROM target").int ?? 0)
        let insert = try db.prepare("""
            INSERT INTO target (id, clause, indicator, level, comparator, threshold, unit_of_measure, deadline,
                                text_vi, text_en, note, source, position, unit_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET comparator = excluded.comparator, threshold = excluded.threshold,
                deadline = excluded.deadline, text_vi = excluded.text_vi, text_en = excluded.text_en,
                note = excluded.note, source = excluded.source, unit_id = excluded.unit_id
            """)
        for (offset, target) in targets.enumerated() {
            try insert.execute([target.id, target.clause, target.indicator, target.level, target.comparator.rawValue,
                                target.threshold, target.unit, target.deadline, target.textVI, target.textEN,
                                target.note, target.source ?? "local plan", position + offset, target.unitID])
        }
    }

    /// Every target, in catalogue order (the decision's, then local plans').
    public func targets() throws -> [Target] {
        Self.reads["targets", default: 0] += 1
        return try db.rows("""
            SELECT id, clause, indicator, text_vi, text_en, comparator, threshold, unit_of_measure, level, deadline,
                   note, unit_id, source FROM target ORDER BY source <> '942/QĐ-TTg', position, id
            """).compactMap { row -> Target? in
            guard let id = row["id"].text, let comparator = row["comparator"].text.flatMap(TargetComparator.init(rawValue:))
            else { return nil }
            return Target(id: id, clause: row["clause"].text ?? "", indicator: row["indicator"].text ?? "",
                          textVI: row["text_vi"].text ?? "", textEN: row["text_en"].text ?? "", comparator: comparator,
                          threshold: row["threshold"].double ?? 0, unit: row["unit_of_measure"].text ?? "",
                          level: row["level"].text ?? "", deadline: Int(row["deadline"].int ?? 0),
                          note: row["note"].text, unitID: row["unit_id"].int.map(Int.init), source: row["source"].text)
        }
    }
}
