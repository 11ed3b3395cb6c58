using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Routing;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Dashboard;

/// <summary>Names the dashboard shows and the team each topic belongs to, read once per request.</summary>
internal sealed record DashboardCatalog(
    IReadOnlyDictionary<int, string> Topics,
    IReadOnlyDictionary<int, string> Teams,
    int[] TeamOfTopic)
{
    public string TopicName(int topicId) => Topics.GetValueOrDefault(topicId, $"Onderwerp {topicId}");

    public string TeamName(int teamId) => teamId == 0 ? "Geen team" : Teams.GetValueOrDefault(teamId, $"Team {teamId}");

    /// <summary>Routed questions belong to their task's team; the others to the team the topic's routing rule names.</summary>
    public int TeamOf(in QuestionFact row) => row.TaskTeamId != 0 ? row.TaskTeamId : row.TopicId < TeamOfTopic.Length ? TeamOfTopic[row.TopicId] : 0;

    public static async Task<DashboardCatalog> LoadAsync(KccDbContext db, CancellationToken cancellationToken)
    {
        var topics = await db.Topics.AsNoTracking().Select(t => new { t.Id, t.Name, t.DefaultTeamId }).ToListAsync(cancellationToken);
        var rules = await db.RoutingRules.AsNoTracking().Select(r => new { r.TopicId, r.TeamId }).ToListAsync(cancellationToken);
        var teams = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        var teamOfTopic = new int[topics.Count == 0 ? 1 : topics.Max(t => t.Id) + 1];
        foreach (var topic in topics)
        {
            teamOfTopic[topic.Id] = topic.DefaultTeamId ?? 0;
        }

        foreach (var rule in rules.Where(r => r.TopicId < teamOfTopic.Length))
        {
            teamOfTopic[rule.TopicId] = rule.TeamId;
        }

        return new DashboardCatalog(topics.ToDictionary(t => t.Id, t => t.Name), teams, teamOfTopic);
    }
}

/// <summary>
/// One filter turned into what a scan over the facts needs: UTC bounds of the Amsterdam dates and the dimension
/// values as the facts store them. Every figure, list and export selects its questions through <see cref="Matches"/>.
/// </summary>
internal readonly struct DashboardScope
{
    public DashboardScope(DashboardFilter filter, DashboardCatalog catalog, DashboardFacts.Snapshot facts)
    {
        Filter = filter;
        Catalog = catalog;
        FromUtcTicks = DutchFormat.FromLocal(filter.From.ToDateTime(TimeOnly.MinValue)).UtcTicks;
        ToUtcTicks = DutchFormat.FromLocal(filter.To.AddDays(1).ToDateTime(TimeOnly.MinValue)).UtcTicks;
        AgentIndex = filter.AgentId is null ? -1 : facts.IndexOfAgent(filter.AgentId);
        NoAgentMatches = filter.AgentId is not null && AgentIndex < 0;
    }

    public DashboardFilter Filter { get; }

    public DashboardCatalog Catalog { get; }

    public long FromUtcTicks { get; }

    /// <summary>Exclusive: midnight after the last day.</summary>
    public long ToUtcTicks { get; }

    private int AgentIndex { get; }

    private bool NoAgentMatches { get; }

    public bool InPeriod(long utcTicks) => utcTicks >= FromUtcTicks && utcTicks < ToUtcTicks;

    /// <summary>The questions residents asked (incoming contacts) in the period and the filter.</summary>
    public bool Matches(in QuestionFact row) => row.IsIncoming && MatchesAnyDirection(row);

    /// <summary>Also the outgoing contacts: the KCC calling residents back.</summary>
    public bool MatchesAnyDirection(in QuestionFact row) =>
        InPeriod(row.StartedUtcTicks)
        && (Filter.Channel is not { } channel || row.Channel == channel)
        && (Filter.TopicId is not { } topic || row.TopicId == topic)
        && (Filter.AgentId is null || (!NoAgentMatches && row.AgentIndex == AgentIndex))
        && (Filter.TeamId is not { } team || Catalog.TeamOf(row) == team);

    public bool Matches(in TaskFact task) =>
        (Filter.Channel is not { } channel || task.Channel == channel)
        && (Filter.TopicId is not { } topic || task.TopicId == topic)
        && (Filter.AgentId is null || (!NoAgentMatches && task.AgentIndex == AgentIndex))
        && (Filter.TeamId is not { } team || task.TeamId == team);
}

/// <summary>Counts of one group of questions for the FTR figures.</summary>
public sealed record FtrFigures(
    int Questions,
    int RegisteredRight,
    int Verifiable,
    int VerifiedRight,
    int Repeated,
    int Unverifiable,
    int UnverifiableRegisteredRight,
    int Routed,
    int StillInWindow)
{
    public static readonly FtrFigures None = new(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>Right as registered, over all questions with an outcome.</summary>
    public double? RegisteredPercent => Questions == 0 ? null : 100.0 * RegisteredRight / Questions;

    /// <summary>Right after repeat contacts, over the questions that can be verified (not anonymous).</summary>
    public double? VerifiedPercent => Verifiable == 0 ? null : 100.0 * VerifiedRight / Verifiable;

    public double? RoutedPercent => Questions == 0 ? null : 100.0 * Routed / Questions;

    public int NotRight => Verifiable - VerifiedRight;
}

/// <summary>A mutable tally per group while scanning; turned into <see cref="FtrFigures"/> at the end.</summary>
internal struct FtrTally
{
    private int questions, registeredRight, verifiable, verifiedRight, repeated, unverifiable, unverifiableRight, routed, stillInWindow;

    public void Add(Verdict verdict, bool registeredRight, bool routed, bool stillInWindow)
    {
        questions++;
        if (registeredRight)
        {
            this.registeredRight++;
        }

        if (routed)
        {
            this.routed++;
        }

        switch (verdict)
        {
            case Verdict.NietTeVerifieren:
                unverifiable++;
                if (registeredRight)
                {
                    unverifiableRight++;
                }

                break;
            case Verdict.Goed:
                verifiable++;
                verifiedRight++;
                if (stillInWindow)
                {
                    this.stillInWindow++;
                }

                break;
            case Verdict.Herhaald:
                verifiable++;
                repeated++;
                break;
            default:
                verifiable++;
                break;
        }
    }

    public readonly bool IsEmpty => questions == 0;

    public readonly FtrFigures ToFigures() =>
        new(questions, registeredRight, verifiable, verifiedRight, repeated, unverifiable, unverifiableRight, routed, stillInWindow);
}
