import AuditHTTP

/// The server-rendered pages of the sign-in: refusals (403), provider trouble (503) and failed
/// callbacks (400/502). Every piece of text goes through `escape`, since some of it (a username,
/// an issuer) comes from the provider. No script and no inline style: the CSP allows neither.
enum AuthPage {
    struct Link {
        let href: String
        let label: String
    }

    static func response(
        status: Int, title: String, paragraphs: [String], link: Link? = Link(href: "/signin.html", label: "Back to sign-in")
    )
        -> Response
    {
        let body = paragraphs.map { "  <p>\(escape($0))</p>" }.joined(separator: "\n")
        let action = link.map { "  <p><a class=\"button\" href=\"\(escape($0.href))\">\(escape($0.label))</a></p>\n" } ?? ""
        let html = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer">
            <title>\(escape(title)) · SpaceAudit</title>
            <link rel="stylesheet" href="/signin.css">
            </head>
            <body>
            <main class="card" role="main">
              <h1>\(escape(title))</h1>
            \(body)
            \(action)</main>
            </body>
            </html>

            """
        // These pages describe one moment of one sign-in: never cache them.
        return Response.html(html, status: status).withHeader("Cache-Control", "no-store")
    }

    /// HTML text and attribute escaping (the five characters that matter, in both contexts).
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
