using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Klantinteracties;

/// <summary>
/// What a POST of the Klantinteracties API wrote: the uuid to read back, whether it is new (201) or already there (200),
/// and, for a betrokkene we do not keep (an anonymous one), the body to answer with instead of a read.
/// </summary>
public sealed record KiWritten(Guid Uuid, bool Created, Func<string, JsonObject>? Transient = null);

/// <summary>
/// POST /betrokkenen: the party of a klantcontact, as KISS writes it after the klantcontact. Our party belongs to the
/// whole contact, so a contact without one gets it (all its questions, audited); the same party again is the existing
/// betrokkene (200); another party than the contact has is refused. Without wasPartij (an anonymous resident) we keep
/// nothing: the answer shows the betrokkene as sent, and reads show none, as for every anonymous contact.
/// </summary>
public static class LinkBetrokkene
{
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice)]
    public sealed record Command : IRequest<Result<KiWritten>>
    {
        [JsonRequired]
        public KiRef HadKlantcontact { get; init; } = new();

        public KiRef? WasPartij { get; init; }

        [JsonRequired]
        public string Rol { get; init; } = "";

        [JsonRequired]
        public bool Initiator { get; init; }

        public string? Organisatienaam { get; init; }

        /// <summary>Accepted for compatibility with KISS; the name we show is the party's.</summary>
        public ContactnaamInput? Contactnaam { get; init; }
    }

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, Audit.IAuditLog audit) : IRequestHandler<Command, Result<KiWritten>>
    {
        public async Task<Result<KiWritten>> Handle(Command request, CancellationToken cancellationToken)
        {
            if (request.Rol is not ("klant" or "vertegenwoordiger"))
            {
                return Result<KiWritten>.Fail("rol", "Kies klant of vertegenwoordiger.");
            }

            var user = await currentUser.GetPrincipalAsync();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var store = new KiStore(db, ContactAccess.For(user));
            var questionId = KiIds.TryRead(request.HadKlantcontact.Uuid, KiIds.Klantcontact, out var q) ? q : -1;
            var question = await store.VisibleQuestions.Where(x => x.Id == questionId)
                .Select(x => new { x.Id, x.ContactId, x.Contact!.PartyId }).FirstOrDefaultAsync(cancellationToken);
            if (question is null)
            {
                return Result<KiWritten>.Fail("hadKlantcontact.uuid", "Dit klantcontact bestaat hier niet.");
            }

            var uuid = KiIds.For(KiIds.Betrokkene, question.Id);
            if (request.WasPartij is null)
            {
                return question.PartyId is null
                    ? Result<KiWritten>.Ok(new KiWritten(uuid, true, baseUrl => new KiMapping(baseUrl).AnonymousBetrokkene(question.Id, request.Rol, request.Initiator, request.Organisatienaam, request.Contactnaam)))
                    : Result<KiWritten>.Ok(new KiWritten(uuid, false));
            }

            var partyId = KiIds.TryReadInt(request.WasPartij.Uuid, KiIds.Partij, out var p) ? p : -1;
            if (!await db.Parties.AnyAsync(x => x.Id == partyId && x.AnonymisedAt == null, cancellationToken))
            {
                return Result<KiWritten>.Fail("wasPartij.uuid", "Deze partij bestaat hier niet. Zoek de partij op via /partijen.");
            }

            if (question.PartyId == partyId)
            {
                return Result<KiWritten>.Ok(new KiWritten(uuid, false));
            }

            if (question.PartyId is not null)
            {
                return Result<KiWritten>.Fail("wasPartij", "Dit klantcontact hoort al bij een andere partij; een klantcontact heeft hier één partij.");
            }

            // Only a contact that has no party yet gets one: the condition in the statement keeps two writers from both linking.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var linked = await db.Contacts.Where(c => c.Id == question.ContactId && c.PartyId == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.PartyId, partyId), cancellationToken);
            if (linked == 0)
            {
                return Result<KiWritten>.Fail("wasPartij", "Dit klantcontact hoort al bij een andere partij; een klantcontact heeft hier één partij.");
            }

            audit.Record(db, user, "contact.inwonergekoppeld", "Contact", question.ContactId.ToString(DutchFormat.Culture),
                $"Inwoner {partyId.ToString(DutchFormat.Culture)} gekoppeld via de Klantinteracties API");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Result<KiWritten>.Ok(new KiWritten(uuid, true));
        }
    }
}
