using System.Diagnostics;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.KnowledgeBase;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kcc.Workbench.Web.Features.Dashboard;

public sealed record TopicShortfall(int TopicId, string Topic, FtrFigures Figures, int? ArticleId, string? ArticleTitle);

public sealed record FeedbackShortfall(int ArticleId, string Title, int Open, DateTime LastAt);

public sealed record FilterOption(string Value, string Label);

/// <summary>The team lead's dashboard: first time right, channels, service norms, handling time and knowledge gaps.</summary>
public static class GetDashboard
{
    [AllowedFor(Roles.Teamleider, Roles.Beheerder)]
    public sealed record Query(DashboardFilter Filter) : IRequest<Response>;

    public sealed record Response
    {
        /// <summary>Set when the filter could not be used as given; the figures are then empty or for the corrected filter.</summary>
        public string? Message { get; init; }

        public required DashboardFilter Filter { get; init; }
        public required DashboardFilter Previous { get; init; }
        public DateTime ComputedAt { get; init; }

        /// <summary>Figures per agent and the agents' search texts are for team leads only.</summary>
        public bool ShowsAgents { get; init; }

        public int NormPercent { get; init; }

        /// <summary>Fewer verifiable questions than this make a point "te weinig gegevens" instead of a percentage.</summary>
        public int MinimumQuestions { get; init; } = DashboardOptions.DefaultMinimumQuestions;
        public int RepeatWindowDays { get; init; }
        public required FtrResult Ftr { get; init; }
        public required FtrFigures PreviousFtr { get; init; }
        public required ChannelResult Channels { get; init; }
        public required IReadOnlyList<HandlingTime> Handling { get; init; }
        public required NormResult Norms { get; init; }
        public required NormResult PreviousNorms { get; init; }
        public required IReadOnlyList<TopicShortfall> Topics { get; init; }
        public required IReadOnlyList<KnowledgeGapGroup> Gaps { get; init; }
        public required IReadOnlyList<FeedbackShortfall> Feedback { get; init; }
        public required IReadOnlyList<FilterOption> TeamOptions { get; init; }
        public required IReadOnlyList<FilterOption> AgentOptions { get; init; }
        public required IReadOnlyList<FilterOption> TopicOptions { get; init; }

        /// <summary>Milliseconds per figure, for the benchmark and the operator.</summary>
        public required IReadOnlyDictionary<string, double> Timings { get; init; }
    }

