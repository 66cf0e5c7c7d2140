/// A province of an earlier division of the country (before the 63 provinces of August 2008 that chiso's
/// units start with). Real statistics-office series from the 1990s still name them; they must be refused by
/// name, never matched to a commune that happens to share it (there are communes called Hà Tây).
public struct FormerProvince: Equatable, Sendable {
    public let name: String
    /// The last year it existed.
    public let until: Int
    /// What became of it.
    public let became: String

    /// The former province `query` names (diacritics, case and prefixes aside), if any.
    public static func named(_ query: String) -> FormerProvince? { byKey[NameNormaliser.foldedKey(query)] }

    private static let byKey = Dictionary(all.map { (NameNormaliser.foldedKey($0.name), $0) }) { first, _ in first }

    /// Provinces merged or split since 1989, from the National Assembly's resolutions on the division.
    public static let all: [FormerProvince] = [
        FormerProvince(name: "Hà Tây", until: 2008, became: "merged into Hà Nội"),
        FormerProvince(name: "Hà Bắc", until: 1996, became: "split into Bắc Ninh and Bắc Giang"),
        FormerProvince(name: "Bắc Thái", until: 1996, became: "split into Bắc Kạn and Thái Nguyên"),
        FormerProvince(name: "Hải Hưng", until: 1996, became: "split into Hải Dương and Hưng Yên"),
        FormerProvince(name: "Nam Hà", until: 1996, became: "split into Hà Nam and Nam Định"),
        FormerProvince(name: "Vĩnh Phú", until: 1996, became: "split into Vĩnh Phúc and Phú Thọ"),
        FormerProvince(name: "Quảng Nam - Đà Nẵng", until: 1996, became: "split into Quảng Nam and Đà Nẵng"),
        FormerProvince(name: "Sông Bé", until: 1996, became: "split into Bình Dương and Bình Phước"),
        FormerProvince(name: "Minh Hải", until: 1996, became: "split into Bạc Liêu and Cà Mau"),
        FormerProvince(name: "Cửu Long", until: 1991, became: "split into Vĩnh Long and Trà Vinh"),
        FormerProvince(name: "Hà Sơn Bình", until: 1991, became: "split into Hà Tây and Hòa Bình"),
        FormerProvince(name: "Nghệ Tĩnh", until: 1991, became: "split into Nghệ An and Hà Tĩnh"),
        FormerProvince(name: "Thuận Hải", until: 1991, became: "split into Ninh Thuận and Bình Thuận"),
        FormerProvince(name: "Gia Lai - Kon Tum", until: 1991, became: "split into Gia Lai and Kon Tum"),
        FormerProvince(name: "Hoàng Liên Sơn", until: 1991, became: "split into Lào Cai and Yên Bái"),
        FormerProvince(name: "Hà Tuyên", until: 1991, became: "split into Hà Giang and Tuyên Quang"),
        FormerProvince(name: "Bình Trị Thiên", until: 1989,
                       became: "split into Quảng Bình, Quảng Trị and Thừa Thiên Huế"),
        FormerProvince(name: "Nghĩa Bình", until: 1989, became: "split into Quảng Ngãi and Bình Định"),
        FormerProvince(name: "Phú Khánh", until: 1989, became: "split into Phú Yên and Khánh Hòa"),
    ]
}
