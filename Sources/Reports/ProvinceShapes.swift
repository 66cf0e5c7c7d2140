import Foundation

/// Province shapes from a GeoJSON file, projected (equirectangular, scaled by the cosine of 16°N) into a box
/// 300 wide and simplified to points at least 0.7 apart, rounded to 0.1.
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
        for (code, name, parts) in rings {
            var d = byCode[code]?.path ?? ""
            for ring in parts {
                var last: (Double, Double)?
                var kept: [(Double, Double)] = []
                for (lon, lat) in ring {
                    let p = ((lon - minX) * aspect * scale, (maxY - lat) * scale)
                    if let l = last, abs(p.0 - l.0) + abs(p.1 - l.1) < 0.7 { continue }
                    kept.append(p)
                    last = p
                }
                guard kept.count >= 3 else { continue }
                d += "M" + kept.map { "\(SVG.n($0.0)),\(SVG.n($0.1))" }.joined(separator: "L") + "Z"
            }
            if byCode[code] == nil { order.append(code) }
            byCode[code] = (name, d)
        }
        return ProvinceShapes(width: width, height: (height * 10).rounded() / 10,
                              shapes: order.compactMap { code in byCode[code].map { (code, $0.name, $0.path) } })
    }
}


/// A map file that cannot be read.
public struct ShapeError: Error, CustomStringConvertible {
    public let file: String
    public let message: String
    public var description: String { "\(file): \(message)" }
}
