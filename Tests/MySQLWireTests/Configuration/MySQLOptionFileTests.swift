import Testing

@testable import MySQLWire

@Suite struct MySQLOptionFileTests {
    @Test func readsClientGroupWithQuotesCommentsAndUnderscores() {
        let file = MySQLOptionFile(
            parsing: """
                # comment
                [mysqld]
                port = 1
                [client]
                host=127.0.0.1
                port = 3307   # trailing comment
                user = "re wind"
                password = 'p#ss\\'word '
                ssl_mode = REQUIRED
                !includedir /etc/mysql/conf.d/
                [rewind]
                user = archiver
                """
        )
        #expect(file.value("host") == "127.0.0.1")
        #expect(file.value("port") == "3307")
        #expect(file.value("password") == "p#ss'word ")
        #expect(file.value("ssl-mode") == "REQUIRED")
        #expect(file.value("user") == "archiver")
        #expect(file.value("user", groups: ["client"]) == "re wind")
        #expect(file.value("port", groups: ["mysqld"]) == "1")
    }

    @Test func linesOutsideAGroupAreIgnored() {
        #expect(MySQLOptionFile(parsing: "password=x\n").groups.isEmpty)
    }
}
