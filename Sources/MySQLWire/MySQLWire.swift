// The MySQL client protocol on SwiftNIO lands here (issue 3).
enum MySQLWireNamespace {}
