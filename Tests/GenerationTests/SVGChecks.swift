import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses an SVG as XML and counts its elements by name: a picture that does not parse, or
/// that has the wrong number of dots or panels, fails the test that uses this.
final class SVGElementCounter: NSObject, XMLParserDelegate {
    private(set) var counts: [String: Int] = [:]
    private(set) var parseError: Error?
    private(set) var texts: [String] = []
    private var currentText = ""

    static func parse(_ svg: String) -> SVGElementCounter {
        let counter = SVGElementCounter()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = counter
        if !parser.parse() { counter.parseError = parser.parserError ?? NSError(domain: "svg", code: 1) }
        return counter
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        counts[elementName, default: 0] += 1
        currentText = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { currentText += string }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        if elementName == "text" { texts.append(currentText) }
        currentText = ""
    }
}
