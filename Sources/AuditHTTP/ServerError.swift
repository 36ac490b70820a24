/// Why the server could not start (port in use, bad bind address, ...). Safe to print.
public struct ServerError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
