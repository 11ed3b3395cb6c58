using System.Globalization;

namespace Kcc.Workbench.Web.Infrastructure;

/// <summary>Dates, times and durations as Dutch agents read them: "22 nov 2026 14:05", "3 min 20 s". Stored UTC, shown in Europe/Amsterdam.</summary>
public static class DutchFormat
{
    public static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("nl-NL");

    public static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    public static DateTime ToLocal(DateTimeOffset utc) => TimeZoneInfo.ConvertTime(utc, Amsterdam).DateTime;

    public static DateTime ToLocal(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Amsterdam);

    /// <summary>An Amsterdam wall-clock time to UTC.</summary>
    public static DateTimeOffset FromLocal(DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, Amsterdam.GetUtcOffset(unspecified)).ToUniversalTime();
    }

    public static string Moment(DateTime utc) => Clean(ToLocal(utc).ToString("d MMM yyyy HH:mm", Culture));

    public static string Day(DateTime utc) => Clean(ToLocal(utc).ToString("d MMM yyyy", Culture));

    public static string Day(DateOnly date) => Clean(date.ToString("d MMM yyyy", Culture));

    public static string Clock(DateTime utc) => ToLocal(utc).ToString("HH:mm", Culture);

    public static string Duration(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        if (duration.TotalHours >= 1)
        {
            return $"{(int)duration.TotalHours} u {duration.Minutes} min";
        }

        return duration.Minutes > 0 ? $"{duration.Minutes} min {duration.Seconds} s" : $"{duration.Seconds} s";
    }

    // .NET's nl-NL abbreviated months end in a dot ("nov."); the house style writes "22 nov 2026".
    private static string Clean(string value) => value.Replace(".", "", StringComparison.Ordinal);
}
