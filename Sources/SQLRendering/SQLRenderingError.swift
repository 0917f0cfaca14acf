import BinlogFormat

/// The one error type of `SQLRendering`: a value that has no exact SQL literal, with the column it belongs to.
///
/// ``description`` names the column and type but never shows the value (row data stays out of logs).
package struct SQLRenderingError: Error, Sendable, CustomStringConvertible {
    /// An open set of error codes.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case notRepresentable, mismatchedType
        }
        private let base: Base
        /// The value has no SQL literal that gives it back exactly (a NaN or infinite FLOAT/DOUBLE).
        package static let notRepresentable = Code(base: .notRepresentable)
        /// The value's kind does not fit the column's type (a decoder or caller bug, or a corrupt binlog).
        package static let mismatchedType = Code(base: .mismatchedType)
        package var description: String { self.base.rawValue }
    }

    package var code: Code
    package var reason: String
    /// The column's name when the binlog has it, else its position (`@3`).
    package var column: String?
    package var sourceFile: String
    package var sourceLine: Int

    package init(
        code: Code, reason: String, column: String? = nil, sourceFile: String = #fileID, sourceLine: Int = #line
    ) {
        self.code = code
        self.reason = reason
        self.column = column
        self.sourceFile = sourceFile
        self.sourceLine = sourceLine
    }

    package var description: String {
        (self.column.map { "column \($0): " } ?? "") + "\(self.code): \(self.reason)"
    }
}
