import Foundation
import Testing

@testable import BinlogFormat

/// The one copy of the calendar arithmetic: against Foundation's Gregorian calendar in UTC (which is Julian before
/// 1582-10-15, so only after it), and day by day across 1570–2370 and 0000-03-01 (where a truncating division
/// would go wrong) and 1970.
@Suite struct CivilCalendarTests {
    @Test(arguments: [-141_000, -25_567, -1, 0, 1, 59, 365, 11_016, 24_855, 2_932_896])
    func daysAndDatesRoundTripAsFoundationCountsThem(days: Int64) throws {
        let (year, month, day) = CivilCalendar.date(fromDays: days)
        #expect(CivilCalendar.days(year: year, month: month, day: day) == days)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        let date = Date(timeIntervalSince1970: Double(days) * 86_400)
        let parts = calendar.dateComponents([.era, .year, .month, .day], from: date)
        // Foundation counts years before 1 AD as era 0, year 1 = 1 BC; the proleptic count has year 0 = 1 BC.
        let foundationYear = Int64(parts.era == 0 ? 1 - (parts.year ?? 0) : parts.year ?? 0)
        #expect(year == foundationYear && month == Int64(parts.month ?? 0) && day == Int64(parts.day ?? 0))
        #expect(days != 0 || (year, month, day) == (1970, 1, 1))
    }

    @Test(arguments: [Int64(-146_097)...146_097, Int64(-730_000)...(-700_000)])
    func everyDayFollowsTheDayBeforeAndRoundTrips(range: ClosedRange<Int64>) {
        var previous = CivilCalendar.date(fromDays: range.lowerBound - 1)
        for days in range {
            let date = CivilCalendar.date(fromDays: days)
            #expect(CivilCalendar.days(year: date.year, month: date.month, day: date.day) == days)
            let next =
                date.day == 1
                ? (date.month == 1 ? previous.year + 1 == date.year : previous.month + 1 == date.month)
                : previous.day + 1 == date.day
            if !next { Issue.record("\(days): \(previous) then \(date)") }
            previous = date
        }
    }
}
