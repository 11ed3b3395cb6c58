using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kcc.Workbench.Web.Features.Dashboard;

/// <summary>Which questions behind a figure to list.</summary>
public enum QuestionSet
{
    Alle = 1,

    /// <summary>Verified first time right.</summary>
    Goed = 2,

    /// <summary>Verifiable, but not first time right (not registered right, or undone by a repeat contact).</summary>
    NietGoed = 3,

    /// <summary>Registered right, undone by a repeat contact within the window.</summary>
    Herhaald = 4,

    /// <summary>Anonymous: cannot be verified.</summary>
    NietTeVerifieren = 5,

    /// <summary>An internal task was created.</summary>
    Doorgezet = 6,
}

/// <summary>One question behind a figure, without personal data: the contact page behind the link shows the rest to whoever may see it.</summary>
public sealed record DashboardQuestion(
    long QuestionId,
    long ContactId,
    DateTime StartedAt,
    Channel Channel,
    string Topic,
    string Team,
    string? Agent,
    Outcome Outcome,
    bool Routed,
    bool RegisteredRight,
    Verdict Verdict,
    long? RepeatContactId,
    DateTime? RepeatStartedAt,
    int HandlingSeconds);

/// <summary>The questions behind a dashboard figure, newest first: paged for the screen, all of them for the CSV export.</summary>
public static class GetDashboardQuestions
{
    public const int PageSize = 50;

    [AllowedFor(Roles.Teamleider, Roles.Beheerder)]
    public sealed record Query(DashboardFilter Filter, QuestionSet Set = QuestionSet.Alle, int Page = 0) : IRequest<Response>;

    /// <summary>Every matching question, oldest first, for the CSV export (streamed by the caller).</summary>
    [AllowedFor(Roles.Teamleider, Roles.Beheerder)]
    public sealed record All(DashboardFilter Filter, QuestionSet Set = QuestionSet.Alle) : IRequest<AllResponse>;

    public sealed record Response(string? Message, int Total, IReadOnlyList<DashboardQuestion> Questions, bool ShowsAgents, int RepeatWindowDays);

    public sealed record AllResponse(string? Message, IReadOnlyList<DashboardQuestion> Questions, bool ShowsAgents);

    public static string Label(this QuestionSet set) => set switch
    {
        QuestionSet.Goed => "In één keer goed",
        QuestionSet.NietGoed => "Niet in één keer goed",
        QuestionSet.Herhaald => "Herhaalcontact binnen termijn",
        QuestionSet.NietTeVerifieren => "Niet te verifiëren (anoniem)",
        QuestionSet.Doorgezet => "Doorgezet naar de backoffice",
        _ => "Alle vragen",
    };

    internal sealed class Handler(
        IDbContextFactory<KccDbContext> dbFactory,
        DashboardFacts facts,
        ICurrentUser currentUser,
        IOptionsMonitor<ContactOptions> contactOptions)
        : IRequestHandler<Query, Response>, IRequestHandler<All, AllResponse>
    {
        public async Task<Response> Handle(Query request, CancellationToken cancellationToken)
        {
            var (message, showsAgents, matches) = await SelectAsync(request.Filter, request.Set, page: Math.Clamp(request.Page, 0, 100_000), cancellationToken);
            return new Response(message, matches.Total, matches.Rows, showsAgents, contactOptions.CurrentValue.RepeatWindowDays);
        }

        public async Task<AllResponse> Handle(All request, CancellationToken cancellationToken)
        {
            var (message, showsAgents, matches) = await SelectAsync(request.Filter, request.Set, page: null, cancellationToken);
            return new AllResponse(message, matches.Rows, showsAgents);
        }

        private async Task<(string? Message, bool ShowsAgents, (int Total, List<DashboardQuestion> Rows) Matches)> SelectAsync(
            DashboardFilter filter, QuestionSet set, int? page, CancellationToken cancellationToken)
        {
            var user = await currentUser.GetPrincipalAsync();
            var showsAgents = user.IsInRole(Roles.Teamleider);
            if (filter is null)
            {
                return ("Kies een periode.", showsAgents, (0, []));
            }

            if (filter.Problem() is { } problem)
            {
                return (problem, showsAgents, (0, []));
            }

            if (!Enum.IsDefined(set))
            {
                return ("Kies welke vragen u wilt zien.", showsAgents, (0, []));
            }

            filter = filter.ForViewer(showsAgents, out var message);

            var windowTicks = TimeSpan.FromDays(contactOptions.CurrentValue.RepeatWindowDays).Ticks;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var catalog = await DashboardCatalog.LoadAsync(db, cancellationToken);
            var matches = await facts.ReadAsync(snapshot =>
            {
                var scope = new DashboardScope(filter, catalog, snapshot);
                var selected = new List<int>();
                var rows = snapshot.Questions;
                for (var i = 0; i < rows.Length; i++)
                {
                    if (scope.Matches(rows[i]) && InSet(rows[i], snapshot, set, windowTicks))
                    {
                        selected.Add(i);
                    }
                }

                IEnumerable<int> chosen = page is { } p
                    ? selected.OrderByDescending(i => snapshot.Row(i).StartedUtcTicks).ThenByDescending(i => i).Skip(p * PageSize).Take(PageSize)
                    : selected.OrderBy(i => snapshot.Row(i).StartedUtcTicks).ThenBy(i => i);
                return (selected.Count, chosen.Select(i => ToView(snapshot, catalog, i, windowTicks, showsAgents)).ToList());
            }, cancellationToken);
            return (message, showsAgents, matches);
        }

        private static bool InSet(in QuestionFact row, DashboardFacts.Snapshot facts, QuestionSet set, long windowTicks) => set switch
        {
            QuestionSet.Doorgezet => row.IsRouted,
            QuestionSet.Alle => true,
            _ => FirstTimeRight.Verify(row, facts, windowTicks) switch
            {
                Verdict.Goed => set == QuestionSet.Goed,
                Verdict.Herhaald => set is QuestionSet.Herhaald or QuestionSet.NietGoed,
                Verdict.NietGoed => set == QuestionSet.NietGoed,
                _ => set == QuestionSet.NietTeVerifieren,
            },
        };

        private static DashboardQuestion ToView(DashboardFacts.Snapshot facts, DashboardCatalog catalog, int index, long windowTicks, bool showsAgents)
        {
            ref readonly var row = ref facts.Row(index);
            var verdict = FirstTimeRight.Verify(row, facts, windowTicks);
            var repeat = FirstTimeRight.RepeatWithin(row, facts, windowTicks);
            return new DashboardQuestion(
                row.QuestionId,
                row.ContactId,
                new DateTime(row.StartedUtcTicks, DateTimeKind.Utc),
                row.Channel,
                catalog.TopicName(row.TopicId),
                catalog.TeamName(catalog.TeamOf(row)),
                showsAgents ? facts.Agent(row.AgentIndex).Name : null,
                row.Outcome,
                row.IsRouted,
                FirstTimeRight.IsRegisteredRight(row),
                verdict,
                repeat >= 0 ? facts.Row(repeat).ContactId : null,
                repeat >= 0 ? new DateTime(facts.Row(repeat).StartedUtcTicks, DateTimeKind.Utc) : null,
                row.HandlingSeconds);
        }
    }
}
