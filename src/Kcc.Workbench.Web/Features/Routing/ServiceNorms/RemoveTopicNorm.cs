using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Routing.ServiceNorms;

/// <summary>Drops a topic's own term: its routed questions get the default term again.</summary>
public static class RemoveTopicNorm
{
    [AllowedFor(Roles.Beheerder)]
    public sealed record Command(int TopicId) : IRequest<Result>;

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, Audit.IAuditLog audit) : IRequestHandler<Command, Result>
    {
        public async Task<Result> Handle(Command request, CancellationToken cancellationToken)
        {
            var user = await currentUser.GetPrincipalAsync();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var norms = await db.ServiceNorms.Where(n => n.TopicId == request.TopicId).Include(n => n.Topic).ToListAsync(cancellationToken);
            if (norms.Count == 0)
            {
                return Result.Ok();
            }

            foreach (var norm in norms)
            {
                audit.Record(db, user, "servicenorm.verwijderd", "ServiceNorm", SaveServiceNorm.AuditId(norm.Kind, norm.TopicId),
                    $"{norm.Kind.Label()} ({norm.Topic!.Name}): {NormKinds.Term(norm.Amount, norm.Unit)} → standaardtermijn");
            }

            db.ServiceNorms.RemoveRange(norms);
            await db.SaveChangesAsync(cancellationToken);
            return Result.Ok();
        }
    }
}
