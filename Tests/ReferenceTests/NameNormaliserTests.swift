import Reference
import XCTest

final class NameNormaliserTests: XCTestCase {
    func testWaysRealFilesWriteOneName() {
        let canonical = NameNormaliser.key("Hòa Bình")
        let variants = [
            "Hoà Bình", "hòa bình", "HOÀ BÌNH", "Tỉnh Hòa Bình", "Tỉnh Hoà Bình",
            "Hòa Bình".decomposedStringWithCanonicalMapping, "Tỉnh  Hòa\tBình ", "tỉnh hoà bình",
        ]
        for variant in variants { XCTAssertEqual(NameNormaliser.key(variant), canonical, variant) }
        XCTAssertEqual(NameNormaliser.foldedKey("hoa binh"), NameNormaliser.foldedKey("Tỉnh Hòa Bình"))
        XCTAssertNotEqual(NameNormaliser.key("hoa binh"), canonical, "without diacritics only the folded key matches")
    }

    func testTonePlacementAndDashes() {
        XCTAssertEqual(NameNormaliser.key("Thụy Hương"), NameNormaliser.key("Thuỵ Hương"))
        XCTAssertEqual(NameNormaliser.key("Bà Rịa - Vũng Tàu"), NameNormaliser.key("Bà Rịa–Vũng Tàu"))
        XCTAssertEqual(NameNormaliser.foldedKey("Thua Thien-Hue"), NameNormaliser.foldedKey("Thừa Thiên Huế"))
        XCTAssertEqual(NameNormaliser.key("TP.Hồ Chí Minh"), NameNormaliser.key("Thành phố Hồ Chí Minh"))
        XCTAssertEqual(NameNormaliser.foldedKey("Ho Chi Minh city"), NameNormaliser.foldedKey("Hồ Chí Minh"))
        XCTAssertEqual(NameNormaliser.key("Phường 01"), NameNormaliser.key("Phường 1"))
    }

    func testDifferentTonesStayDifferent() {
        XCTAssertNotEqual(NameNormaliser.key("Hà Nam"), NameNormaliser.key("Hả Nam"))
        XCTAssertNotEqual(NameNormaliser.key("Xà Bang"), NameNormaliser.key("Bang"),
                          "a name that starts like a prefix keeps its first word when written with diacritics")
    }

    func testLevelHints() {
        XCTAssertEqual(NameNormaliser.levelHint("Tỉnh Hòa Bình"), .province)
        XCTAssertEqual(NameNormaliser.levelHint("Huyện Ba Vì"), .district)
        XCTAssertEqual(NameNormaliser.levelHint("Phường Phúc Xá"), .commune)
        XCTAssertEqual(NameNormaliser.levelHint("phuong phuc xa"), .commune)
        XCTAssertNil(NameNormaliser.levelHint("Hòa Bình"))
        XCTAssertNil(NameNormaliser.levelHint("Thành phố Hà Nội"), "a city can be a province or a district")
    }

    func testDistance() {
        XCTAssertEqual(NameNormaliser.distance("hoa binh", "hoa binh"), 0)
        XCTAssertEqual(NameNormaliser.distance("hoa bin", "hoa binh"), 1)
        XCTAssertEqual(NameNormaliser.distance("", "abc"), 3)
    }
}
