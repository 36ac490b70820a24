/// Every configuration problem found, reported together so a user fixes them in one go.
/// Messages name the variable and never contain the value of OAUTH_CLIENT_SECRET or
/// DATABASE_URL (which may hold a password).
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [String]

    public init(problems: [String]) { self.problems = problems }

    public var description: String {
        problems.count == 1
            ? "configuration error: \(problems[0])"
            : "\(problems.count) configuration errors: " + problems.joined(separator: "; ")
    }
}
