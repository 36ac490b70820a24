/// The few JSON shapes the demo provider writes (discovery, tokens, claims).
enum DemoJSON: Encodable, Sendable {
    case string(String)
    case number(Double)
    case strings([String])

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .strings(let value): try container.encode(value)
        }
    }
}
