// swift-tools-version:6.0
import PackageDescription

// One binary, `spaceaudit`, over four small libraries; each C library is wrapped by
// exactly one Swift target (see docs/architecture in ../shared and README "Layout").
let package = Package(
    name: "SpaceAudit",
    products: [
        .executable(name: "spaceaudit", targets: ["SpaceAudit"])
    ],
    targets: [
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CMicroHTTPD", pkgConfig: "libmicrohttpd", providers: [.apt(["libmicrohttpd-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),

        .target(name: "AuditCore", dependencies: ["CYAML"]),
        .target(name: "AuditPostgres", dependencies: ["AuditCore", "CLibPQ"]),
        .target(name: "AuditHTTP", dependencies: ["CMicroHTTPD"]),
        .target(name: "AuditOIDC", dependencies: ["AuditCore", "COpenSSL"]),
        .executableTarget(
            name: "SpaceAudit",
            dependencies: ["AuditCore", "AuditPostgres", "AuditHTTP", "AuditOIDC"]
        ),

        .testTarget(name: "AuditCoreTests", dependencies: ["AuditCore"], exclude: ["Fixtures"]),
        .testTarget(name: "AuditPostgresTests", dependencies: ["AuditPostgres"]),
        .testTarget(name: "AuditHTTPTests", dependencies: ["AuditHTTP"]),
        .testTarget(name: "AuditOIDCTests", dependencies: ["AuditOIDC"]),
        .testTarget(name: "SpaceAuditTests", dependencies: ["SpaceAudit", "AuditPostgres"]),
    ],
    swiftLanguageModes: [.v6]
)
