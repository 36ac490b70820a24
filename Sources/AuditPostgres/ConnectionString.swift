import CLibPQ

/// libpq connection strings (URI or key=value), parsed by libpq itself so both spellings and
/// every keyword behave exactly as in psql.
enum ConnectionString {
    /// The options set in `conninfo`, in libpq's keyword order.
    static func parse(_ conninfo: String) throws(PostgresError) -> [(key: String, value: String)] {
        var errmsg: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &errmsg) else {
            // libpq's message may quote a fragment of the string (possibly of a password),
            // so it is dropped rather than shown or logged.
            if let errmsg { PQfreemem(errmsg) }
            throw PostgresError(.invalidConnectionString, "invalid PostgreSQL connection string (check its syntax)")
        }
        defer { PQconninfoFree(options) }
        var result: [(key: String, value: String)] = []
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                result.append((String(cString: keyword), String(cString: value)))
            }
            option += 1
        }
        return result
    }

    /// `conninfo` with some keywords replaced or added, as a key=value string. Used to point a
    /// connection string at another database (tests) or to tighten connect_timeout (ping).
    static func overriding(_ conninfo: String, with overrides: [String: String]) throws(PostgresError) -> String {
        var options = try parse(conninfo).filter { overrides[$0.key] == nil }
        options += overrides.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
        return options.map { "\($0.key)=\(quote($0.value))" }.joined(separator: " ")
    }

    /// key=value quoting: single quotes, with `\` and `'` backslash-escaped.
    static func quote(_ value: String) -> String {
        var out = "'"
        for scalar in value.unicodeScalars {
            if scalar == "'" || scalar == "\\" { out += "\\" }
            out.unicodeScalars.append(scalar)
        }
        return out + "'"
    }
}
