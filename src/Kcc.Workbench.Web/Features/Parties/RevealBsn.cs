using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Audit;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Parties;

/// <summary>
/// The BSN is masked everywhere (•••••1234); "Toon BSN" shows the whole number to one employee, and the audit log
/// records who saw it, in the same transaction.
/// </summary>
public static class RevealBsn
{
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice, Roles.Teamleider, Roles.Beheerder)]
    public sealed record Query(int PartyId) : IRequest<string?>;

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, IAuditLog audit) : IRequestHandler<Query, string?>
    {
        public async Task<string?> Handle(Query request, CancellationToken cancellationToken)
        {
            var user = await currentUser.GetPrincipalAsync();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var bsn = await db.Parties.Where(p => p.Id == request.PartyId).Select(p => p.Bsn).FirstOrDefaultAsync(cancellationToken);
            if (bsn is null)
            {
                return null;
            }

            audit.Record(db, user.RequireUserId(), user.DisplayName(), "bsn.getoond", "Party", request.PartyId.ToString(DutchFormat.Culture), "BSN getoond");
            await db.SaveChangesAsync(cancellationToken);
            return bsn;
        }
    }
}
