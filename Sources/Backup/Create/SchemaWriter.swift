import BackupStorage
import Foundation
import MySQLWire

/// Writes the schema files of a backup (databases, tables, views, routines, triggers, events) from `SHOW CREATE`,
/// and says in which order they load.
struct SchemaWriter {
    let control: MySQLConnection
    /// The backup being written.
    let store: any BackupStore
    let server: String

    /// A base table found in the chosen databases, with its size estimate.
    struct TableInfo: Sendable {
        var database: String
        var table: String
        var engine: String
        var dataLength: UInt64
        var estimatedRows: UInt64
    }

    struct Output: Sendable {
        var databases: [BackupDatabase] = []
        var tables: [TableInfo] = []
        /// Table schema files per table, `db.table` → path.
        var tableSchemaFiles: [String: String] = [:]
        /// Files before the data: session, databases, tables.
        var before: [String] = []
        /// Files after the data: views, routines, triggers, events.
        var after: [String] = []
    }

    func write(options: BackupCreateOptions) async throws -> Output {
        var output = Output()
        try await self.store.write(Array(SessionScript.text.utf8), to: BackupPaths.session, replacing: false)
        output.before.append(BackupPaths.session)

        let schemata = try await self.rows("listing databases", "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA")
            .compactMap { $0[0].string }.sorted()
        var views: [(database: String, name: String, text: [UInt8])] = []
        var viewContexts: [String: String] = [:]
        var triggerFiles: [String] = []
        var afterViews: [String] = []
        for database in schemata where options.includes(database: database, table: nil) {
            let create = try await self.rows(
                "SHOW CREATE DATABASE \(database)",
                "SHOW CREATE DATABASE IF NOT EXISTS \(SQLText.identifier(database))"
            )
            var text =
                create.first?[1].byteArray
                ?? Array("CREATE DATABASE IF NOT EXISTS \(SQLText.identifier(database))".utf8)
            text += Array(";\nUSE \(SQLText.identifier(database));\n".utf8)
            let schemaFile = BackupPaths.databaseSchema(database)
            try await self.store.write(text, to: schemaFile, replacing: false)
            var entry = BackupDatabase(name: database, schemaFile: schemaFile)
            output.before.append(schemaFile)

            let tables = try await self.rows(
                "listing the tables of \(database)",
                """
                SELECT TABLE_NAME, TABLE_TYPE, IFNULL(ENGINE, ''), IFNULL(DATA_LENGTH, 0), IFNULL(TABLE_ROWS, 0) \
                FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(SQLText.quoted(database)) ORDER BY TABLE_NAME
                """
            )
            for row in tables {
                guard let name = row[0].string, let type = row[1].string else { continue }
                if type == "VIEW" {
                    guard options.tables.isEmpty || options.includes(database: database, table: name) else { continue }
                    let create = try await self.rows(
                        "SHOW CREATE VIEW \(database).\(name)",
                        "SHOW CREATE VIEW \(SQLText.qualified(database, name))"
                    )
                    views.append((database, name, create.first?[1].byteArray ?? []))
                    viewContexts["\(database).\(name)"] = create.first.map { self.context($0, at: 2) } ?? ""
                    entry.views.append(name)
                    continue
                }
                guard type == "BASE TABLE", options.includes(database: database, table: name) else { continue }
                let create = try await self.rows(
                    "SHOW CREATE TABLE \(database).\(name)",
                    "SHOW CREATE TABLE \(SQLText.qualified(database, name))"
                )
                let file = BackupPaths.tableSchema(database, name)
                try await self.store.write(
                    (create.first?[1].byteArray ?? []) + Array(";\n".utf8), to: file, replacing: false)
                output.before.append(file)
                output.tableSchemaFiles["\(database).\(name)"] = file
                output.tables.append(
                    TableInfo(
                        database: database,
                        table: name,
                        engine: row[2].string ?? "",
                        dataLength: row[3].uint64 ?? 0,
                        estimatedRows: row[4].uint64 ?? 0
                    )
                )
            }
            guard options.tables.isEmpty else {
                output.databases.append(entry)
                continue
            }

            let routines = try await self.rows(
                "listing the routines of \(database)",
                """
                SELECT ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES \
                WHERE ROUTINE_SCHEMA = \(SQLText.quoted(database)) ORDER BY ROUTINE_TYPE, ROUTINE_NAME
                """
            )
            var routineText = ""
            for row in routines {
                guard let name = row[0].string, let type = row[1].string else { continue }
                let create = try await self.rows(
                    "SHOW CREATE \(type) \(database).\(name)",
                    "SHOW CREATE \(type) \(SQLText.qualified(database, name))"
                )
                guard let first = create.first, let body = first[2].string else {
                    throw BackupError(
                        .privilege,
                        "SHOW CREATE \(type) \(database).\(name) on \(self.server) gave no definition: the backup "
                            + "user needs SELECT on mysql.proc (MariaDB) or SHOW_ROUTINE (MySQL), or to own the routine"
                    )
                }
                routineText +=
                    self.context(first, at: 3) + ";;\n" + self.delimited(body, sqlMode: first[1].string ?? "")
                entry.routines.append(name)
            }
            if !routineText.isEmpty {
                let file = BackupPaths.objects(database, "routines")
                try await self.store.write(
                    self.wrapDelimited(routineText, database: database), to: file, replacing: false)
                entry.routinesFile = file
                afterViews.append(file)
            }

            let triggers = try await self.rows(
                "listing the triggers of \(database)",
                """
                SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = \(SQLText.quoted(database)) \
                ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER
                """
            )
            var triggerText = ""
            for row in triggers {
                guard let name = row[0].string else { continue }
                let create = try await self.rows(
                    "SHOW CREATE TRIGGER \(database).\(name)",
                    "SHOW CREATE TRIGGER \(SQLText.qualified(database, name))"
                )
                guard let first = create.first, let body = first[2].string else { continue }
                triggerText +=
                    self.context(first, at: 3) + ";;\n" + self.delimited(body, sqlMode: first[1].string ?? "")
                entry.triggers.append(name)
            }
            if !triggerText.isEmpty {
                let file = BackupPaths.objects(database, "triggers")
                try await self.store.write(
                    self.wrapDelimited(triggerText, database: database), to: file, replacing: false)
                entry.triggersFile = file
                triggerFiles.append(file)
            }

            let events = try await self.rows(
                "listing the events of \(database)",
                """
                SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = \(SQLText.quoted(database)) \
                ORDER BY EVENT_NAME
                """
            )
            var eventText = ""
            for row in events {
                guard let name = row[0].string else { continue }
                let create = try await self.rows(
                    "SHOW CREATE EVENT \(database).\(name)",
                    "SHOW CREATE EVENT \(SQLText.qualified(database, name))"
                )
                guard let first = create.first, let body = first[3].string else { continue }
                eventText += "SET SESSION time_zone = \(SQLText.quoted(first[2].string ?? "SYSTEM"));;\n"
                eventText += self.context(first, at: 4) + ";;\n" + self.delimited(body, sqlMode: first[1].string ?? "")
                entry.events.append(name)
            }
            if !eventText.isEmpty {
                eventText += "SET SESSION time_zone = '+00:00';;\n"
                let file = BackupPaths.objects(database, "events")
                try await self.store.write(
                    self.wrapDelimited(eventText, database: database), to: file, replacing: false)
                entry.eventsFile = file
                afterViews.append(file)
            }
            output.databases.append(entry)
        }

        if !views.isEmpty {
            var text = ""
            var current = ""
            for view in Self.dependencyOrder(views) {
                if view.database != current {
                    text += "USE \(SQLText.identifier(view.database));\n"
                    current = view.database
                }
                text += (viewContexts["\(view.database).\(view.name)"] ?? "") + ";\n"
                text += String(decoding: view.text, as: UTF8.self) + ";\n"
            }
            text += "SET NAMES utf8mb4;\n"
            let file = "schema/views.sql"
            try await self.store.write(text, to: file, replacing: false)
            for index in output.databases.indices where !output.databases[index].views.isEmpty {
                output.databases[index].viewsFile = file
            }
            output.after.append(file)
        }
        output.after += afterViews
        output.after += triggerFiles
        return output
    }

