/// What a command accepts: options with a value (`--since 30d`), repeatable options
/// (`--space A --space B`), flags (`--json`) and positional arguments.
struct OptionSpec: Sendable {
    enum Kind: Sendable { case flag, single, repeated }
    let name: String
    let kind: Kind
    /// Short alias such as `-o`.
    let short: String?

    static func flag(_ name: String) -> OptionSpec { OptionSpec(name: name, kind: .flag, short: nil) }
    static func single(_ name: String, short: String? = nil) -> OptionSpec { OptionSpec(name: name, kind: .single, short: short) }
    static func repeated(_ name: String) -> OptionSpec { OptionSpec(name: name, kind: .repeated, short: nil) }
}

/// The parsed command line of one command.
struct Arguments: Sendable {
    private(set) var values: [String: [String]] = [:]
    private(set) var flags: Set<String> = []
    private(set) var positionals: [String] = []

    /// Parses `arguments` against `specs`. `--name=value` and `--name value` both work;
    /// `--` ends the options. Unknown options are usage errors.
    init(_ arguments: [String], specs: [OptionSpec]) throws(UsageError) {
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositionals || !argument.hasPrefix("-") || argument == "-" {
                positionals.append(argument)
                continue
            }
            if argument == "--" {
                onlyPositionals = true
                continue
            }
            var name = argument
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            guard let spec = specs.first(where: { "--\($0.name)" == name || ($0.short.map { "-\($0)" } == name) }) else {
                throw UsageError("unknown option '\(name)'")
            }
            switch spec.kind {
            case .flag:
                if inlineValue != nil { throw UsageError("option '--\(spec.name)' takes no value") }
                flags.insert(spec.name)
            case .single, .repeated:
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else {
                    guard index < arguments.count else { throw UsageError("option '--\(spec.name)' needs a value") }
                    value = arguments[index]
                    index += 1
                }
                if spec.kind == .single, values[spec.name] != nil {
                    throw UsageError("option '--\(spec.name)' given more than once")
                }
                values[spec.name, default: []].append(value)
            }
        }
    }

    func value(_ name: String) -> String? { values[name]?.first }
    func all(_ name: String) -> [String] { values[name] ?? [] }
    func has(_ flag: String) -> Bool { flags.contains(flag) }

    /// Exactly `count` positional arguments, named in the error when missing.
    func positionals(_ names: String...) throws(UsageError) -> [String] {
        if positionals.count < names.count {
            throw UsageError("missing \(names[positionals.count])")
        }
        if positionals.count > names.count {
            throw UsageError("unexpected argument '\(positionals[names.count])'")
        }
        return positionals
    }
}
