using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Routing;

/// <summary>Sets the team for a topic's routed questions; no team removes the rule (the topic's own team applies again).</summary>
public static class SetRoutingRule
{
    [AllowedFor(Roles.Beheerder)]
    public sealed record Command(int TopicId, int? TeamId) : IRequest<Result>;

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, TimeProvider clock) : IRequestHandler<Command, Result>
    {
        public async Task<Result> Handle(Command request, CancellationToken cancellationToken)
        {
            var user = await currentUser.GetPrincipalAsync();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            if (!await db.Topics.AnyAsync(t => t.Id == request.TopicId, cancellationToken))
            {
                return Result.Fail(nameof(Command.TopicId), "Dit onderwerp bestaat niet.");
            }

            if (request.TeamId is not { } teamId)
            {
                await db.RoutingRules.Where(r => r.TopicId == request.TopicId).ExecuteDeleteAsync(cancellationToken);
                return Result.Ok();
            }

            if (!await db.Teams.AnyAsync(t => t.Id == teamId && t.IsActive, cancellationToken))
            {
                return Result.Fail(nameof(Command.TeamId), "Dit team bestaat niet (meer). Kies een ander team.");
            }

            var rule = await db.RoutingRules.FirstOrDefaultAsync(r => r.TopicId == request.TopicId, cancellationToken);
            if (rule is null)
            {
                rule = new RoutingRule { TopicId = request.TopicId };
                db.RoutingRules.Add(rule);
            }

            rule.TeamId = teamId;
            rule.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            rule.UpdatedByName = user.DisplayName();
            await db.SaveChangesAsync(cancellationToken);
            return Result.Ok();
        }
    }
}
