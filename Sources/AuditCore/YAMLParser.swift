import CYAML

/// The only file that touches libyaml. It drives the event API and builds a `YAMLValue`
/// tree, copying every string out of the C buffers before the event is freed, so no C type
/// or pointer escapes. Only the first document is read: front matter is one document.
enum YAMLParser {
    /// Open containers while walking the event stream.
    private enum Frame {
        case sequence([YAMLValue], line: Int, anchor: String?)
        case mapping([YAMLEntry], line: Int, anchor: String?, pendingKey: (String, Int)?)
    }

    /// Parses `text`; `firstLine` is the README line of the text's first line, so every line
    /// reported (in values and errors) is a README line. Returns nil for an empty document.
    static func parse(_ text: String, firstLine: Int) throws(FrontMatterError) -> YAMLValue? {
        var bytes = Array(text.utf8)
        if bytes.isEmpty { return nil }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw FrontMatterError(.invalidYAML, line: firstLine, "invalid YAML: libyaml could not allocate a parser")
        }
        defer { yaml_parser_delete(&parser) }
        let offset = firstLine  // libyaml lines are 0-based
        let result: Result<YAMLValue?, FrontMatterError> = bytes.withUnsafeMutableBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            return Result { () throws(FrontMatterError) in try walk(&parser, offset: offset) }
        }
        return try result.get()
    }

    private static func walk(_ parser: inout yaml_parser_t, offset: Int) throws(FrontMatterError) -> YAMLValue? {
        var stack: [Frame] = []
        var anchors: [String: YAMLValue] = [:]
        var root: YAMLValue?

        func add(_ value: YAMLValue) throws(FrontMatterError) {
            guard let top = stack.popLast() else {
                root = value
                return
            }
            switch top {
            case .sequence(var items, let line, let anchor):
                items.append(value)
                stack.append(.sequence(items, line: line, anchor: anchor))
            case .mapping(var entries, let line, let anchor, let pending):
                if let (key, keyLine) = pending {
                    entries.append(YAMLEntry(key: key, keyLine: keyLine, value: value))
                    stack.append(.mapping(entries, line: line, anchor: anchor, pendingKey: nil))
                } else {
                    guard case .scalar(let key, _, let keyLine) = value else {
                        throw FrontMatterError(.invalidYAML, line: value.line, "invalid YAML: mapping keys must be plain strings")
                    }
                    stack.append(.mapping(entries, line: line, anchor: anchor, pendingKey: (key, keyLine)))
                }
            }
        }

        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else {
                throw problem(parser, offset: offset)
            }
            defer { yaml_event_delete(&event) }
            let line = Int(event.start_mark.line) + offset
            switch event.type {
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                let text = string(scalar.value, length: scalar.length)
                let value = YAMLValue.scalar(text, quoted: scalar.style != YAML_PLAIN_SCALAR_STYLE, line: line)
                if let anchor = cString(scalar.anchor) { anchors[anchor] = value }
                try add(value)
            case YAML_SEQUENCE_START_EVENT:
                stack.append(.sequence([], line: line, anchor: cString(event.data.sequence_start.anchor)))
            case YAML_MAPPING_START_EVENT:
                stack.append(.mapping([], line: line, anchor: cString(event.data.mapping_start.anchor), pendingKey: nil))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let frame = stack.popLast() else { break }
                let value: YAMLValue
                let anchor: String?
                switch frame {
                case .sequence(let items, let l, let a):
                    value = .sequence(items, line: l)
                    anchor = a
                case .mapping(let entries, let l, let a, _):
                    value = .mapping(entries, line: l)
                    anchor = a
                }
                if let anchor { anchors[anchor] = value }
                try add(value)
            case YAML_ALIAS_EVENT:
                let name = cString(event.data.alias.anchor) ?? ""
                guard let value = anchors[name] else {
                    throw FrontMatterError(.invalidYAML, line: line, "invalid YAML: unknown alias '*\(name)'")
                }
                try add(value)
            case YAML_DOCUMENT_END_EVENT, YAML_STREAM_END_EVENT:
                return root
            default:
                continue  // stream/document start: nothing to build
            }
        }
    }

    /// Reads libyaml's error at once, while the parser still holds it.
    private static func problem(_ parser: yaml_parser_t, offset: Int) -> FrontMatterError {
        let what = cString(parser.problem) ?? "unknown error"
        let context = cString(parser.context).map { " (\($0))" } ?? ""
        let line = Int(parser.problem_mark.line) + offset
        return FrontMatterError(.invalidYAML, line: line, "invalid YAML: \(what)\(context)")
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, length: Int) -> String {
        guard let pointer else { return "" }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    private static func cString(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    private static func cString(_ pointer: UnsafePointer<CChar>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }
}
