using System.Globalization;
using System.Text.RegularExpressions;

namespace Kcc.Workbench.Web.Features.Contacts;

/// <summary>
/// Reads a time as an agent types it: "13:45", "9.05", "1345", optionally after a date "5-12-2026", "5-12" or
/// "5 dec 2026". Always 24-hour, always Dutch order, whatever the browser's locale.
/// </summary>
public static partial class DutchTime
{
    private static readonly string[] DateFormats = ["d-M-yyyy", "d-M-yy", "d/M/yyyy", "d MMM yyyy", "d MMMM yyyy"];
    private static readonly string[] ShortDateFormats = ["d-M", "d/M", "d MMM", "d MMMM"];

    public static bool TryParse(string? text, DateOnly today, out DateTime value)
    {
        value = default;
        var match = Pattern().Match(text?.Trim() ?? "");
        if (!match.Success)
        {
            return false;
        }

        var hour = int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture);
        var minute = int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture);
        if (hour > 23 || minute > 59)
        {
            return false;
        }

        var date = today;
        var datePart = match.Groups["date"].Value.Trim().TrimEnd(',');
        if (datePart.Length > 0 && !TryParseDate(datePart, today, out date))
        {
            return false;
        }

        value = date.ToDateTime(new TimeOnly(hour, minute));
        return true;
    }

    private static bool TryParseDate(string text, DateOnly today, out DateOnly date)
    {
        var culture = Infrastructure.DutchFormat.Culture;
        if (DateOnly.TryParseExact(text, DateFormats, culture, DateTimeStyles.None, out date))
        {
            return true;
        }

        // Without a year: this year's date.
        if (DateOnly.TryParseExact(text, ShortDateFormats, culture, DateTimeStyles.None, out var noYear))
        {
            date = new DateOnly(today.Year, noYear.Month, noYear.Day);
            return true;
        }

        return false;
    }

    [GeneratedRegex(@"^(?<date>.*?)\s*(?<h>[01]?\d|2[0-3])[:.]?(?<m>[0-5]\d)(\s*uur)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
