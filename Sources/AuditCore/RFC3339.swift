import Foundation

/// RFC 3339 UTC timestamps, written by hand: Foundation's formatters are not Sendable
/// everywhere and their fractional-second rounding differs across platforms, while the
/// audit CSV and the hash chain need the same text for the same instant on every machine.
///
/// Precision is PostgreSQL's: microseconds. Output is `YYYY-MM-DDTHH:MM:SSZ`, or with
/// `.ffffff` (always six digits) when the instant has a sub-second part.
public enum RFC3339 {
    /// Microseconds since the Unix epoch, rounded to nearest (PostgreSQL's storage unit).
    public static func micros(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    public static func date(micros: Int64) -> Date {
        Date(timeIntervalSince1970: Double(micros) / 1_000_000)
    }

    public static func format(_ date: Date) -> String {
        let us = micros(date)
        let (secs, frac) = floorDivMod(us, 1_000_000)
        let (days, secOfDay) = floorDivMod(secs, 86_400)
        let (y, m, d) = CivilCalendar.civil(fromDays: days)
        var out = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T"
        out += "\(pad(secOfDay / 3600, 2)):\(pad(secOfDay / 60 % 60, 2)):\(pad(secOfDay % 60, 2))"
        if frac != 0 { out += "." + pad(frac, 6) }
        return out + "Z"
    }

    /// `YYYY-MM-DD` of the UTC day containing `date`.
    public static func day(_ date: Date) -> String { String(format(startOfDay(date)).prefix(10)) }

    /// Midnight UTC of the day containing `date`.
    public static func startOfDay(_ date: Date) -> Date {
        let (days, _) = floorDivMod(Int64(date.timeIntervalSince1970.rounded(.down)), 86_400)
        return Date(timeIntervalSince1970: Double(days * 86_400))
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; `t`/`z`/space accepted per RFC 3339 §5.6.
    public static func parse(_ text: String) -> Date? {
        let c = Array(text.utf8)
        func num(_ r: Range<Int>) -> Int64? {
            guard r.upperBound <= c.count else { return nil }
            var v: Int64 = 0
            for b in c[r] {
                guard (48...57).contains(b) else { return nil }
                v = v * 10 + Int64(b - 48)
            }
            return v
        }
        guard c.count >= 20, c[4] == 45, c[7] == 45, [84, 116, 32].contains(c[10]), c[13] == 58, c[16] == 58,
            let y = num(0..<4), let mo = num(5..<7), let d = num(8..<10),
            let h = num(11..<13), let mi = num(14..<16), let s = num(17..<19),
            (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61
        else { return nil }
        var i = 19
        var fracMicros: Int64 = 0
        if c[i] == 46 {
            i += 1
            var digits = 0
            while i < c.count, (48...57).contains(c[i]) {
                if digits < 6 { fracMicros = fracMicros * 10 + Int64(c[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in 0..<max(0, 6 - digits) { fracMicros *= 10 }
        }
        guard i < c.count else { return nil }
        var offset: Int64 = 0
        if c[i] == 90 || c[i] == 122 {
            i += 1
        } else if c[i] == 43 || c[i] == 45, c.count == i + 6, c[i + 3] == 58,
            let oh = num(i + 1..<i + 3), let om = num(i + 4..<i + 6)
        {
            offset = (oh * 60 + om) * 60 * (c[i] == 45 ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == c.count else { return nil }
        let secs = CivilCalendar.days(fromCivil: y, mo, d) * 86_400 + h * 3600 + mi * 60 + s - offset
        return date(micros: secs * 1_000_000 + fracMicros)
    }

    private static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    private static func floorDivMod(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a / b
        let r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }
}
