#if canImport(Glibc)
    import Glibc
#endif

/// Whether a string is a literal IPv4 or IPv6 address, as the C library parses them.
enum IPAddressText {
    static func isValid(_ text: String) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16)
        return inet_pton(AF_INET, text, &buffer) == 1 || inet_pton(AF_INET6, text, &buffer) == 1
    }
}
