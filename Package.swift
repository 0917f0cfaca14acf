// swift-tools-version:6.0
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    // Release builds do not check exclusive access at run time: every ByteBuffer read and every change to a class's
    // stored property paid a runtime call and a thread-local lookup (about a fifth of the archiver's CPU per event).
    // Debug builds, which the tests run, still check it, and the compiler's static checks stay on everywhere.
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "Rewind",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "rewind", targets: ["RewindCLI"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/attaswift/BigInt.git", from: "6.0.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(name: "CZstd", path: "Sources/CZstd"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .systemLibrary(name: "CIsal", path: "Sources/CIsal"),
        .target(
            name: "BinlogFormat",
            dependencies: [
                "CZstd", "CZlib", "CIsal",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "MySQLWire",
            dependencies: [
                "BinlogFormat",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "BigInt", package: "BigInt"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Recovery",
            dependencies: [
                "BinlogFormat", "MySQLWire", "BinlogArchive", "BackupStorage",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SQLRendering",
            dependencies: ["BinlogFormat"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Flashback",
            dependencies: [
                "BinlogFormat", "SQLRendering", "Recovery", "MySQLWire",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "BinlogArchive",
            dependencies: [
                "BinlogFormat", "MySQLWire", "ObjectStorage", "ObjectCodec",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ArchiveMonitor",
            dependencies: [
                "BinlogArchive",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ObjectStorage",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "BackupStorage",
            dependencies: [
                "ObjectStorage", "ObjectCodec",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ObjectCodec",
            dependencies: [
                "CZstd",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Checksum",
            dependencies: [
                "SQLRendering", "BinlogFormat", "MySQLWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Backup",
            dependencies: [
                "SQLRendering", "Checksum", "MySQLWire", "BinlogArchive", "BackupStorage", "CZstd",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Restore",
            dependencies: [
                "Backup", "BackupStorage", "Checksum", "Recovery", "BinlogFormat", "BinlogArchive", "SQLRendering",
                "MySQLWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Deploy",
            dependencies: [],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "RewindCLI",
            dependencies: [
                "BinlogFormat", "MySQLWire", "BinlogArchive", "Recovery", "Deploy", "Flashback", "Backup", "Checksum",
                "SQLRendering", "Restore", "ObjectStorage", "ObjectCodec", "BackupStorage", "ArchiveMonitor",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings,
            linkerSettings: [
                // `--static-swift-stdlib` links with --export-dynamic, which put the binary's own 41,000 symbols in
                // its dynamic symbol table: each run then paid for the Swift runtime looking up its own path
                // through them (dladdr, a linear search: about 0.35 ms of a 5 ms `rewind --version`) and for
                // paging the table in. Nothing looks them up by name.
                .unsafeFlags(["-Xlinker", "--no-export-dynamic"], .when(platforms: [.linux], configuration: .release))
            ]
        ),
        .target(
            name: "RewindTestSupport",
            dependencies: [
                "BinlogFormat", "MySQLWire", "BackupStorage", "ObjectStorage", "BinlogArchive",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "BinlogFormatTests",
            dependencies: ["BinlogFormat", "RewindTestSupport", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MySQLWireTests",
            dependencies: [
                "MySQLWire", "RewindTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MySQLWireIntegrationTests",
            dependencies: [
                "MySQLWire", "Recovery", "RewindTestSupport", .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RecoveryTests",
            dependencies: [
                "Recovery", "BinlogFormat", "MySQLWire", "BinlogArchive", "BackupStorage", "RewindTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SQLRenderingTests",
            dependencies: ["SQLRendering", "BinlogFormat", "RewindTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SQLRenderingIntegrationTests",
            dependencies: [
                "SQLRendering", "BinlogFormat", "Recovery", "MySQLWire", "RewindTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FlashbackTests",
            dependencies: ["Flashback", "SQLRendering", "BinlogFormat", "Recovery", "RewindTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FlashbackIntegrationTests",
            dependencies: [
                "Flashback", "SQLRendering", "BinlogFormat", "Recovery", "MySQLWire", "RewindTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "BinlogArchiveTests",
            dependencies: [
                "BinlogArchive", "BinlogFormat", "MySQLWire", "RewindTestSupport", "ObjectStorage", "ObjectCodec",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ArchiveMonitorTests",
            dependencies: [
                "ArchiveMonitor", "BinlogArchive",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ObjectStorageTests",
            dependencies: ["ObjectStorage", "RewindTestSupport", .product(name: "NIOCore", package: "swift-nio")],
            exclude: ["Vectors"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "BackupStorageTests",
            dependencies: [
                "BackupStorage", "ObjectStorage", "ObjectCodec", "RewindTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ObjectCodecTests",
            dependencies: ["ObjectCodec", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "BackupTests",
            dependencies: [
                "Backup", "BackupStorage", "Checksum", "SQLRendering", "MySQLWire", "RewindTestSupport",
                "BinlogArchive", "ObjectStorage", .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "BackupIntegrationTests",
            dependencies: [
                "Backup", "BackupStorage", "ObjectStorage", "Checksum", "SQLRendering", "MySQLWire",
                "RewindTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RestoreTests",
            dependencies: [
                "Restore", "Backup", "BackupStorage", "Recovery", "BinlogFormat", "MySQLWire", "RewindTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ChecksumTests",
            dependencies: ["Checksum", "SQLRendering", "BinlogFormat"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ChecksumIntegrationTests",
            dependencies: [
                "Checksum", "Backup", "BinlogFormat", "MySQLWire", "RewindTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DeployTests",
            dependencies: ["Deploy", "RewindTestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RewindCLITests",
            dependencies: [
                "RewindCLI", "RewindTestSupport", "Flashback", "BinlogFormat", "Recovery", "ObjectStorage",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
