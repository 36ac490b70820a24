import Foundation

/// Counters for `/metrics`, in the Prometheus text format. Cheap enough to bump on every request.
final class Metrics: @unchecked Sendable {  // every field is guarded by `lock`
    private let lock = NSLock()
    private var counters: [String: Int] = [:]
    private var gauges: [String: @Sendable () -> Int] = [:]
    private var help: [String: String] = [:]

    /// Adds `amount` to the counter `name{labels}`.
    func increment(_ name: String, labels: [String: String] = [:], by amount: Int = 1) {
        let key = name + Self.render(labels)
        lock.withLock { counters[key, default: 0] += amount }
    }

    /// A value read when `/metrics` is scraped (pool size, spool length, …).
    func gauge(_ name: String, help text: String, _ read: @escaping @Sendable () -> Int) {
        lock.withLock {
            gauges[name] = read
            help[name] = text
        }
    }

    func describe(_ name: String, _ text: String) {
        lock.withLock { help[name] = text }
    }

    func prometheusText() -> String {
        let (counterSnapshot, gaugeSnapshot, helpSnapshot) = lock.withLock { (counters, gauges, help) }
        var lines: [String] = []
        let counterNames = Set(counterSnapshot.keys.map { String($0.prefix { $0 != "{" }) })
        for name in counterNames.sorted() {
            if let text = helpSnapshot[name] { lines.append("# HELP \(name) \(text)") }
            lines.append("# TYPE \(name) counter")
            for (key, value) in counterSnapshot.sorted(by: { $0.key < $1.key }) where key.prefix(while: { $0 != "{" }) == name {
                lines.append("\(key) \(value)")
            }
        }
        for (name, read) in gaugeSnapshot.sorted(by: { $0.key < $1.key }) {
            if let text = helpSnapshot[name] { lines.append("# HELP \(name) \(text)") }
            lines.append("# TYPE \(name) gauge")
            lines.append("\(name) \(read())")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func render(_ labels: [String: String]) -> String {
        guard !labels.isEmpty else { return "" }
        let pairs = labels.sorted(by: { $0.key < $1.key }).map { key, value in
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
            return "\(key)=\"\(escaped)\""
        }
        return "{" + pairs.joined(separator: ",") + "}"
    }
}
