import Foundation
import Reference
import XCTest

/// The strict YAML reader the nightly's settings, scenarios and the catalogue go through.
final class YAMLFileTests: XCTestCase {
    struct Settings: Decodable, Equatable {
        let output: String?
        let language: String?
        let simulation: Simulation?
        let files: [String]?
        struct Simulation: Decodable, Equatable { let draws: Int?; let seed: UInt64? }
    }

    func refusal(_ text: String, annotations: Set<String> = []) -> YAMLFileError? {
        do {
            _ = try YAMLFile.decode(Settings.self, text: text, file: "p.yaml", annotations: annotations)
            return nil
        } catch let error as YAMLFileError {
            return error
        } catch {
            XCTFail("not a YAMLFileError: \(error)")
            return nil
        }
    }

    func testATypoIsRefusedWithItsLineColumnAndTheNearestKey() throws {
        let error = try XCTUnwrap(refusal("output: out\nlangauge: en\n"))
        XCTAssertEqual(error.line, 2)
        XCTAssertEqual(error.column, 1)
        XCTAssertEqual(error.setting, "langauge")
        XCTAssertTrue(error.message.hasPrefix("unknown setting 'langauge'; did you mean 'language'?"), error.message)
        XCTAssertTrue(error.description.hasPrefix("p.yaml:2:1 [langauge]: "), error.description)

        let nested = try XCTUnwrap(refusal("simulation:\n  drawz: 100\n"))
        XCTAssertEqual([nested.line, nested.column], [2, 3])
        XCTAssertEqual(nested.setting, "simulation.drawz")
        XCTAssertTrue(nested.message.contains("did you mean 'draws'?"), nested.message)
    }

    func testWhatIsKnownOrAnAnnotationPasses() throws {
        let settings = try YAMLFile.decode(Settings.self, text: "output: out\nnote: for people\nsimulation: {draws: 2000}\n",
                                           file: "p.yaml", annotations: ["note"])
        XCTAssertEqual(settings, Settings(output: "out", language: nil, simulation: .init(draws: 2000, seed: nil), files: nil))
        XCTAssertNotNil(refusal("output: out\nnote: for people\n"), "an annotation is allowed only when named")
    }

    func testASyntaxErrorHasItsLineAndColumn() throws {
        let error = try XCTUnwrap(refusal("output: out\nfiles: [a.csv\nlanguage: en\n"))
        XCTAssertEqual(error.line, 3)
        XCTAssertTrue(error.message.hasPrefix("not valid YAML: "), error.message)
        let tab = try XCTUnwrap(refusal("simulation:\n\tdraws: 5\n"))
        XCTAssertEqual(tab.line, 2)
    }

    func testAWrongTypeIsNamedWithWhatWasFound() throws {
        let error = try XCTUnwrap(refusal("simulation:\n  draws: many\n"))
        XCTAssertEqual([error.line, error.column], [2, 10])
        XCTAssertEqual(error.setting, "simulation.draws")
        XCTAssertEqual(error.message, "expected a whole number, found 'many'")
        XCTAssertEqual(refusal("files: a.csv\n")?.message, "expected a list, found 'a.csv'")
        XCTAssertEqual(refusal("simulation: 5\n")?.message, "expected a group of settings (name: value lines), found '5'")
        XCTAssertEqual(refusal("simulation:\n  seed: -1\n")?.message, "expected a whole number that is not negative, found '-1'")
    }

    func testASettingGivenTwiceIsRefused() throws {
        let error = try XCTUnwrap(refusal("output: a\nlanguage: vi\noutput: b\n"))
        XCTAssertEqual(error.line, 1)
        XCTAssertEqual(error.message, "setting 'output' is given more than once in one group")
    }

    func testAMissingRequiredSettingIsNamed() throws {
        struct Required: Decodable { let warehouse: String }
        XCTAssertThrowsError(try YAMLFile.decode(Required.self, text: "# nothing\n", file: "p.yaml")) { error in
            XCTAssertEqual("\(error)", "p.yaml [warehouse]: required setting 'warehouse' is missing")
        }
        XCTAssertThrowsError(try YAMLFile.decode(Required.self, text: "files: []\nwarehous: w.sqlite\n", file: "p.yaml")) { error in
            XCTAssertEqual("\(error)", "p.yaml:2:1 [warehous]: unknown setting 'warehous'; did you mean 'warehouse'?")
        }
    }
}
