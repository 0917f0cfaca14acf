import Testing

@testable import Recovery

/// Passwords in statement text are masked in what the timeline shows; other text is left as it is.
@Suite struct StatementSecretsTests {
    @Test(arguments: [
        ("CREATE USER 'app'@'%' IDENTIFIED BY 'S3cret!'", "CREATE USER 'app'@'%' IDENTIFIED BY '***'"),
        (
            "create user x identified with caching_sha2_password by \"p'w\\\"d\"",
            "create user x identified with caching_sha2_password by \"***\""
        ),
        ("SET PASSWORD FOR 'a'@'%' = PASSWORD('hunter2')", "SET PASSWORD FOR 'a'@'%' = PASSWORD('***')"),
        (
            "ALTER USER a IDENTIFIED BY 'one', b IDENTIFIED BY 'two'",
            "ALTER USER a IDENTIFIED BY '***', b IDENTIFIED BY '***'"
        ),
        (
            "CHANGE MASTER TO MASTER_PASSWORD = 'repl', MASTER_HOST='h'",
            "CHANGE MASTER TO MASTER_PASSWORD = '***', MASTER_HOST='h'"
        ),
        ("GRANT ALL ON db.* TO 'u'@'%' IDENTIFIED BY 'x", "GRANT ALL ON db.* TO 'u'@'%' IDENTIFIED BY '***"),
        (
            "INSERT INTO t VALUES ('IDENTIFIED BY', 'not secret')",
            "INSERT INTO t VALUES ('IDENTIFIED BY', 'not secret')"
        ),
        ("CREATE USER u IDENTIFIED BY 'it''s'; SELECT 'x'", "CREATE USER u IDENTIFIED BY '***'; SELECT 'x'"),
        (
            "DELETE FROM shop.orders WHERE note = 'password reset'",
            "DELETE FROM shop.orders WHERE note = 'password reset'"
        ),
        ("UPDATE t SET password = NULL; DROP TABLE x", "UPDATE t SET password = NULL; DROP TABLE x"),
        // A password hash is a secret too (it can be cracked or replayed): the audit found it printed.
        (
            "GRANT SELECT ON a.* TO 'u'@'%' IDENTIFIED BY PASSWORD '*AAAA1111'",
            "GRANT SELECT ON a.* TO 'u'@'%' IDENTIFIED BY PASSWORD '***'"
        ),
        (
            "CREATE USER u IDENTIFIED VIA mysql_native_password USING '*BBBB2222'",
            "CREATE USER u IDENTIFIED VIA mysql_native_password USING '***'"
        ),
    ])
    func masksPasswordsOnly(statement: String, shown: String) {
        #expect(StatementSecrets.mask(statement) == shown)
    }
}
