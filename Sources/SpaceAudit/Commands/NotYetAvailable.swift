/// Commands whose issue has not landed yet say so plainly and exit 3; they never pretend.
func notYetAvailable(_ command: String) -> RuntimeError {
    RuntimeError("'spaceaudit \(command)' is not yet available in this build")
}
