using System.Text.Json.Serialization;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Klantinteracties;

public sealed record PartijIdentificatorInput
{
    public string? CodeObjecttype { get; init; }

    [JsonRequired]
    public string CodeSoortObjectId { get; init; } = "";

    [JsonRequired]
    public string ObjectId { get; init; } = "";

    public string? CodeRegister { get; init; }
}

public sealed record PartijIdentificatorItem
{
    [JsonRequired]
    public PartijIdentificatorInput PartijIdentificator { get; init; } = new();

    /// <summary>Accepted when empty (deprecated in the standard).</summary>
    public string? AnderePartijIdentificator { get; init; }
}

public sealed record PartijIdentificatieInput
{
    /// <summary>A persoon's name.</summary>
    public ContactnaamInput? Contactnaam { get; init; }

    /// <summary>An organisatie's name.</summary>
    public string? Naam { get; init; }

    /// <summary>Read-only in the standard; accepted and ignored (we compose it from the name).</summary>
    public string? VolledigeNaam { get; init; }
}

/// <summary>
/// POST /partijen: a resident (persoon, with partijIdentificatie.contactnaam) or an organisation (organisatie, with
/// naam) that the KCC logs a contact for and that is not here yet, registered through <see cref="CreateParty"/> (same
/// rules, audit, BSN check). BSN, KVK-nummer or vestigingsnummer may come inline in partijIdentificatoren. Members of
/// the standard we do not keep are accepted only when empty (lists, preferences), as KISS sends them.
/// </summary>
public static class CreatePartij
{
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice)]
    public sealed record Command : IRequest<Result<KiWritten>>
    {
        [JsonRequired]
        public string SoortPartij { get; init; } = "";

        public PartijIdentificatieInput? PartijIdentificatie { get; init; }

        public IReadOnlyList<PartijIdentificatorItem>? PartijIdentificatoren { get; init; }

        public bool? IndicatieActief { get; init; }

        public bool? IndicatieGeheimhouding { get; init; }

        public string? Voorkeurstaal { get; init; }

        public string? InterneNotitie { get; init; }

        public IReadOnlyList<KiRef>? DigitaleAdressen { get; init; }

        public KiRef? VoorkeursDigitaalAdres { get; init; }

        public IReadOnlyList<KiRef>? Rekeningnummers { get; init; }

        public KiRef? VoorkeursRekeningnummer { get; init; }
    }

    internal sealed class Handler(IMediator mediator) : IRequestHandler<Command, Result<KiWritten>>
    {
        private static readonly string[] NotKept = ["Dit bewaren wij niet bij een partij. Laat het leeg; digitale adressen gaan via POST /digitaleadressen."];

        public async Task<Result<KiWritten>> Handle(Command request, CancellationToken cancellationToken)
        {
            var kind = request.SoortPartij switch { "persoon" => PartyKind.Person, "organisatie" => PartyKind.Organisation, _ => (PartyKind?)null };
            if (kind is null)
            {
                return Result<KiWritten>.Fail("soortPartij", "Kies persoon of organisatie; een contactpersoon leggen wij niet vast.");
            }

            var unkept = new (bool Given, string Field)[]
            {
                (request.DigitaleAdressen is { Count: > 0 }, "digitaleAdressen"),
                (request.VoorkeursDigitaalAdres is not null, "voorkeursDigitaalAdres"),
                (request.Rekeningnummers is { Count: > 0 }, "rekeningnummers"),
                (request.VoorkeursRekeningnummer is not null, "voorkeursRekeningnummer"),
                (!string.IsNullOrWhiteSpace(request.InterneNotitie), "interneNotitie"),
                (request.IndicatieActief == false, "indicatieActief"),
            }.Where(u => u.Given).Select(u => u.Field).ToList();
            if (unkept.Count > 0)
            {
                return Result<KiWritten>.Fail(unkept.ToDictionary(f => f, _ => NotKept));
            }

            string? bsn = null, kvk = null, branch = null;
            var items = request.PartijIdentificatoren ?? [];
            for (var i = 0; i < items.Count; i++)
            {
                var identificator = items[i].PartijIdentificator;
                switch (identificator.CodeSoortObjectId)
                {
                    case "bsn" when kind == PartyKind.Person:
                        bsn = identificator.ObjectId;
                        break;
                    case "kvk_nummer" when kind == PartyKind.Organisation:
                        kvk = identificator.ObjectId;
                        break;
                    case "vestigingsnummer" when kind == PartyKind.Organisation:
                        branch = identificator.ObjectId;
                        break;
                    default:
                        return Result<KiWritten>.Fail($"partijIdentificatoren[{i}].partijIdentificator.codeSoortObjectId",
                            "Een persoon heeft hier een BSN (bsn), een organisatie een KVK-nummer (kvk_nummer) of vestigingsnummer (vestigingsnummer).");
                }
            }

            var name = request.PartijIdentificatie;
            var result = await mediator.Send(new CreateParty.Command
            {
                Kind = kind.Value,
                FirstNames = Blank(name?.Contactnaam?.Voornaam) ?? Blank(name?.Contactnaam?.Voorletters),
                Prefix = Blank(name?.Contactnaam?.VoorvoegselAchternaam),
                LastName = Blank(name?.Contactnaam?.Achternaam),
                OrganisationName = Blank(name?.Naam),
                Bsn = bsn,
                KvkNumber = kvk,
                BranchNumber = branch,
            }, cancellationToken);
            if (!result.Succeeded)
            {
                var index = items.Select((item, i) => (item, i)).GroupBy(x => x.item.PartijIdentificator.CodeSoortObjectId).ToDictionary(g => g.Key, g => g.Last().i);
                return Result<KiWritten>.Fail(result.Errors.ToDictionary(e => e.Key switch
                {
                    DatabaseFault.ErrorKey => e.Key,
                    nameof(CreateParty.Command.LastName) => "partijIdentificatie.contactnaam.achternaam",
                    nameof(CreateParty.Command.FirstNames) => "partijIdentificatie.contactnaam.voornaam",
                    nameof(CreateParty.Command.Prefix) => "partijIdentificatie.contactnaam.voorvoegselAchternaam",
                    nameof(CreateParty.Command.OrganisationName) => "partijIdentificatie.naam",
                    nameof(CreateParty.Command.Bsn) => $"partijIdentificatoren[{index.GetValueOrDefault("bsn")}].partijIdentificator.objectId",
                    nameof(CreateParty.Command.KvkNumber) => $"partijIdentificatoren[{index.GetValueOrDefault("kvk_nummer")}].partijIdentificator.objectId",
                    nameof(CreateParty.Command.BranchNumber) => $"partijIdentificatoren[{index.GetValueOrDefault("vestigingsnummer")}].partijIdentificator.objectId",
                    _ => "soortPartij",
                }, e => e.Value));
            }

            return Result<KiWritten>.Ok(new KiWritten(KiIds.For(KiIds.Partij, result.Value), true));
        }

        private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}

