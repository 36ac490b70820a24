/// The canonical byte form that the per-Space hash chain hashes (hashing itself lives in
/// the store): `hash(n) = SHA-256(canonicalEncoding(row n, prevHash: hash(n-1)))`.
///
/// Format "SAC1" (all integers big-endian; full spec in docs/report-format.md):
///
///     "SAC1"                           4 bytes, format tag/version
///     prev_hash                        u32 length + raw bytes (length 0 for the first row)
///     then, in this order:
///     event_id        string           space           string
///     seq             i64              occurred_at     i64 (µs since 1970-01-01T00:00:00Z)
///     event           string           outcome         optional string
///     reason          optional string  user_sub        optional string
///     username        optional string  orgs            string list
///     scopes_requested string list     scopes_granted  string list
///     redirect_uri    optional string  client_id       optional string
///     client_ip       optional string  user_agent      optional string
///     source          string           idempotency_key optional string
///
///     string          = u32 byte length + UTF-8 bytes (as stored, no normalisation)
///     optional string = 0x00 (absent) | 0x01 string   -- so nil ≠ ""
///     string list     = u32 count + count × string    -- order preserved
///
/// Excluded: `hash` (the output) and `received_at` (assigned on arrival, so it would differ
/// when a spooled event is replayed). Every variable-length part is length-prefixed, so no
/// two different rows encode to the same bytes.
public enum HashChain {
    public static let formatTag: [UInt8] = Array("SAC1".utf8)

    public static func canonicalEncoding(of event: LoginEvent, prevHash: [UInt8]?) -> [UInt8] {
        var w = Writer()
        w.bytes += formatTag
        w.blob(prevHash ?? [])
        w.string(event.eventID)
        w.string(event.spaceID.description)
        w.int(event.seq)
        w.int(RFC3339.micros(event.occurredAt))
        w.string(event.event.rawValue)
        w.optional(event.outcome?.rawValue)
        w.optional(event.reason)
        w.optional(event.userSub)
        w.optional(event.username)
        w.list(event.orgs)
        w.list(event.scopesRequested)
        w.list(event.scopesGranted)
        w.optional(event.redirectURI)
        w.optional(event.clientID)
        w.optional(event.clientIP)
        w.optional(event.userAgent)
        w.string(event.source.rawValue)
        w.optional(event.idempotencyKey)
        return w.bytes
    }

    /// Lower-case hex, the form stored in `LoginEvent.hash`.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Inverse of `hex`; nil for odd length or a non-hex digit.
    public static func bytes(hex: String) -> [UInt8]? {
        let chars = Array(hex.utf8)
        guard chars.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 97...102: return c - 87
            case 65...70: return c - 55
            default: return nil
            }
        }
        var out: [UInt8] = []
        for i in stride(from: 0, to: chars.count, by: 2) {
            guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
        }
        return out
    }

    private struct Writer {
        var bytes: [UInt8] = []

        mutating func u32(_ v: Int) {
            let x = UInt32(truncatingIfNeeded: v)
            bytes += [UInt8(x >> 24), UInt8(x >> 16 & 0xff), UInt8(x >> 8 & 0xff), UInt8(x & 0xff)]
        }

        mutating func int(_ v: Int64) {
            let x = UInt64(bitPattern: v)
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(x >> UInt64(shift) & 0xff)) }
        }

        mutating func blob(_ b: [UInt8]) {
            u32(b.count)
            bytes += b
        }
        mutating func string(_ s: String) { blob(Array(s.utf8)) }

        mutating func optional(_ s: String?) {
            guard let s else {
                bytes.append(0)
                return
            }
            bytes.append(1)
            string(s)
        }

        mutating func list(_ items: [String]) {
            u32(items.count)
            items.forEach { string($0) }
        }
    }
}
