import AuditCore
import Foundation

/// timestamptz text conversion by hand: exact to the microsecond (PostgreSQL's precision),
/// thread-safe, and without a DateFormatter's locale and time-zone surprises.
enum Timestamp {
    /// `2024-05-01T12:34:56.123456Z`. The Date is rounded to the nearest microsecond.
    static func format(_ date: Date) -> String {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        // Beyond ±292,000 years Int64 overflows; PostgreSQL's own range is far smaller anyway.
        guard micros.isFinite, abs(micros) < 9.2e18 else {
            return micros > 0 ? "infinity" : "-infinity"
        }
        let total = Int64(micros)
        let seconds = CivilCalendar.floorDiv(total, 1_000_000)
        let fraction = total - seconds * 1_000_000
        let days = CivilCalendar.floorDiv(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilCalendar.civil(fromDays: days)
        // Years before 1 AD: PostgreSQL reads "... BC" (year 0 is 1 BC).
        let bc = year <= 0
        var text = pad(bc ? 1 - year : year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        text += "T" + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2)
        text += ":" + pad(secondOfDay % 60, 2) + "." + pad(fraction, 6) + "Z"
        return bc ? text + " BC" : text
    }

    /// Parses timestamptz output in ISO DateStyle (`2024-05-01 12:34:56.123456+00`, any
    /// offset such as `+05:30`, optional ` BC`), RFC 3339 (`T`, `Z`), a bare `date`, and
    /// `infinity` / `-infinity` (as distantFuture / distantPast).
    static func parse(_ text: String) -> Date? {
        switch text {
        case "infinity": return .distantFuture
        case "-infinity": return .distantPast
        default: break
        }
        var scanner = Scanner(Array(text.utf8))
        guard let year = scanner.number(minDigits: 4), scanner.take("-"),
            let month = scanner.number(exactDigits: 2), scanner.take("-"),
            let day = scanner.number(exactDigits: 2), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var secondOfDay: Int64 = 0
        var fraction: Int64 = 0
        var offset: Int64 = 0
        if scanner.take(" ") || scanner.take("T") {
            guard let h = scanner.number(exactDigits: 2), scanner.take(":"),
                let m = scanner.number(exactDigits: 2), scanner.take(":"),
                let s = scanner.number(exactDigits: 2), h < 24, m < 60, s < 61
            else { return nil }
            secondOfDay = h * 3600 + m * 60 + s
            if scanner.take(".") {
                guard let digits = scanner.digits(), !digits.isEmpty else { return nil }
                // Keep microseconds; round away anything finer.
                var micros: Int64 = 0
                for (i, d) in digits.prefix(7).enumerated() {
                    if i < 6 { micros = micros * 10 + d } else if d >= 5 { micros += 1 }
                }
                for _ in digits.count..<max(digits.count, 6) { micros *= 10 }
                fraction = micros
            }
            if scanner.take("Z") {
                offset = 0
            } else if let sign: Int64 = scanner.take("+") ? 1 : (scanner.take("-") ? -1 : nil) {
                guard let oh = scanner.number(exactDigits: 2) else { return nil }
                var seconds = oh * 3600
                if scanner.take(":") || scanner.peekDigit {
                    guard let om = scanner.number(exactDigits: 2) else { return nil }
                    seconds += om * 60
                    if scanner.take(":") {
                        guard let os = scanner.number(exactDigits: 2) else { return nil }
                        seconds += os
                    }
                }
                offset = sign * seconds
            }
        }
        let bc = scanner.take(" BC")
        guard scanner.atEnd else { return nil }
        let days = CivilCalendar.days(fromCivil: bc ? 1 - year : year, month, day)
        let micros = ((days * 86_400 + secondOfDay - offset) * 1_000_000) + fraction
        // Exact: both operands are exactly representable, so the quotient is the nearest
        // Double, the same one a literal like 1714566896.123456 denotes.
        return Date(timeIntervalSince1970: Double(micros) / 1_000_000)
    }

    // MARK: Calendar arithmetic (proleptic Gregorian, H. Hinnant's algorithms)

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// A tiny cursor over ASCII bytes.
    private struct Scanner {
        let bytes: [UInt8]
        var i = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { i == bytes.count }
        var peekDigit: Bool { i < bytes.count && (48...57).contains(bytes[i]) }

        mutating func take(_ literal: String) -> Bool {
            let lit = Array(literal.utf8)
            guard bytes.count - i >= lit.count, Array(bytes[i..<i + lit.count]) == lit else { return false }
            i += lit.count
            return true
        }

        mutating func digits() -> [Int64]? {
            var out: [Int64] = []
            while peekDigit {
                out.append(Int64(bytes[i] - 48))
                i += 1
            }
            return out
        }

        mutating func number(minDigits: Int = 1, exactDigits: Int? = nil) -> Int64? {
            guard let ds = digits(), ds.count >= (exactDigits ?? minDigits), ds.count <= (exactDigits ?? 18)
            else { return nil }
            return ds.reduce(0) { $0 * 10 + $1 }
        }
    }
}
