using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Audit;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Parties;

/// <summary>
/// AVG: who looked at a resident's personal data is on record, once per view. Reading the data (a query) does not
/// write the entry, because a page reads it several times per view (prerender, the interactive render, reloads after
/// an action); the page sends this once, when it is shown interactively, for the party it shows. A Result, so a database
/// that refuses writes (see DatabaseFaultBehavior) does not break the page: the refusal is logged, the data stays readable.
/// </summary>
public static class RecordPartyView
{
    public enum Purpose
    {
        /// <summary>The klantbeeld (on its own page or beside a task or a new contact).</summary>
        Klantbeeld,

        /// <summary>The form to correct the party's details.</summary>
        Wijzigen,
    }

    [AllowedFor(Roles.Frontoffice, Roles.Backoffice, Roles.Teamleider, Roles.Beheerder)]
    public sealed record Command(int PartyId, Purpose Purpose = Purpose.Klantbeeld) : IRequest<Result>;

    public const string KlantbeeldSummary = "Klantbeeld bekeken";

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, IAuditLog audit) : IRequestHandler<Command, Result>
    {
        public async Task<Result> Handle(Command request, CancellationToken cancellationToken)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            if (!await db.Parties.AnyAsync(p => p.Id == request.PartyId, cancellationToken))
            {
                return Result.Ok();
            }

            audit.Record(db, await currentUser.GetPrincipalAsync(), "betrokkene.bekeken", AuditSubjects.Party, request.PartyId.ToString(DutchFormat.Culture),
                request.Purpose == Purpose.Wijzigen ? "Gegevens geopend om te wijzigen" : KlantbeeldSummary);
            await db.SaveChangesAsync(cancellationToken);
            return Result.Ok();
        }
    }
}
