import BinlogFormat

/// `database.table` (defined in BinlogFormat, where checksums and restores find it too).
public typealias QualifiedTable = BinlogFormat.QualifiedTable
