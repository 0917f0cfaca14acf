import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A small XML element tree, enough for S3's answers (`ListBucketResult`, `Error`, multipart results).
package struct XMLElementTree: Sendable, Equatable {
    package var name: String
    package var text: String
    package var children: [XMLElementTree]

    /// The first child named `name`.
    package func child(_ name: String) -> XMLElementTree? { children.first { $0.name == name } }

    /// Every child named `name`.
    package func children(_ name: String) -> [XMLElementTree] { children.filter { $0.name == name } }

    /// The text of the first child named `name`.
    package func value(_ name: String) -> String? { child(name)?.text }

    /// Parses a document; `nil` when it is not well-formed XML.
    package static func parse(_ bytes: [UInt8]) -> XMLElementTree? {
        let builder = Builder()
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else { return nil }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var stack: [XMLElementTree] = []
        var root: XMLElementTree?

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName: String?, attributes: [String: String] = [:]
        ) {
            stack.append(XMLElementTree(name: elementName, text: "", children: []))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += string
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
        ) {
            guard let done = stack.popLast() else { return }
            if stack.isEmpty { root = done } else { stack[stack.count - 1].children.append(done) }
        }
    }
}
