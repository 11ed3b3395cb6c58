using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Routing.ServiceNorms;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Routing;

/// <summary>
/// What the agent sees while filling in the routing fields: the team of the routing rule for the topic and the date
/// to promise the resident ("Beloofd: uiterlijk do 26 nov 2026 17:00"), computed as saving now would compute it.
/// </summary>
public static class PreviewRouting
{
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice, Roles.Teamleider)]
    public sealed record Query(int TopicId, RequestedAction Action, Channel Channel) : IRequest<Response>;

    public sealed record Response(TeamSuggestion Team, PromisedDate Promise);

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, PromisedDates promisedDates, TimeProvider clock) : IRequestHandler<Query, Response>
    {
        public async Task<Response> Handle(Query request, CancellationToken cancellationToken)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var team = await RoutingRules.SuggestAsync(db, request.TopicId, cancellationToken);
            var promise = await promisedDates.ForAsync(db, request.Action, request.Channel, request.TopicId, clock.GetUtcNow().UtcDateTime, cancellationToken);
            return new Response(team, promise);
        }
    }
}
