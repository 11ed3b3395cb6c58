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

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, TimeProvider clock, Audit.IAuditLog audit)
        : IRequestHandler<Command, Result>
    {
        public async Task<Result> Handle(Command request, CancellationToken cancellationToken)
        {
            var user = await currentUser.GetPrincipalAsync();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var topic = await db.Topics.Where(t => t.Id == request.TopicId).Select(t => t.Name).FirstOrDefaultAsync(cancellationToken);
            if (topic is null)
            {
                return Result.Fail(nameof(Command.TopicId), "Dit onderwerp bestaat niet.");
            }

            var rule = await db.RoutingRules.FirstOrDefaultAsync(r => r.TopicId == request.TopicId, cancellationToken);
            var before = rule is null ? "geen regel" : await db.Teams.Where(t => t.Id == rule.TeamId).Select(t => t.Name).FirstAsync(cancellationToken);
            var auditId = request.TopicId.ToString(DutchFormat.Culture);
            if (request.TeamId is not { } teamId)
            {
                if (rule is not null)
                {
                    db.RoutingRules.Remove(rule);
                    audit.Record(db, user, "routeringsregel.verwijderd", "RoutingRule", auditId, $"{topic}: {before} → geen regel");
                    await db.SaveChangesAsync(cancellationToken);
                }

                return Result.Ok();
            }

            var team = await db.Teams.Where(t => t.Id == teamId && t.IsActive).Select(t => t.Name).FirstOrDefaultAsync(cancellationToken);
            if (team is null)
            {
                return Result.Fail(nameof(Command.TeamId), "Dit team bestaat niet (meer). Kies een ander team.");
            }

            if (rule is null)
            {
                rule = new RoutingRule { TopicId = request.TopicId };
                db.RoutingRules.Add(rule);
            }

            rule.TeamId = teamId;
            rule.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            rule.UpdatedByName = user.DisplayName();
            audit.Record(db, user, "routeringsregel.gewijzigd", "RoutingRule", auditId, $"{topic}: {before} → {team}");
            await db.SaveChangesAsync(cancellationToken);
            return Result.Ok();
        }
    }
}
