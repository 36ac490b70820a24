import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A blocking GET for tests: status and body, or nil when nothing answers.
enum HTTPProbe {
    final class Box: @unchecked Sendable {  // written once by the completion handler before the semaphore signals
        var value: (Int, String)?
    }

    static func get(_ url: String, timeout: TimeInterval = 5) -> (status: Int, body: String)? {
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = timeout
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, _ in
            if let response = response as? HTTPURLResponse {
                box.value = (response.statusCode, String(decoding: data ?? Data(), as: UTF8.self))
            }
            done.signal()
        }.resume()
        done.wait()
        return box.value.map { (status: $0.0, body: $0.1) }
    }

    /// Polls `url` until it answers `status` or `seconds` pass (a wait bound, not a performance check).
    static func waitFor(_ url: String, status: Int = 200, seconds: Double = 90) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if get(url, timeout: 2)?.status == status { return true }
            usleep(200_000)
        }
        return false
    }
}
