import Analytics
import Foundation
import Ingest
import Reference

/// A planner's scenario, read from YAML (documented in `Datasets/scenarios/README.md`).
public struct Scenario: Decodable, Sendable {
    /// The file it was read from, and the line of each setting ("interventions[0].units"), for messages.
    public var file = ""
    public var lines: [String: Int] = [:]
    public let name: String
    public let description: String?
    /// What the scenario starts from: `forecast`, every series' fitted forecast (the only base).
    public let base: String?
    public let uncertainty: Uncertainty?
    public let interventions: [Change]
    /// Inverse questions: the smallest extra yearly gain that lifts a probability to a level.
    public let inverse: [Question]

    public struct Uncertainty: Decodable, Sendable {
        /// `model` (default): each fitted model's own forecast distribution (Student's t on the model's scale);
        /// `bootstrap`: the fit's own standardised residuals.
        public let method: String?
        /// Correlation of the units' errors within a draw, 0 (independent, the default) to 1.
        public let correlation: Double?
    }

    /// Which units an intervention or a question names.
    public enum UnitSelector: Decodable, Sendable, Equatable, CustomStringConvertible {
        case all
        case list([String])
        /// The provinces of a region.
        case region(String)
        /// The units whose latest observed value is below (above) a threshold.
        case below(Double)
        case above(Double)

        public init(from decoder: Decoder) throws {
            if let list = try? [String](from: decoder) {
                self = .list(list)
                return
            }
            if let word = try? String(from: decoder) {
                guard word == "all" else {
                    throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription:
                        "'\(word)' is not a selection: write all, a list of unit codes, {region: CODE}, {below: X} or {above: X}"))
                }
                self = .all
                return
            }
            let keyed = try [String: String](from: decoder)
            guard keyed.count == 1, let (key, value) = keyed.first else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription:
                    "write exactly one of region, below or above"))
            }
            switch key {
            case "region": self = .region(value)
            case "below", "above":
                guard let threshold = Double(value), threshold.isFinite else {
                    throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(value)' is not a number"))
                }
                self = key == "below" ? .below(threshold) : .above(threshold)
            default:
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription:
                    "'\(key)' is not a selection: write region, below or above"))
            }
        }

        public var description: String {
            switch self {
            case .all: return "all"
            case .list(let codes): return codes.joined(separator: " ")
            case .region(let code): return "region \(code)"
            case .below(let x): return "below \(x)"
            case .above(let x): return "above \(x)"
            }
        }
    }

    /// One intervention: for `indicators` (a list, or `all`) and `units`, from `from`, exactly one change.
    public struct Change: Decodable, Sendable {
        public let indicators: [String]?
        public let units: UnitSelector
        public let from: Int
        public let change: Intervention

        enum CodingKeys: String, CodingKey {
            case indicators, units, from, addPerYear = "add_per_year", scaleGrowth = "scale_growth", floor, ceiling, shock
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            if let word = try? c.decode(String.self, forKey: .indicators) {
                guard word == "all" else {
                    throw DecodingError.dataCorruptedError(forKey: .indicators, in: c, debugDescription: "write all or a list of indicator codes")
                }
                indicators = nil
            } else {
                indicators = try c.decode([String].self, forKey: .indicators)
            }
            units = try c.decodeIfPresent(UnitSelector.self, forKey: .units) ?? .all
            let changes: [(CodingKeys, (Double) -> Intervention)] = [
                (.addPerYear, Intervention.addPerYear), (.scaleGrowth, Intervention.scaleGrowth),
                (.floor, Intervention.floor), (.ceiling, Intervention.ceiling), (.shock, Intervention.shock),
            ]
            let given = try changes.compactMap { key, make in try c.decodeIfPresent(Double.self, forKey: key).map { (key, $0, make($0)) } }
            guard given.count == 1, let (key, amount, only) = given.first else {
                throw DecodingError.dataCorruptedError(forKey: .addPerYear, in: c, debugDescription:
                    "give exactly one change: add_per_year, scale_growth, floor, ceiling or shock")
            }
            guard amount.isFinite else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "\(amount) is not a number to change by")
            }
            change = only
            // After the change, so that a misspelt change is named as such rather than as a missing 'from'.
            from = try c.decode(Int.self, forKey: .from)
        }
    }

    /// The smallest extra yearly gain in `gainUnits` from `from` that lifts the probability of `unit` (default
    /// the nation) meeting `target` to `probability` (default 0.8).
    public struct Question: Decodable, Sendable {
        public let target: String
        public let unit: String?
        public let gainUnits: UnitSelector?
        public let from: Int?
        public let probability: Double?

        enum CodingKeys: String, CodingKey {
            case target, unit, gainUnits = "gain_units", from, probability
        }
    }

    enum CodingKeys: String, CodingKey { case name, description, base, uncertainty, interventions, inverse }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        base = try c.decodeIfPresent(String.self, forKey: .base)
        uncertainty = try c.decodeIfPresent(Uncertainty.self, forKey: .uncertainty)
        interventions = try c.decodeIfPresent([Change].self, forKey: .interventions) ?? []
        inverse = try c.decodeIfPresent([Question].self, forKey: .inverse) ?? []
    }

    /// The error of `field` ("interventions[0].units") at its line, or at its group's when it is not written.
    public func error(_ field: String, _ message: String) -> InputError {
        var path = field
        while lines[path] == nil, let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) { path = String(path[..<cut]) }
        return InputError(file: file, line: lines[path], column: field, message: message)
    }

    /// Reads and checks a scenario file.
    public static func load(path: String) throws -> Scenario {
        let decoded = try YAMLFile.decodeLocated(Scenario.self, path: path)
        var scenario = decoded.value
        scenario.file = path
        scenario.lines = decoded.lines
        if let base = scenario.base, base != "forecast" {
            throw scenario.error("base", "'\(base)' is not a base: the only one is forecast")
        }
        if let method = scenario.uncertainty?.method, Analytics.Uncertainty(rawValue: method) == nil {
            throw scenario.error("uncertainty.method",
                             "'\(method)' is not a method: use model (each model's forecast distribution) or bootstrap "
                                 + "(its residuals)")
        }
        if let rho = scenario.uncertainty?.correlation, !(0...1).contains(rho) {
            throw scenario.error("uncertainty.correlation", "\(rho) is not between 0 and 1")
        }
        for (i, question) in scenario.inverse.enumerated() {
            if let p = question.probability, !(p > 0 && p < 1) {
                throw scenario.error("inverse[\(i)].probability", "\(p) is not between 0 and 1")
            }
        }
        return scenario
    }
}
