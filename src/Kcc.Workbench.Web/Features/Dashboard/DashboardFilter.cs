using System.Globalization;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace Kcc.Workbench.Web.Features.Dashboard;

public enum Granularity
{
    Dag = 1,
    Week = 2,
    Maand = 3,
}

/// <summary>
/// What the team lead looks at: a period of Amsterdam dates (both ends included) and optional channel, team, agent and
/// topic. It travels in the page's address, so a view can be bookmarked, shared and exported as it is.
/// </summary>
public sealed record DashboardFilter
{
    public DateOnly From { get; init; }

    public DateOnly To { get; init; }

    public Channel? Channel { get; init; }

    /// <summary>The team of the question: its task's team when routed, else the team the topic's routing rule names.</summary>
    public int? TeamId { get; init; }

    public string? AgentId { get; init; }

    public int? TopicId { get; init; }

    /// <summary>Null: chosen from the period's length.</summary>
    public Granularity? Granularity { get; init; }

    public const int MaxDays = 3 * 366;

    public static DashboardFilter ThisMonth(DateOnly today) =>
        new() { From = new DateOnly(today.Year, today.Month, 1), To = new DateOnly(today.Year, today.Month, 1).AddMonths(1).AddDays(-1) };

    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>The last day a chart of this period shows: today while the period is still running, else its end.</summary>
    public DateOnly LastChartDay(DateOnly today) => today < To ? (today < From ? From.AddDays(-1) : today) : To;

    public Granularity EffectiveGranularity => Granularity ?? (Days <= 45 ? Dashboard.Granularity.Dag : Days <= 190 ? Dashboard.Granularity.Week : Dashboard.Granularity.Maand);

    /// <summary>
    /// Whole calendar months compare with the same number of months before; other periods with as many days before.
    /// A period still running (it ends after today) compares with the same number of days of the previous period, so
    /// "this month" on the 26th is set against the 1st to the 26th of last month, not against all of it.
    /// </summary>
    public DashboardFilter PreviousPeriod(DateOnly today)
    {
        DashboardFilter previous;
        if (From.Day == 1 && To.AddDays(1).Day == 1)
        {
            var months = (To.Year - From.Year) * 12 + To.Month - From.Month + 1;
            previous = this with { From = From.AddMonths(-months), To = From.AddDays(-1) };
        }
        else
        {
            previous = this with { From = From.AddDays(-Days), To = From.AddDays(-1) };
        }

        if (today >= From && today < To)
        {
            var elapsed = today.DayNumber - From.DayNumber;
            previous = previous with { To = DateOnly.FromDayNumber(Math.Min(previous.To.DayNumber, previous.From.DayNumber + elapsed)) };
        }

        return previous;
    }

    /// <summary>A Dutch message when the filter cannot be used, else null.</summary>
    public string? Problem()
    {
        if (From.Year < 2000 || To.Year > 2099)
        {
            return "Kies een periode tussen 1 januari 2000 en 31 december 2099.";
        }

        if (To < From)
        {
            return "De einddatum ligt vóór de begindatum. Kies een einddatum op of na de begindatum.";
        }

        if (Days > MaxDays)
        {
            return "Kies een periode van hoogstens drie jaar.";
        }

        if (Channel is { } channel && !Enum.IsDefined(channel))
        {
            return "Kies een kanaal uit de lijst.";
        }

        if (Granularity is { } granularity && !Enum.IsDefined(granularity))
        {
            return "Kies per dag, per week of per maand.";
        }

        return AgentId is { Length: > 450 } ? "Kies een medewerker uit de lijst." : null;
    }

    /// <summary>
    /// Figures per agent are for team leads: for anyone else the agent filter is dropped, and
    /// <paramref name="message"/> says so.
    /// </summary>
    public DashboardFilter ForViewer(bool isTeamLead, out string? message)
    {
        message = null;
        if (isTeamLead || AgentId is null)
        {
            return this;
        }

        message = "Cijfers per medewerker zijn alleen voor teamleiders. U ziet de cijfers van iedereen.";
        return this with { AgentId = null };
    }

    public string Describe() => $"{DutchFormat.Day(From)} t/m {DutchFormat.Day(To)}";

    private const string DateFormat = "yyyy-MM-dd";

    /// <summary>The filter as query-string pairs (Dutch names, as in the address bar).</summary>
    public Dictionary<string, string?> ToQuery() => new()
    {
        ["van"] = From.ToString(DateFormat, CultureInfo.InvariantCulture),
        ["tot"] = To.ToString(DateFormat, CultureInfo.InvariantCulture),
        ["kanaal"] = Channel?.ToString(),
        ["team"] = TeamId?.ToString(CultureInfo.InvariantCulture),
        ["medewerker"] = AgentId,
        ["onderwerp"] = TopicId?.ToString(CultureInfo.InvariantCulture),
        ["per"] = Granularity?.ToString(),
    };

    public string ToQueryString(params (string Key, string? Value)[] extra)
    {
        var pairs = ToQuery();
        foreach (var (key, value) in extra)
        {
            pairs[key] = value;
        }

        return QueryHelpers.AddQueryString("", pairs.Where(p => !string.IsNullOrEmpty(p.Value)));
    }

    /// <summary>Reads a filter from the address; anything missing or unreadable falls back to this month.</summary>
    public static DashboardFilter FromQuery(Func<string, string?> value, DateOnly today)
    {
        var filter = ThisMonth(today);
        if (DateOnly.TryParseExact(value("van"), DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var from) &&
            DateOnly.TryParseExact(value("tot"), DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var to))
        {
            filter = filter with { From = from, To = to };
        }

        return filter with
        {
            Channel = Enum.TryParse<Channel>(value("kanaal"), out var channel) && Enum.IsDefined(channel) ? channel : null,
            TeamId = int.TryParse(value("team"), CultureInfo.InvariantCulture, out var team) ? team : null,
            AgentId = string.IsNullOrWhiteSpace(value("medewerker")) ? null : value("medewerker"),
            TopicId = int.TryParse(value("onderwerp"), CultureInfo.InvariantCulture, out var topic) ? topic : null,
            Granularity = Enum.TryParse<Granularity>(value("per"), out var granularity) && Enum.IsDefined(granularity) ? granularity : null,
        };
    }
}
