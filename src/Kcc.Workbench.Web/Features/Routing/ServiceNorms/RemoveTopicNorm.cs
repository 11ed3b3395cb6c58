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

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory) : IRequestHandler<Command, Result>
    {
        public async Task<Result> Handle(Command request, CancellationToken cancellationToken)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.ServiceNorms.Where(n => n.TopicId == request.TopicId).ExecuteDeleteAsync(cancellationToken);
            return Result.Ok();
        }
    }
}
