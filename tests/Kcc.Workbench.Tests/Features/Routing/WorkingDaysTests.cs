using Kcc.Workbench.Web.Features.Routing;
using Kcc.Workbench.Web.Infrastructure;

namespace Kcc.Workbench.Tests.Features.Routing;

/// <summary>Service norms count in real Dutch calendars: Easter moves, Koningsdag moves off Sundays, office hours stop at five.</summary>
public class WorkingDaysTests
{
    private static readonly OfficeCalendar Calendar = new(new OfficeHoursOptions());

    private static DateTime Local(int year, int month, int day, int hour = 10, int minute = 0) =>
        DutchFormat.FromLocal(new DateTime(year, month, day, hour, minute, 0)).UtcDateTime;

    private static DateTime AsLocal(DateTime utc) => DutchFormat.ToLocal(utc);

    [Theory]
    [InlineData(2024, 3, 31)]
    [InlineData(2025, 4, 20)]
    [InlineData(2026, 4, 5)]
    [InlineData(2027, 3, 28)]
    [InlineData(2038, 4, 25)]
    public void Computes_easter_sunday(int year, int month, int day) =>
        Assert.Equal(new DateOnly(year, month, day), OfficeCalendar.EasterSunday(year));

    [Fact]
    public void The_holidays_of_2026_follow_easter_on_5_april()
    {
        var holidays = Calendar.Holidays(2026).ToDictionary(h => h.Name, h => h.Date);

        Assert.Equal(new DateOnly(2026, 1, 1), holidays["Nieuwjaarsdag"]);
        Assert.Equal(new DateOnly(2026, 4, 6), holidays["Tweede Paasdag"]);
        Assert.Equal(new DateOnly(2026, 4, 27), holidays["Koningsdag"]);
        Assert.Equal(new DateOnly(2026, 5, 14), holidays["Hemelvaartsdag"]);
        Assert.Equal(new DateOnly(2026, 5, 25), holidays["Tweede Pinksterdag"]);
        Assert.Equal(new DateOnly(2026, 12, 26), holidays["Tweede Kerstdag"]);
        Assert.DoesNotContain("Goede Vrijdag", holidays.Keys);
        Assert.DoesNotContain("Bevrijdingsdag", holidays.Keys);
    }

    [Fact]
    public void The_holidays_of_2027_follow_easter_on_28_march()
    {
        var holidays = Calendar.Holidays(2027).ToDictionary(h => h.Name, h => h.Date);

        Assert.Equal(new DateOnly(2027, 3, 29), holidays["Tweede Paasdag"]);
        Assert.Equal(new DateOnly(2027, 4, 27), holidays["Koningsdag"]);
        Assert.Equal(new DateOnly(2027, 5, 6), holidays["Hemelvaartsdag"]);
        Assert.Equal(new DateOnly(2027, 5, 17), holidays["Tweede Pinksterdag"]);
    }

    [Fact]
    public void Koningsdag_on_a_sunday_moves_to_saturday_26_april()
    {
        Assert.Equal(DayOfWeek.Sunday, new DateOnly(2025, 4, 27).DayOfWeek);
        Assert.Equal(new DateOnly(2025, 4, 26), Calendar.Holidays(2025).Single(h => h.Name == "Koningsdag").Date);
        Assert.False(Calendar.IsHoliday(new DateOnly(2025, 4, 27)));
    }

    [Fact]
    public void One_working_day_ends_at_closing_time_of_the_next_working_day()
    {
        // Wednesday 25 November 2026, the agent promises Thursday 17:00.
        Assert.Equal(new DateTime(2026, 11, 26, 17, 0, 0), AsLocal(Calendar.AddWorkingDays(Local(2026, 11, 25, 10), 1)));
        // After closing time the day itself still does not count.
        Assert.Equal(new DateTime(2026, 11, 26, 17, 0, 0), AsLocal(Calendar.AddWorkingDays(Local(2026, 11, 25, 19), 1)));
        // Friday → Monday; Saturday → Monday.
        Assert.Equal(new DateTime(2026, 11, 30, 17, 0, 0), AsLocal(Calendar.AddWorkingDays(Local(2026, 11, 27, 9), 1)));
        Assert.Equal(new DateTime(2026, 11, 30, 17, 0, 0), AsLocal(Calendar.AddWorkingDays(Local(2026, 11, 28, 12), 1)));
    }

