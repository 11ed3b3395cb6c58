using Kcc.Workbench.Web.Infrastructure;

namespace Kcc.Workbench.Web.Features.Routing;

/// <summary>How a due date reads: "vandaag 16:00", "morgen 17:00", "2 dagen te laat". Overdue is said in words, never by colour alone.</summary>
public static class TaskTiming
{
    /// <summary>"do 26 nov 2026 17:00": with the weekday, as the agent says it to the resident.</summary>
    public static string LongMoment(DateTime utc) => Clean(DutchFormat.ToLocal(utc).ToString("ddd d MMM yyyy HH:mm", DutchFormat.Culture));

    public static string Promise(DateTime dueUtc) => "uiterlijk " + LongMoment(dueUtc);

    public static bool IsOverdue(DateTime dueUtc, DateTime nowUtc) => dueUtc < nowUtc;

    public static string Remaining(DateTime dueUtc, DateTime nowUtc)
    {
        var due = DutchFormat.ToLocal(dueUtc);
        var now = DutchFormat.ToLocal(nowUtc);
        if (dueUtc < nowUtc)
        {
            var days = DateOnly.FromDateTime(now).DayNumber - DateOnly.FromDateTime(due).DayNumber;
            if (days >= 1)
            {
                return days == 1 ? "1 dag te laat" : $"{days} dagen te laat";
            }

            var late = nowUtc - dueUtc;
            return late.TotalHours >= 1 ? $"{(int)late.TotalHours} uur te laat" : $"{Math.Max(1, (int)late.TotalMinutes)} min te laat";
        }

        var clock = due.ToString("HH:mm", DutchFormat.Culture);
        var ahead = DateOnly.FromDateTime(due).DayNumber - DateOnly.FromDateTime(now).DayNumber;
        return ahead switch
        {
            0 => $"vandaag {clock}",
            1 => $"morgen {clock}",
            _ => Clean(due.ToString(due.Year == now.Year ? "ddd d MMM HH:mm" : "ddd d MMM yyyy HH:mm", DutchFormat.Culture)),
        };
    }

    // .NET's nl-NL abbreviations end in a dot ("nov."); the house style writes "26 nov".
    private static string Clean(string value) => value.Replace(".", "", StringComparison.Ordinal);
}
