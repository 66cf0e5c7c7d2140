// swift-tools-version:6.0
import PackageDescription

/// The test build (debug) optimises the modules that do the work: unoptimised, the simulation's draws ran 10
/// times slower and the nightly on the sample took 40 s instead of 2.3, and the tests run the nightly and every
/// help example many times (every test 975 s -> 570 s; a clean build 100 -> 137 s). The tests then check the
/// code as users run it. To step through one of these modules in a debugger, drop its `swiftSettings`.
let optimisedInTests: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "chiso",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "chiso", targets: ["chiso"]),
        .executable(name: "chiso-bench", targets: ["ChisoBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ"),
        .target(name: "Reference", dependencies: [.product(name: "Yams", package: "Yams")], swiftSettings: optimisedInTests),
        .target(name: "Warehouse", dependencies: ["CSQLite", "CLibPQ", "Reference"], swiftSettings: optimisedInTests),
        .target(name: "Ingest", dependencies: ["Warehouse", "Reference", "CZlib", .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: optimisedInTests),
        .target(name: "LinearAlgebra", dependencies: ["COpenBLAS"], swiftSettings: optimisedInTests),
        .target(name: "Analytics", dependencies: ["LinearAlgebra", "Reference"], swiftSettings: optimisedInTests),
        .target(name: "Reports", dependencies: ["Analytics"], swiftSettings: optimisedInTests),
        .target(name: "Pipeline", dependencies: [
            "Warehouse", "Reference", "Ingest", "Analytics", "Reports",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Synthetic", dependencies: ["Analytics", "Ingest", "Reference", "Reports", "Warehouse"]),
        .executableTarget(name: "chiso", dependencies: [
            "Pipeline", "Synthetic", "Warehouse", "Reference", "Ingest", "Analytics", "Reports",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "ChisoBench", dependencies: ["Analytics", "LinearAlgebra", "Reference", "Ingest"]),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "WarehouseTests", dependencies: ["TestSupport", "Warehouse", "Reference"]),
        .testTarget(name: "ReferenceTests", dependencies: ["TestSupport", "Reference", "Ingest", "Warehouse"]),
        .testTarget(name: "IngestTests", dependencies: ["TestSupport", "Ingest", "Reference", "Warehouse"], exclude: ["Corpus"]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["TestSupport", "LinearAlgebra"]),
        .testTarget(name: "AnalyticsTests", dependencies: ["TestSupport", "Analytics", "LinearAlgebra", "Reference"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "ReportsTests", dependencies: ["TestSupport", "Reports", "Reference"], exclude: ["Golden"]),
        .testTarget(name: "PipelineTests", dependencies: ["TestSupport", "Pipeline", "Synthetic", "Ingest", "Reports", "Warehouse", "Reference"],
                    exclude: ["Golden"]),
        .testTarget(name: "ChisoTests", dependencies: ["TestSupport", "chiso"], exclude: ["Golden"]),
    ],
    swiftLanguageModes: [.v5]
)