    [Fact]
    public void Working_days_skip_easter_monday_koningsdag_ascension_and_christmas()
    {
        // Maundy Thursday 2026 + 2: Good Friday works by default, Easter Monday does not.
        Assert.Equal(new DateTime(2026, 4, 7, 17, 0, 0), AsLocal(Calendar.AddWorkingDays(Local(2026, 4, 2), 2)));
        // Friday 24 April 2026 + 1: Monday 27 April is Koningsdag.
        Assert.Equal(new DateTime(2026, 4, 28, 17, 0, 0), AsLocal(Calendar.AddWorkingDays(Local(2026, 4, 24), 1)));
        // Wednesday before Ascension 2026 + 1: Friday.
        Assert.Equal(new DateTime(2026, 5, 15, 17, 0, 0), AsLocal(Calendar.AddWorkingDays(Local(2026, 5, 13), 1)));
        // Christmas Eve 2026 (Thursday) + 1: Friday and Saturday are Christmas, Monday 28th.
        Assert.Equal(new DateTime(2026, 12, 28, 17, 0, 0), AsLocal(Calendar.AddWorkingDays(Local(2026, 12, 24), 1)));
        // Thursday 25 March 2027 + 2: Friday, then Tuesday after Easter Monday.
        Assert.Equal(new DateTime(2027, 3, 30, 17, 0, 0), AsLocal(Calendar.AddWorkingDays(Local(2027, 3, 25), 2)));
        // Ten working days from Friday 18 December 2026: Christmas and New Year's Day skipped.
        Assert.Equal(new DateTime(2027, 1, 5, 17, 0, 0), AsLocal(Calendar.AddWorkingDays(Local(2026, 12, 18), 10)));
    }

    [Fact]
    public void Good_friday_and_liberation_day_are_holidays_only_when_configured()
    {
        var closed = new OfficeCalendar(new OfficeHoursOptions { GoodFridayIsHoliday = true, LiberationDayIsHoliday = true });

        Assert.True(Calendar.IsWorkingDay(new DateOnly(2026, 4, 3)));
        Assert.False(closed.IsWorkingDay(new DateOnly(2026, 4, 3)));
        Assert.Equal(new DateTime(2026, 4, 7, 17, 0, 0), AsLocal(closed.AddWorkingDays(Local(2026, 4, 2), 1)));
        Assert.Equal(new DateTime(2026, 5, 5, 17, 0, 0), AsLocal(Calendar.AddWorkingDays(Local(2026, 5, 4), 1)));
        Assert.Equal(new DateTime(2026, 5, 6, 17, 0, 0), AsLocal(closed.AddWorkingDays(Local(2026, 5, 4), 1)));
    }

    [Fact]
    public void Office_hours_count_only_while_the_office_is_open()
    {
        // Wednesday 15:00 + 4 hours: two today, two tomorrow from 08:30.
        Assert.Equal(new DateTime(2026, 11, 26, 10, 30, 0), AsLocal(Calendar.AddOfficeHours(Local(2026, 11, 25, 15), TimeSpan.FromHours(4))));
        // Before opening the clock starts at 08:30.
        Assert.Equal(new DateTime(2026, 11, 25, 12, 30, 0), AsLocal(Calendar.AddOfficeHours(Local(2026, 11, 25, 7), TimeSpan.FromHours(4))));
        // Friday 16:00 + 4: one hour on Friday, three on Monday.
        Assert.Equal(new DateTime(2026, 11, 30, 11, 30, 0), AsLocal(Calendar.AddOfficeHours(Local(2026, 11, 27, 16), TimeSpan.FromHours(4))));
        // A WhatsApp question on Saturday is answered Monday before 12:30.
        Assert.Equal(new DateTime(2026, 11, 30, 12, 30, 0), AsLocal(Calendar.AddOfficeHours(Local(2026, 11, 28, 11), TimeSpan.FromHours(4))));
        // Across the end of summer time (25 October 2026) the local office clock still reads 11:30.
        var due = Calendar.AddOfficeHours(Local(2026, 10, 23, 16), TimeSpan.FromHours(4));
        Assert.Equal(new DateTime(2026, 10, 26, 11, 30, 0), AsLocal(due));
        Assert.Equal(new DateTime(2026, 10, 26, 10, 30, 0, DateTimeKind.Utc), due);
    }

    [Fact]
    public void Office_days_and_hours_are_configurable()
    {
        var fourDays = new OfficeCalendar(new OfficeHoursOptions
        {
            Days = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday],
            Opens = new TimeSpan(9, 0, 0),
            Closes = new TimeSpan(16, 0, 0),
        });

        Assert.Equal(new DateTime(2026, 11, 30, 16, 0, 0), AsLocal(fourDays.AddWorkingDays(Local(2026, 11, 26), 1)));
        Assert.Equal(new DateTime(2026, 11, 30, 11, 0, 0), AsLocal(fourDays.AddOfficeHours(Local(2026, 11, 26, 14), TimeSpan.FromHours(4))));
    }

    [Fact]
    public void Due_dates_read_as_the_agent_says_them()
    {
        var now = Local(2026, 11, 25, 10);

        Assert.Equal("vandaag 16:00", TaskTiming.Remaining(Local(2026, 11, 25, 16), now));
        Assert.Equal("morgen 17:00", TaskTiming.Remaining(Local(2026, 11, 26, 17), now));
        Assert.Equal("vr 27 nov 17:00", TaskTiming.Remaining(Local(2026, 11, 27, 17), now));
        Assert.Equal("2 dagen te laat", TaskTiming.Remaining(Local(2026, 11, 23, 17), now));
        Assert.Equal("1 dag te laat", TaskTiming.Remaining(Local(2026, 11, 24, 17), now));
        Assert.Equal("2 uur te laat", TaskTiming.Remaining(Local(2026, 11, 25, 8), now));
        Assert.Equal("do 26 nov 2026 17:00", TaskTiming.LongMoment(Local(2026, 11, 26, 17)));
    }
}