    internal sealed class Handler(
        IDbContextFactory<KccDbContext> dbFactory,
        DashboardFacts facts,
        ICurrentUser currentUser,
        TimeProvider clock,
        IOptionsMonitor<ContactOptions> contactOptions,
        IOptionsMonitor<DashboardOptions> dashboardOptions)
        : IRequestHandler<Query, Response>
    {
        public async Task<Response> Handle(Query request, CancellationToken cancellationToken)
        {
            var timings = new Dictionary<string, double>();
            var watch = Stopwatch.StartNew();
            var user = await currentUser.GetPrincipalAsync();
            var showsAgents = user.IsInRole(Roles.Teamleider);
            var nowUtc = clock.GetUtcNow().UtcDateTime;
            var filter = request.Filter;
            var message = filter is null ? "Kies een periode." : filter.Problem();
            if (filter is null || message is not null)
            {
                filter = DashboardFilter.ThisMonth(DateOnly.FromDateTime(DutchFormat.ToLocal(nowUtc)));
            }
            else
            {
                filter = filter.ForViewer(showsAgents, out message);
            }

            var previousFilter = filter.PreviousPeriod(DateOnly.FromDateTime(DutchFormat.ToLocal(nowUtc)));
            var windowTicks = TimeSpan.FromDays(contactOptions.CurrentValue.RepeatWindowDays).Ticks;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var catalog = await DashboardCatalog.LoadAsync(db, cancellationToken);
            timings["Namen en teams"] = Lap(watch);

            var computed = await facts.ReadAsync(snapshot =>
            {
                timings["Bijwerken"] = Lap(watch);
                var scope = new DashboardScope(filter, catalog, snapshot);
                var previous = new DashboardScope(previousFilter, catalog, snapshot);
                var nowLocal = DutchFormat.ToLocal(nowUtc).Ticks;
                var ftr = DashboardFigures.FirstTimeRight(snapshot, scope, windowTicks, nowLocal, detailed: true);
                var previousFtr = DashboardFigures.FirstTimeRight(snapshot, previous, windowTicks, nowLocal, detailed: false).Total;
                timings["In één keer goed"] = Lap(watch);
                var channels = DashboardFigures.Channels(snapshot, scope, previous, DateOnly.FromDateTime(new DateTime(nowLocal)));
                timings["Kanalen en drukte"] = Lap(watch);
                var handling = DashboardFigures.Handling(snapshot, scope);
                timings["Afhandeltijd"] = Lap(watch);
                var norms = DashboardFigures.Norms(snapshot, scope, nowUtc.Ticks);
                var previousNorms = DashboardFigures.Norms(snapshot, previous, nowUtc.Ticks);
                timings["Servicenormen"] = Lap(watch);
                var agents = showsAgents
                    ? Enumerable.Range(0, snapshot.AgentCount).Select(i => snapshot.Agent(i)).Select(a => new FilterOption(a.Id, a.Name))
                        .OrderBy(a => a.Label, StringComparer.CurrentCulture).ToList()
                    : [];
                return (ftr, previousFtr, channels, handling, norms, previousNorms, agents);
            }, cancellationToken);

            var shortfallTopics = computed.ftr.ByTopic.Where(t => t.Figures.Questions - t.Figures.RegisteredRight + t.Figures.Repeated > 0)
                .OrderByDescending(t => t.Figures.Questions - t.Figures.RegisteredRight + t.Figures.Repeated)
                .Take(10).ToList();
            var topicIds = shortfallTopics.Select(t => int.Parse(t.Key, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            var articles = (await db.Articles.AsNoTracking().Where(a => topicIds.Contains(a.TopicId) && a.Status != ArticleStatus.Gearchiveerd)
                    .OrderBy(a => a.Status == ArticleStatus.Gepubliceerd ? 0 : 1).ThenBy(a => a.Id)
                    .Select(a => new { a.TopicId, a.Id, a.Title }).ToListAsync(cancellationToken))
                .GroupBy(a => a.TopicId).ToDictionary(g => g.Key, g => g.First());
            var topics = shortfallTopics.Select((t, i) =>
            {
                var article = articles.GetValueOrDefault(topicIds[i]);
                return new TopicShortfall(topicIds[i], t.Label, t.Figures, article?.Id, article?.Title);
            }).ToList();
            // What agents typed may hold a name or a BSN: the search texts are for team leads (and kennisbeheerders, on
            // their own page), not for every beheerder and not in a beheerder's export.
            IReadOnlyList<KnowledgeGapGroup> gaps = showsAgents ? await GapsAsync(db, filter, cancellationToken) : [];
            var feedback = await FeedbackAsync(db, filter, cancellationToken);
            timings["Kennisbank"] = Lap(watch);

            return new Response
            {
                Message = message,
                Filter = filter,
                Previous = previousFilter,
                ComputedAt = nowUtc,
                ShowsAgents = showsAgents,
                NormPercent = dashboardOptions.CurrentValue.FirstTimeRightNorm,
                MinimumQuestions = Math.Max(1, dashboardOptions.CurrentValue.MinimumQuestions),
                RepeatWindowDays = contactOptions.CurrentValue.RepeatWindowDays,
                Ftr = showsAgents ? computed.ftr : computed.ftr with { ByAgent = [] },
                PreviousFtr = computed.previousFtr,
                Channels = computed.channels,
                Handling = computed.handling,
                Norms = computed.norms,
                PreviousNorms = computed.previousNorms,
                Topics = topics,
                Gaps = gaps,
                Feedback = feedback,
                TeamOptions = catalog.Teams.OrderBy(t => t.Value, StringComparer.CurrentCulture).Select(t => new FilterOption(t.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), t.Value)).ToList(),
                AgentOptions = computed.agents,
                TopicOptions = catalog.Topics.OrderBy(t => t.Value, StringComparer.CurrentCulture).Select(t => new FilterOption(t.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), t.Value)).ToList(),
                Timings = timings,
            };
        }

        private static double Lap(Stopwatch watch)
        {
            var elapsed = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            return elapsed;
        }

        /// <summary>Searches in the period that found nothing, grouped as the kennisbank's own gaps page groups them.</summary>
        private static async Task<IReadOnlyList<KnowledgeGapGroup>> GapsAsync(KccDbContext db, DashboardFilter filter, CancellationToken cancellationToken)
        {
            var from = DutchFormat.FromLocal(filter.From.ToDateTime(TimeOnly.MinValue)).UtcDateTime;
            var to = DutchFormat.FromLocal(filter.To.AddDays(1).ToDateTime(TimeOnly.MinValue)).UtcDateTime;
            var gaps = db.KnowledgeGaps.AsNoTracking().Where(g => g.CreatedAt >= from && g.CreatedAt < to);
            if (filter.Channel is { } channel)
            {
                gaps = gaps.Where(g => g.Channel == channel);
            }

            if (filter.TopicId is { } topicId)
            {
                gaps = gaps.Where(g => g.TopicId == topicId);
            }

            if (filter.AgentId is { } agentId)
            {
                gaps = gaps.Where(g => g.AgentId == agentId);
            }

            return await KnowledgeGaps.GroupAsync(db, gaps, 10, cancellationToken);
        }

        /// <summary>Open feedback from agents on articles (of the topic, when filtered), the most reported first.</summary>
        private static async Task<IReadOnlyList<FeedbackShortfall>> FeedbackAsync(KccDbContext db, DashboardFilter filter, CancellationToken cancellationToken)
        {
            var open = db.ArticleFeedback.AsNoTracking().Where(f => f.ClosedAt == null);
            if (filter.TopicId is { } topicId)
            {
                open = open.Where(f => f.Article!.TopicId == topicId);
            }

            var grouped = await open.GroupBy(f => f.ArticleId)
                .Select(g => new { ArticleId = g.Key, Open = g.Count(), LastAt = g.Max(f => f.CreatedAt) })
                .OrderByDescending(g => g.Open).Take(10).ToListAsync(cancellationToken);
            var ids = grouped.Select(g => g.ArticleId).ToList();
            var titles = await db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Title, cancellationToken);
            return grouped.Select(g => new FeedbackShortfall(g.ArticleId, titles.GetValueOrDefault(g.ArticleId, ""), g.Open, g.LastAt)).ToList();
        }
    }
}

/// <summary>Settings under Kcc:Dashboard in appsettings.json.</summary>
public sealed class DashboardOptions
{
    /// <summary>The first-time-right norm in percent (Antwoord©: 80).</summary>
    public int FirstTimeRightNorm { get; set; } = 80;

    public const int DefaultMinimumQuestions = 20;

    /// <summary>
    /// A day, week or month with fewer questions than this shows "te weinig gegevens" in the charts, not a percentage:
    /// 1 of 2 is 50%, and says nothing.
    /// </summary>
    public int MinimumQuestions { get; set; } = DefaultMinimumQuestions;
}
