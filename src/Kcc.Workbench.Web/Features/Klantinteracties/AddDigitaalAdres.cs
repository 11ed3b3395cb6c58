using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Klantinteracties;

/// <summary>
/// POST /digitaleadressen: a phone number or e-mail address a resident gave, kept on their party (the betrokkene's, or
/// the partij named). The same address again is the existing one (200); another one is added beside it, as the party
/// form keeps up to 10 of each kind (201, audited, the party's version moves so an open edit form does not silently
/// drop it). Checked with the party form's rules. Given through the betrokkene of an anonymous contact it is answered
/// as sent but not kept: we keep addresses on parties only.
/// </summary>
public static class AddDigitaalAdres
{
    public const int MaxPerKind = 10;

    [AllowedFor(Roles.Frontoffice, Roles.Backoffice)]
    public sealed record Command : IRequest<Result<KiWritten>>
    {
        public KiRef? VerstrektDoorBetrokkene { get; init; }

        public KiRef? VerstrektDoorPartij { get; init; }

        [JsonRequired]
        public string Adres { get; init; } = "";

        [JsonRequired]
        public string SoortDigitaalAdres { get; init; } = "";

        /// <summary>Accepted; we label addresses by their kind ("E-mail", "Telefoon").</summary>
        public string? Omschrijving { get; init; }

        /// <summary>Accepted; every address of ours reads back as not the standard one.</summary>
        public bool? IsStandaardAdres { get; init; }
    }

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, Audit.IAuditLog audit) : IRequestHandler<Command, Result<KiWritten>>
    {
        public async Task<Result<KiWritten>> Handle(Command request, CancellationToken cancellationToken)
        {
            ContactDetailKind kind;
            string? normalized;
            switch (request.SoortDigitaalAdres)
            {
                case "email":
                    kind = ContactDetailKind.Email;
                    normalized = request.Adres.Length <= PartyLimits.ContactValue ? Identifiers.NormalizeEmail(request.Adres) : null;
                    if (normalized is null)
                    {
                        return Result<KiWritten>.Fail("adres", "Dit e-mailadres klopt niet. Gebruik bijvoorbeeld naam@voorbeeld.nl.");
                    }

                    break;
                case "telefoonnummer":
                    kind = ContactDetailKind.Phone;
                    normalized = Identifiers.NormalizePhone(request.Adres);
                    if (normalized is null)
                    {
                        return Result<KiWritten>.Fail("adres", "Dit telefoonnummer klopt niet. Gebruik bijvoorbeeld 06 1234 5678 of +31 20 123 4567.");
                    }

                    break;
                default:
                    return Result<KiWritten>.Fail("soortDigitaalAdres", "Wij bewaren alleen e-mailadressen en telefoonnummers: kies email of telefoonnummer.");
            }

            var user = await currentUser.GetPrincipalAsync();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            int partyId;
            if (request.VerstrektDoorBetrokkene is { } betrokkene)
            {
                var store = new KiStore(db, ContactAccess.For(user));
                var questionId = KiIds.TryRead(betrokkene.Uuid, KiIds.Betrokkene, out var q) ? q : -1;
                var question = await store.VisibleQuestions.Where(x => x.Id == questionId).Select(x => new { x.Id, x.Contact!.PartyId }).FirstOrDefaultAsync(cancellationToken);
                if (question is null)
                {
                    return Result<KiWritten>.Fail("verstrektDoorBetrokkene.uuid", "Deze betrokkene bestaat hier niet.");
                }

                if (question.PartyId is null)
                {
                    var anonymous = KiIds.For(KiIds.DigitaalAdresNietBewaard, question.Id);
                    return Result<KiWritten>.Ok(new KiWritten(anonymous, true, baseUrl => new KiMapping(baseUrl).UnkeptDigitaalAdres(anonymous, question.Id, request.Adres.Trim(), request.SoortDigitaalAdres, request.Omschrijving)));
                }

                if (request.VerstrektDoorPartij is { } partij && partij.Uuid != KiIds.For(KiIds.Partij, question.PartyId.Value))
                {
                    return Result<KiWritten>.Fail("verstrektDoorPartij.uuid", "Deze partij is niet de partij van de betrokkene.");
                }

                partyId = question.PartyId.Value;
            }
            else if (request.VerstrektDoorPartij is { } partij)
            {
                partyId = KiIds.TryReadInt(partij.Uuid, KiIds.Partij, out var p) ? p : -1;
            }
            else
            {
                return Result<KiWritten>.Fail("verstrektDoorPartij", "Geef de partij of de betrokkene die dit adres gaf.");
            }

            var party = await db.Parties.Include(x => x.ContactDetails).FirstOrDefaultAsync(x => x.Id == partyId && x.AnonymisedAt == null, cancellationToken);
            if (party is null)
            {
                return Result<KiWritten>.Fail("verstrektDoorPartij.uuid", "Deze partij bestaat hier niet. Zoek de partij op via /partijen.");
            }

            if (party.ContactDetails.FirstOrDefault(d => d.Kind == kind && d.NormalizedValue == normalized) is { } existing)
            {
                return Result<KiWritten>.Ok(new KiWritten(KiIds.For(KiIds.DigitaalAdres, existing.Id), false));
            }

            if (party.ContactDetails.Count(d => d.Kind == kind) >= MaxPerKind)
            {
                return Result<KiWritten>.Fail("adres", kind == ContactDetailKind.Email ? "Deze partij heeft al 10 e-mailadressen." : "Deze partij heeft al 10 telefoonnummers.");
            }

            var detail = new PartyContactDetail { Kind = kind, Value = request.Adres.Trim(), NormalizedValue = normalized };
            party.ContactDetails.Add(detail);
            party.Version++;
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            audit.Record(db, user, "betrokkene.gewijzigd", "Party", party.Id.ToString(DutchFormat.Culture),
                "Gewijzigd: " + (kind == ContactDetailKind.Email ? "e-mailadressen" : "telefoonnummers") + " (via de Klantinteracties API)");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Result<KiWritten>.Ok(new KiWritten(KiIds.For(KiIds.DigitaalAdres, detail.Id), true));
        }
    }
}
