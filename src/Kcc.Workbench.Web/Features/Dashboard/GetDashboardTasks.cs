using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Routing.ServiceNorms;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Dashboard;

/// <summary>Which tasks behind a service-norm figure to list.</summary>
public enum TaskSet
{
    /// <summary>Completed in the period, on time or not.</summary>
    Afgerond = 1,

    /// <summary>Completed in the period after the promised date.</summary>
    TeLaatAfgerond = 2,

    /// <summary>Open and past the promised date now.</summary>
    NuTeLaat = 3,

    /// <summary>Open and due later today.</summary>
    VandaagUiterlijk = 4,
}

/// <summary>One task behind a service-norm figure: no question text or resident, the task page shows those to whoever may see them.</summary>
public sealed record DashboardTask(
    long TaskId, string Team, NormKind Kind, string Topic, Channel Channel, DateTime CreatedAt, DateTime DueAt, DateTime? CompletedAt)
{
    public bool? OnTime => CompletedAt is { } completed ? completed <= DueAt : null;
}

/// <summary>The tasks behind the service-norm figures, most overdue or latest completed first, paged.</summary>
public static class GetDashboardTasks
{
    public const int PageSize = 50;

    [AllowedFor(Roles.Teamleider, Roles.Beheerder)]
    public sealed record Query(DashboardFilter Filter, TaskSet Set, NormKind? Kind = null, int Page = 0) : IRequest<Response>;

    public sealed record Response(string? Message, int Total, IReadOnlyList<DashboardTask> Tasks, bool CanOpenTasks);

    public static string Label(this TaskSet set) => set switch
    {
        TaskSet.TeLaatAfgerond => "Taken die te laat klaar waren",
        TaskSet.NuTeLaat => "Open taken die nu te laat zijn",
        TaskSet.VandaagUiterlijk => "Open taken die vandaag klaar moeten zijn",
        _ => "Afgeronde taken",
    };

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, DashboardFacts facts, ICurrentUser currentUser, TimeProvider clock)
        : IRequestHandler<Query, Response>
    {
        public async Task<Response> Handle(Query request, CancellationToken cancellationToken)
        {
            var user = await currentUser.GetPrincipalAsync();
            // The task page is for the KCC's own roles; a beheerder sees the list without links.
            var canOpen = user.IsInRole(Roles.Teamleider);
            var problem = request.Filter is null ? "Kies een periode." : request.Filter.Problem()
                ?? (Enum.IsDefined(request.Set) ? null : "Kies welke taken u wilt zien.")
                ?? (request.Kind is { } kind && !Enum.IsDefined(kind) ? "Kies een soort servicenorm uit de lijst." : null);
            if (problem is not null)
            {
                return new Response(problem, 0, [], canOpen);
            }

            var filter = request.Filter!.ForViewer(canOpen, out var message);

            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var catalog = await DashboardCatalog.LoadAsync(db, cancellationToken);
            var moment = TaskMoment.At(clock.GetUtcNow().UtcTicks);
            var (total, page) = await facts.ReadAsync(snapshot =>
            {
                var scope = new DashboardScope(filter, catalog, snapshot);
                var selected = snapshot.Tasks.Where(t => scope.Matches(t) && (request.Kind is not { } k || t.Kind == k) && request.Set switch
                {
                    TaskSet.Afgerond => TaskMoment.CompletedIn(t, scope),
                    TaskSet.TeLaatAfgerond => TaskMoment.CompletedIn(t, scope) && !t.OnTime,
                    TaskSet.NuTeLaat => moment.Overdue(t),
                    _ => moment.DueToday(t),
                }).ToList();
                var ordered = request.Set is TaskSet.NuTeLaat or TaskSet.VandaagUiterlijk
                    ? selected.OrderBy(t => t.DueUtcTicks).ThenBy(t => t.TaskId)
                    : selected.OrderByDescending(t => t.CompletedUtcTicks).ThenByDescending(t => t.TaskId);
                return (selected.Count, ordered.Skip(Math.Clamp(request.Page, 0, 100_000) * PageSize).Take(PageSize).ToList());
            }, cancellationToken);

            return new Response(message, total, page.Select(t => new DashboardTask(
                t.TaskId, catalog.TeamName(t.TeamId), t.Kind, catalog.TopicName(t.TopicId), t.Channel,
                new DateTime(t.CreatedUtcTicks, DateTimeKind.Utc), new DateTime(t.DueUtcTicks, DateTimeKind.Utc),
                t.IsOpen ? null : new DateTime(t.CompletedUtcTicks, DateTimeKind.Utc))).ToList(), canOpen);
        }
    }
}
