import Foundation

/// Province shapes from a GeoJSON file, projected (equirectangular, scaled by the cosine of 16°N) into a box
/// 300 wide and simplified to points at least 0.7 apart, rounded to 0.1. An island too small to keep three
/// points is drawn as a small diamond, so the Hoàng Sa and Trường Sa archipelagos (parts of Đà Nẵng and Khánh
/// Hòa in both files) stay on every map of Viet Nam, as official maps show them; their places are kept for
/// the labels.
extension ProvinceShapes {
    /// Reads a GeoJSON feature collection; `key` names each feature's province (code and name) from its
    /// properties, or `nil` to leave it out. Several features of one code are one shape.
    public static func geoJSON(_ path: String, key: ([String: Any]) -> (code: String, name: String)?) throws -> ProvinceShapes {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        guard let features = (json as? [String: Any])?["features"] as? [[String: Any]] else {
            throw ShapeError(file: path, message: "not a GeoJSON feature collection")
        }
        var rings: [(String, String, [[(Double, Double)]])] = []
        for feature in features {
            guard let properties = feature["properties"] as? [String: Any], let (code, name) = key(properties),
                  let geometry = feature["geometry"] as? [String: Any], let type = geometry["type"] as? String else { continue }
            let polygons: [Any]
            switch type {
            case "Polygon": polygons = [geometry["coordinates"] as Any]
            case "MultiPolygon": polygons = geometry["coordinates"] as? [Any] ?? []
            default: continue
            }
            var parts: [[(Double, Double)]] = []
            for polygon in polygons {
                for ring in polygon as? [[[Double]]] ?? [] { parts.append(ring.compactMap { $0.count >= 2 ? ($0[0], $0[1]) : nil }) }
            }
            rings.append((code, name, parts))
        }
        let points = rings.flatMap { $0.2.flatMap { $0 } }
        guard let minX = points.map(\.0).min(), let maxX = points.map(\.0).max(), let minY = points.map(\.1).min(),
              let maxY = points.map(\.1).max() else { throw ShapeError(file: path, message: "no shapes") }
        let aspect = cos(16 * Double.pi / 180)
        let width = 300.0, scale = width / ((maxX - minX) * aspect), height = (maxY - minY) * scale
        var byCode: [String: (name: String, path: String)] = [:]
        var order: [String] = []
        var islands: [Archipelago.Name: [(Double, Double)]] = [:]
        var largest: [String: (area: Double, centre: (Double, Double))] = [:]
        for (code, name, parts) in rings {
            var d = byCode[code]?.path ?? ""
            for ring in parts {
                var last: (Double, Double)?
                var kept: [(Double, Double)] = []
                let projected = ring.map { lon, lat in ((lon - minX) * aspect * scale, (maxY - lat) * scale) }
                for p in projected {
                    if let l = last, abs(p.0 - l.0) + abs(p.1 - l.1) < 0.7 { continue }
                    kept.append(p)
                    last = p
                }
                if let archipelago = Self.archipelago(ring), let centre = Self.centre(projected) {
                    islands[archipelago, default: []].append(centre)
                }
                if let (area, centroid) = Self.areaAndCentroid(kept), area > largest[code]?.area ?? 0 {
                    largest[code] = (area, Self.labelPoint(kept, centroid: centroid))
                }
                if kept.count >= 3 {
                    d += "M" + kept.map { "\(SVG.n($0.0)),\(SVG.n($0.1))" }.joined(separator: "L") + "Z"
                } else if let (x, y) = Self.centre(projected) {
                    let r = Self.islandRadius
                    d += "M\(SVG.n(x)),\(SVG.n(y - r))L\(SVG.n(x + r)),\(SVG.n(y))L\(SVG.n(x)),\(SVG.n(y + r))"
                        + "L\(SVG.n(x - r)),\(SVG.n(y))Z"
                }
            }
            if byCode[code] == nil { order.append(code) }
            byCode[code] = (name, d)
        }
        let archipelagos = Archipelago.Name.allCases.compactMap { name in
            islands[name].flatMap(Self.centre).map { Archipelago(name: name, x: $0.0, y: $0.1) }
        }
        return ProvinceShapes(width: width, height: (height * 10).rounded() / 10,
                              shapes: order.compactMap { code in byCode[code].map { (code, $0.name, $0.path) } },
                              archipelagos: archipelagos,
                              labelPoints: largest.mapValues { (x: ($0.centre.0 * 10).rounded() / 10, y: ($0.centre.1 * 10).rounded() / 10) })
    }

    /// Where a ring's label goes: its centroid when that lies inside it, else (a bent province) the middle of the
    /// widest stretch inside it along one of a few horizontal lines.
    static func labelPoint(_ ring: [(Double, Double)], centroid: (Double, Double)) -> (Double, Double) {
        func crossings(_ y: Double) -> [Double] {
            ring.indices.compactMap { i in
                let (x0, y0) = ring[i], (x1, y1) = ring[(i + 1) % ring.count]
                return (y0 > y) != (y1 > y) ? x0 + (y - y0) / (y1 - y0) * (x1 - x0) : nil
            }.sorted()
        }
        if crossings(centroid.1).filter({ $0 > centroid.0 }).count % 2 == 1 { return centroid }
        guard let low = ring.map(\.1).min(), let high = ring.map(\.1).max() else { return centroid }
        var best = (width: 0.0, point: centroid)
        for step in 1..<12 {
            let y = low + (high - low) * Double(step) / 12
            let xs = crossings(y)
            for pair in stride(from: 0, to: xs.count - 1, by: 2) where xs[pair + 1] - xs[pair] > best.width {
                best = (xs[pair + 1] - xs[pair], ((xs[pair] + xs[pair + 1]) / 2, y))
            }
        }
        return best.point
    }

    /// The area and centroid of a closed ring (shoelace formula); nil when it encloses nothing.
    static func areaAndCentroid(_ ring: [(Double, Double)]) -> (Double, (Double, Double))? {
        guard ring.count >= 3 else { return nil }
        var twiceArea = 0.0, cx = 0.0, cy = 0.0
        for i in ring.indices {
            let (x0, y0) = ring[i], (x1, y1) = ring[(i + 1) % ring.count]
            let cross = x0 * y1 - x1 * y0
            twiceArea += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        }
        guard abs(twiceArea) > 1e-9 else { return nil }
        return (abs(twiceArea) / 2, (cx / (3 * twiceArea), cy / (3 * twiceArea)))
    }

    /// Half the width of the diamond that stands for an island too small to draw (the map is 300 wide).
    static let islandRadius = 1.6

    /// The archipelago an island ring belongs to: east of 110.5°E lies no mainland coast of Viet Nam; Hoàng Sa
    /// is north of 14°N, Trường Sa south of it.
    static func archipelago(_ ring: [(Double, Double)]) -> Archipelago.Name? {
        guard let west = ring.map(\.0).min(), west > 110.5, let centre = centre(ring) else { return nil }
        return centre.1 > 14 ? .hoangSa : .truongSa
    }

    private static func centre(_ points: [(Double, Double)]) -> (Double, Double)? {
        guard !points.isEmpty else { return nil }
        let count = Double(points.count)
        return (points.map(\.0).reduce(0, +) / count, points.map(\.1).reduce(0, +) / count)
    }
}


/// A map file that cannot be read.
public struct ShapeError: Error, CustomStringConvertible {
    public let file: String
    public let message: String
    public var description: String { "\(file): \(message)" }
}
