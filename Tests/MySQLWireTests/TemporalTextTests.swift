import BinlogFormat
import Testing

@testable import MySQLWire

@Suite struct TemporalTextTests {
    @Test func parsesTextForms() {
        #expect(TemporalText.date("0000-00-00") == MySQLDate(year: 0, month: 0, day: 0))
        #expect(
            TemporalText.time("-838:59:59.5", precision: 1)
                == MySQLTime(
                    isNegative: true,
                    hours: 838,
                    minutes: 59,
                    seconds: 59,
                    microseconds: 500_000,
                    precision: 1
                )
        )
        #expect(
            TemporalText.dateTime("2024-02-29 23:59:59.000001", precision: 6)
                == MySQLDateTime(
                    date: MySQLDate(year: 2024, month: 2, day: 29),
                    hour: 23,
                    minute: 59,
                    second: 59,
                    microseconds: 1,
                    precision: 6
                )
        )
    }

    @Test(arguments: ["", "2024-02", "2024-02-29 25:00:00", "12:61:00", "1:2:3.1234567", "x-y-z"])
    func rejectsMalformedText(text: String) {
        #expect(TemporalText.dateTime(text, precision: 0) == nil)
        if !text.contains(":") { #expect(TemporalText.date(text) == nil) }
    }
}