/// <summary>
/// POST /partij-identificatoren: the BSN of a persoon, or the KVK-nummer or vestigingsnummer of an organisatie, that
/// KISS adds after creating the partij. The value it already has is the existing identificator (200); a party with
/// another value keeps it (400); a BSN must pass the elfproef and belong to no other party (400 naming objectId).
/// </summary>
public static class AddPartijIdentificator
{
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice)]
    public sealed record Command : IRequest<Result<KiWritten>>
    {
        [JsonRequired]
        public KiRef IdentificeerdePartij { get; init; } = new();

        [JsonRequired]
        public PartijIdentificatorInput PartijIdentificator { get; init; } = new();

        /// <summary>Accepted when empty (deprecated in the standard).</summary>
        public string? AnderePartijIdentificator { get; init; }

        /// <summary>Accepted; a vestigingsnummer belongs to the party's own KVK-nummer here.</summary>
        public KiRef? SubIdentificatorVan { get; init; }
    }

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, Audit.IAuditLog audit) : IRequestHandler<Command, Result<KiWritten>>
    {
        private const string ObjectId = "partijIdentificator.objectId";

        public async Task<Result<KiWritten>> Handle(Command request, CancellationToken cancellationToken)
        {
            var soort = request.PartijIdentificator.CodeSoortObjectId;
            var value = Identifiers.DigitsOnly(request.PartijIdentificator.ObjectId);
            var (kind, idKind, valid, words) = soort switch
            {
                "bsn" => (PartyKind.Person, KiIds.Bsn, Identifiers.IsValidBsn(value), "BSN"),
                "kvk_nummer" => (PartyKind.Organisation, KiIds.KvkNummer, Identifiers.IsValidKvkNumber(value), "KVK-nummer"),
                "vestigingsnummer" => (PartyKind.Organisation, KiIds.Vestigingsnummer, Identifiers.IsValidBranchNumber(value), "vestigingsnummer"),
                _ => (PartyKind.Person, "", false, ""),
            };
            if (idKind.Length == 0)
            {
                return Result<KiWritten>.Fail("partijIdentificator.codeSoortObjectId", "Wij bewaren een BSN (bsn), KVK-nummer (kvk_nummer) of vestigingsnummer (vestigingsnummer).");
            }

            if (!valid)
            {
                return Result<KiWritten>.Fail(ObjectId, soort switch
                {
                    "bsn" => "BSN klopt niet (elfproef). Controleer de 9 cijfers.",
                    "kvk_nummer" => "Een KVK-nummer heeft 8 cijfers.",
                    _ => "Een vestigingsnummer heeft 12 cijfers.",
                });
            }

            var user = await currentUser.GetPrincipalAsync();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            // As CreateParty: the BSN check and the write share one serializable transaction.
            await using var transaction = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
            var partyId = KiIds.TryReadInt(request.IdentificeerdePartij.Uuid, KiIds.Partij, out var p) ? p : -1;
            var party = await db.Parties.FirstOrDefaultAsync(x => x.Id == partyId && x.AnonymisedAt == null, cancellationToken);
            if (party is null)
            {
                return Result<KiWritten>.Fail("identificeerdePartij.uuid", "Deze partij bestaat hier niet. Zoek de partij op via /partijen.");
            }

            if (party.Kind != kind)
            {
                return Result<KiWritten>.Fail("partijIdentificator.codeSoortObjectId", kind == PartyKind.Person ? "Alleen een persoon heeft hier een BSN." : $"Alleen een organisatie heeft hier een {words}.");
            }

            var current = soort switch { "bsn" => party.Bsn, "kvk_nummer" => party.KvkNumber, _ => party.BranchNumber };
            var uuid = KiIds.For(idKind, party.Id);
            if (current == value)
            {
                return Result<KiWritten>.Ok(new KiWritten(uuid, false));
            }

            if (current is not null)
            {
                return Result<KiWritten>.Fail(ObjectId, $"Deze partij heeft al een ander {words}; dat wijzigt u in de werkplek.");
            }

            if (soort == "bsn" && await db.Parties.AnyAsync(x => x.Bsn == value, cancellationToken))
            {
                return Result<KiWritten>.Fail(ObjectId, "Er is al een andere partij met dit BSN. Zoek op het BSN en gebruik die partij.");
            }

            switch (soort)
            {
                case "bsn":
                    party.Bsn = value;
                    break;
                case "kvk_nummer":
                    party.KvkNumber = value;
                    break;
                default:
                    party.BranchNumber = value;
                    break;
            }

            party.Version++;
            audit.Record(db, user, "betrokkene.gewijzigd", "Party", party.Id.ToString(DutchFormat.Culture), $"Gewijzigd: {words} (via de Klantinteracties API)");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Result<KiWritten>.Ok(new KiWritten(uuid, true));
        }
    }
}