    /// `SET SESSION character_set_client = …, collation_connection = …` from the `SHOW CREATE` columns at `index`
    /// and `index + 1`: the creation context the object is recorded with (as mysqldump keeps it).
    private func context(_ row: MySQLRow, at index: Int) -> String {
        guard index + 1 < row.count, let client = row[index].string, let collation = row[index + 1].string,
            client.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }),
            collation.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
        else { return "SET NAMES utf8mb4" }
        return "SET SESSION character_set_client = \(client), collation_connection = \(collation)"
    }

    private func delimited(_ body: String, sqlMode: String) -> String {
        "SET SESSION sql_mode = \(SQLText.quoted(sqlMode));;\n\(body);;\n"
    }

    private func wrapDelimited(_ text: String, database: String) -> String {
        "USE \(SQLText.identifier(database));\nDELIMITER ;;\n\(text)DELIMITER ;\n"
            + "SET NAMES utf8mb4;\nSET SESSION sql_mode = '\(SessionScript.sqlMode)';\n"
    }

    private func rows(_ step: String, _ sql: String) async throws -> [MySQLRow] {
        try await ServerErrors.during(step, server: self.server) { try await self.control.rows(sql) }
    }

    /// Views ordered so that each comes after the views its text names (`` `db`.`v` `` or, in its own database,
    /// `` `v` ``); a cycle keeps name order.
    static func dependencyOrder(
        _ views: [(database: String, name: String, text: [UInt8])]
    ) -> [(database: String, name: String, text: [UInt8])] {
        let texts = views.map { String(decoding: $0.text, as: UTF8.self) }
        var placed = Set<Int>()
        var order: [Int] = []
        func dependencies(_ index: Int) -> [Int] {
            views.indices.filter { other in
                guard other != index else { return false }
                let qualified = SQLText.qualified(views[other].database, views[other].name)
                let bare = " " + SQLText.identifier(views[other].name)
                let body = texts[index].components(separatedBy: " AS ").dropFirst().joined(separator: " AS ")
                return body.contains(qualified)
                    || (views[other].database == views[index].database && body.contains(bare))
            }
        }
        var visiting = Set<Int>()
        func visit(_ index: Int) {
            if placed.contains(index) || visiting.contains(index) { return }
            visiting.insert(index)
            for dependency in dependencies(index) { visit(dependency) }
            visiting.remove(index)
            placed.insert(index)
            order.append(index)
        }
        for index in views.indices { visit(index) }
        return order.map { views[$0] }
    }
}
