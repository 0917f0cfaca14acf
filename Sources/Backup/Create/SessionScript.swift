/// The session settings every loadable file relies on: the prelude `session.sql` and the head of each chunk file.
enum SessionScript {
    /// The `sql_mode` data and table definitions load under (0 stays 0 in AUTO_INCREMENT columns).
    static let sqlMode = "NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION"

    static let text = """
        SET NAMES utf8mb4;
        SET SESSION time_zone = '+00:00', sql_mode = '\(sqlMode)', foreign_key_checks = 0, unique_checks = 0;

        """
}
