import Foundation

/// A JSON file (an archive index, a backup manifest) that does not decode, said in words that name the key and
/// not Swift's types (`DecodingError.keyNotFound(CodingKeys(stringValue: …))`).
public struct JSONProblem: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ error: any Error) {
        guard let error = error as? DecodingError else {
            self.description = "\(error)"
            return
        }
        func path(_ context: DecodingError.Context, _ last: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (last.map { [$0] } ?? [])
            let text = keys.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
            return text.isEmpty ? "the top level" : String(text.drop { $0 == "." })
        }
        switch error {
        case .dataCorrupted(let context):
            self.description =
                context.codingPath.isEmpty
                ? "it is not valid JSON" : "the value of \(path(context)) is not valid (\(context.debugDescription))"
        case .keyNotFound(let key, let context):
            self.description = "the key \(path(context, key)) is missing"
        case .typeMismatch(let type, let context):
            self.description = "the value of \(path(context)) is not \(Self.name(of: type))"
        case .valueNotFound(let type, let context):
            self.description = "the value of \(path(context)) is null where \(Self.name(of: type)) is needed"
        @unknown default:
            self.description = "\(error)"
        }
    }

    private static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is UInt64.Type, is UInt32.Type, is Int32.Type, is UInt16.Type: "a number"
        case is Bool.Type: "true or false"
        case is Date.Type: "a time (ISO 8601)"
        default: "of the expected kind"
        }
    }
}
