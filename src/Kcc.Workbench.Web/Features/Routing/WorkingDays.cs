using System.Collections.Concurrent;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.Extensions.Options;

namespace Kcc.Workbench.Web.Features.Routing;

/// <summary>Settings under Kcc:Werktijden in appsettings.json: when the municipality works, for service norms.</summary>
public sealed class OfficeHoursOptions
{
    public TimeSpan Opens { get; set; } = new(8, 30, 0);

    public TimeSpan Closes { get; set; } = new(17, 0, 0);

    /// <summary>Null means Monday to Friday. (A default array would be appended to by the configuration binder, not replaced.)</summary>
    public DayOfWeek[]? Days { get; set; }

    public IReadOnlyList<DayOfWeek> OfficeDays => Days is { Length: > 0 } days
        ? days
        : [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    /// <summary>Goede Vrijdag is no national holiday; many municipalities work, some close.</summary>
    public bool GoodFridayIsHoliday { get; set; }

    /// <summary>Bevrijdingsdag (5 May) is a day off in some collective agreements only, or only every five years.</summary>
    public bool LiberationDayIsHoliday { get; set; }
}

public sealed record Holiday(DateOnly Date, string Name);

/// <summary>
/// Working days and office hours in Amsterdam time, with the Dutch public holidays. Service norms count in these:
/// "1 werkdag" ends at closing time of the first working day after the day of the request (as the Algemene
/// termijnenwet counts: the day itself does not count); "4 kantooruren" counts only time the office is open.
/// Takes and returns UTC.
/// </summary>
public sealed class OfficeCalendar
{
    private readonly Func<OfficeHoursOptions> options;
    private readonly ConcurrentDictionary<(int Year, bool GoodFriday, bool LiberationDay), IReadOnlyList<Holiday>> holidays = new();

    public OfficeCalendar(IOptionsMonitor<OfficeHoursOptions> options) => this.options = () => options.CurrentValue;

    public OfficeCalendar(OfficeHoursOptions options) => this.options = () => options;

    public OfficeHoursOptions Options => options();

    /// <summary>Easter Sunday in the Gregorian calendar (the anonymous algorithm of Meeus, Jones and Butcher).</summary>
    public static DateOnly EasterSunday(int year)
    {
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new DateOnly(year, month, day);
    }

    /// <summary>The public holidays of a year on which the office is closed, in date order.</summary>
    public IReadOnlyList<Holiday> Holidays(int year)
    {
        var current = options();
        return holidays.GetOrAdd((year, current.GoodFridayIsHoliday, current.LiberationDayIsHoliday), key =>
        {
            var easter = EasterSunday(key.Year);
            var kingsDay = new DateOnly(key.Year, 4, 27);
            var list = new List<Holiday>
            {
                new(new DateOnly(key.Year, 1, 1), "Nieuwjaarsdag"),
                new(easter, "Eerste Paasdag"),
                new(easter.AddDays(1), "Tweede Paasdag"),
                // Koningsdag moves to Saturday 26 April when the 27th is a Sunday.
                new(kingsDay.DayOfWeek == DayOfWeek.Sunday ? kingsDay.AddDays(-1) : kingsDay, "Koningsdag"),
                new(easter.AddDays(39), "Hemelvaartsdag"),
                new(easter.AddDays(49), "Eerste Pinksterdag"),
                new(easter.AddDays(50), "Tweede Pinksterdag"),
                new(new DateOnly(key.Year, 12, 25), "Eerste Kerstdag"),
                new(new DateOnly(key.Year, 12, 26), "Tweede Kerstdag"),
            };
            if (key.GoodFriday)
            {
                list.Add(new Holiday(easter.AddDays(-2), "Goede Vrijdag"));
            }

            if (key.LiberationDay)
            {
                list.Add(new Holiday(new DateOnly(key.Year, 5, 5), "Bevrijdingsdag"));
            }

            return list.OrderBy(h => h.Date).ToList();
        });
    }

    public bool IsHoliday(DateOnly day) => Holidays(day.Year).Any(h => h.Date == day);

    public bool IsWorkingDay(DateOnly day) => options().OfficeDays.Contains(day.DayOfWeek) && !IsHoliday(day);

    public DateOnly NextWorkingDay(DateOnly after)
    {
        var day = after.AddDays(1);
        for (var guard = 0; guard < 3660 && !IsWorkingDay(day); guard++)
        {
            day = day.AddDays(1);
        }

        return day;
    }

    /// <summary>Closing time of the <paramref name="days"/>-th working day after the (Amsterdam) day of <paramref name="fromUtc"/>.</summary>
    public DateTime AddWorkingDays(DateTime fromUtc, int days)
    {
        var day = DateOnly.FromDateTime(DutchFormat.ToLocal(fromUtc));
        for (var i = 0; i < Math.Max(1, days); i++)
        {
            day = NextWorkingDay(day);
        }

        return AtLocal(day, options().Closes);
    }

    /// <summary>The moment when <paramref name="duration"/> of office time has passed after <paramref name="fromUtc"/>.</summary>
    public DateTime AddOfficeHours(DateTime fromUtc, TimeSpan duration)
    {
        var current = options();
        var local = DutchFormat.ToLocal(fromUtc);
        var day = DateOnly.FromDateTime(local);
        var time = local.TimeOfDay;
        var remaining = duration;
        for (var guard = 0; guard < 3660; guard++)
        {
            if (IsWorkingDay(day))
            {
                var start = time > current.Opens ? time : current.Opens;
                if (start < current.Closes)
                {
                    var available = current.Closes - start;
                    if (remaining <= available)
                    {
                        return AtLocal(day, start + remaining);
                    }

                    remaining -= available;
                }
            }

            day = day.AddDays(1);
            time = TimeSpan.Zero;
        }

        throw new InvalidOperationException("No office hours configured: check Kcc:Werktijden.");
    }

    /// <summary>Working days from the day of <paramref name="fromUtc"/> up to and including the day of <paramref name="toUtc"/>, not counting the first.</summary>
    public int WorkingDaysBetween(DateTime fromUtc, DateTime toUtc)
    {
        var day = DateOnly.FromDateTime(DutchFormat.ToLocal(fromUtc));
        var last = DateOnly.FromDateTime(DutchFormat.ToLocal(toUtc));
        var count = 0;
        while (day < last && count < 3660)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day))
            {
                count++;
            }
        }

        return count;
    }

    private static DateTime AtLocal(DateOnly day, TimeSpan time) => DutchFormat.FromLocal(day.ToDateTime(TimeOnly.MinValue) + time).UtcDateTime;
}
