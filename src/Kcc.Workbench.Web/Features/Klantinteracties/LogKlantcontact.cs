using System.Text.Json.Serialization;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Klantinteracties;

/// <summary>Klantcontact as a caller writes it (the members of the standard that we store; others are refused by name).</summary>
public sealed record KlantcontactInput
{
    [JsonRequired]
    public string Kanaal { get; init; } = "";

    /// <summary>The name of one of our topics (UPL product), unless <see cref="HoofdOnderwerpType"/> gives its UPL URI.</summary>
    [JsonRequired]
    public string Onderwerp { get; init; } = "";

    public string? Inhoud { get; init; }

    public string? Reactie { get; init; }

    public bool? IndicatieContactGelukt { get; init; }

    [JsonRequired]
    public string Taal { get; init; } = "";

    [JsonRequired]
    public bool Vertrouwelijk { get; init; }

    public DateTime? PlaatsgevondenOp { get; init; }

    public string? HoofdOnderwerpType { get; init; }

    public KlantcontactMetadata? Metadata { get; init; }
}

/// <summary>The metadata keys we read: our outcome (afhandeling) and, for a referral, the organisation.</summary>
public sealed record KlantcontactMetadata
{
    public string? Afhandeling { get; init; }

    public string? DoorverwezenNaar { get; init; }
}

/// <summary>
/// POST /klantcontacten: a website form or chat logs a contact in the standard's words. It becomes a contact with one
/// question through <see cref="LogContact"/> (same validation, transaction, routing flag and audit).
/// </summary>
public static class LogKlantcontact
{
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice)]
    public sealed record Command : IRequest<Result<long>>
    {
        [JsonRequired]
        public string Kanaal { get; init; } = "";

        [JsonRequired]
        public string Onderwerp { get; init; } = "";

        public string? Inhoud { get; init; }

        public string? Reactie { get; init; }

        public bool? IndicatieContactGelukt { get; init; }

        [JsonRequired]
        public string Taal { get; init; } = "";

        [JsonRequired]
        public bool Vertrouwelijk { get; init; }

        public DateTime? PlaatsgevondenOp { get; init; }

        public string? HoofdOnderwerpType { get; init; }

        public KlantcontactMetadata? Metadata { get; init; }

        public KlantcontactInput ToInput() => new()
        {
            Kanaal = Kanaal, Onderwerp = Onderwerp, Inhoud = Inhoud, Reactie = Reactie, IndicatieContactGelukt = IndicatieContactGelukt, Taal = Taal,
            Vertrouwelijk = Vertrouwelijk, PlaatsgevondenOp = PlaatsgevondenOp, HoofdOnderwerpType = HoofdOnderwerpType, Metadata = Metadata,
        };
    }

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, IMediator mediator, TimeProvider clock) : IRequestHandler<Command, Result<long>>
    {
        public Task<Result<long>> Handle(Command request, CancellationToken cancellationToken) =>
            Translation.LogAsync(dbFactory, mediator, clock, request.ToInput(), "", null, null, Direction.Inkomend, cancellationToken);
    }

    /// <summary>From the standard's words to <see cref="LogContact.Command"/>, and LogContact's field names back to the standard's.</summary>
    internal static class Translation
    {
        public static async Task<Result<long>> LogAsync(
            IDbContextFactory<KccDbContext> dbFactory, IMediator mediator, TimeProvider clock, KlantcontactInput input, string prefix, int? partyId, string? topicUri, Direction direction,
            CancellationToken cancellationToken)
        {
            var errors = new Dictionary<string, string[]>();
            var channel = KiMapping.ChannelFromText(input.Kanaal);
            if (channel is null)
            {
                errors[prefix + "kanaal"] = [$"Dit kanaal kennen wij niet. Kies uit: {KiMapping.ChannelChoices}."];
            }

            var language = KiMapping.LanguageFromIso(input.Taal);
            if (language is null)
            {
                errors[prefix + "taal"] = ["Geef de taal als ISO 639-2/B-code, bijvoorbeeld nld, eng, ger, pol, tur, ara of ukr."];
            }

            var outcome = input.IndicatieContactGelukt == false ? Outcome.NietAfgehandeld : Outcome.Beantwoord;
            if (input.Metadata?.Afhandeling is { } afhandeling)
            {
                if (KiMapping.OutcomeFromText(afhandeling) is { } chosen)
                {
                    outcome = chosen;
                }
                else
                {
                    errors[prefix + "metadata.afhandeling"] = ["Kies een afhandeling: " + string.Join(", ", ContactLabels.Outcomes.Select(o => o.Label())) + "."];
                }
            }

            int? topicId;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                var uri = topicUri ?? input.HoofdOnderwerpType;
                var onderwerp = Parties.Identifiers.FoldForSearch(input.Onderwerp);
                topicId = uri is not null
                    ? await db.Topics.Where(t => t.Uri == uri).Select(t => (int?)t.Id).FirstOrDefaultAsync(cancellationToken)
                    : await db.Topics.Where(t => t.IsActive && t.SearchName == onderwerp).Select(t => (int?)t.Id).FirstOrDefaultAsync(cancellationToken);
            }

            if (topicId is null)
            {
                errors[prefix + (topicUri is not null ? "onderwerpobject" : input.HoofdOnderwerpType is not null ? "hoofdOnderwerpType" : "onderwerp")] =
                    ["Dit onderwerp kennen wij niet. Geef de naam van een onderwerp (UPL-product) van de gemeente, of de UPL-URI in hoofdOnderwerpType."];
            }

            if (errors.Count > 0)
            {
                return Result<long>.Fail(errors);
            }

            var text = string.IsNullOrWhiteSpace(input.Inhoud) ? input.Onderwerp : input.Inhoud;
            var result = await mediator.Send(new LogContact.Command
            {
                Channel = channel!.Value,
                Direction = direction,
                StartedAt = input.PlaatsgevondenOp?.ToUniversalTime() ?? clock.GetUtcNow().UtcDateTime,
                PartyId = partyId,
                IsConfidential = input.Vertrouwelijk,
                Language = language!,
                Questions =
                [
                    new LogContact.QuestionInput
                    {
                        TopicId = topicId, Text = text, Answer = input.Reactie, Outcome = outcome,
                        ReferredTo = outcome == Outcome.DoorverwezenNaarAndereOrganisatie ? input.Metadata?.DoorverwezenNaar : null,
                    },
                ],
            }, cancellationToken);
            if (!result.Succeeded)
            {
                return Result<long>.Fail(result.Errors.ToDictionary(e => Rename(e.Key, prefix), e => e.Value));
            }

            await using var read = await dbFactory.CreateDbContextAsync(cancellationToken);
            return Result<long>.Ok(await read.Questions.Where(q => q.ContactId == result.Value).Select(q => q.Id).SingleAsync(cancellationToken));
        }

        private static string Rename(string field, string prefix) => field == DatabaseFault.ErrorKey ? field : prefix + field switch
        {
            "Channel" => "kanaal",
            "StartedAt" or "EndedAt" => "plaatsgevondenOp",
            "Language" => "taal",
            "PartyId" => "betrokkene.wasPartij",
            "Questions[0].Text" => "inhoud",
            "Questions[0].Answer" => "reactie",
            "Questions[0].TopicId" => "onderwerp",
            "Questions[0].ReferredTo" => "metadata.doorverwezenNaar",
            _ => "klantcontact",
        };
    }
}

public sealed record KiRef
{
    [JsonRequired]
    public Guid Uuid { get; init; }
}

public sealed record ContactnaamInput
{
    public string? Voorletters { get; init; }

    public string? Voornaam { get; init; }

    public string? VoorvoegselAchternaam { get; init; }

    public string? Achternaam { get; init; }
}

public sealed record BetrokkeneInput
{
    /// <summary>The party (one of ours, by its uuid); without it the contact is anonymous.</summary>
    public KiRef? WasPartij { get; init; }

    [JsonRequired]
    public string Rol { get; init; } = "";

    [JsonRequired]
    public bool Initiator { get; init; }

    public string? Organisatienaam { get; init; }

    /// <summary>Accepted for compatibility with KISS; without a party we have no place to keep a name for one contact.</summary>
    public ContactnaamInput? Contactnaam { get; init; }
}

public sealed record OnderwerpobjectidentificatorInput
{
    /// <summary>Why an onderwerpobject outside the UPL is refused (POST /maak-klantcontact and POST /onderwerpobjecten).</summary>
    public const string OnlyUpl = "Wij bewaren alleen onderwerpen uit de UPL: codeRegister upl, codeSoortObjectId uri en de URI van het product in objectId.";

    public bool IsUpl() => string.Equals(CodeRegister, "upl", StringComparison.OrdinalIgnoreCase);

    public string? ObjectId { get; init; }

    public string? CodeObjecttype { get; init; }

    public string? CodeRegister { get; init; }

    public string? CodeSoortObjectId { get; init; }
}

public sealed record OnderwerpobjectInput
{
    public OnderwerpobjectidentificatorInput? Onderwerpobjectidentificator { get; init; }
}

/// <summary>
/// POST /maak-klantcontact: klantcontact, betrokkene and onderwerpobject in one call (as KISS sends them). The
/// betrokkene's party must be one of ours (wasPartij.uuid); the onderwerpobject may name the UPL product by URI.
/// </summary>
public static class MaakKlantcontact
{
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice)]
    public sealed record Command : IRequest<Result<long>>
    {
        [JsonRequired]
        public KlantcontactInput Klantcontact { get; init; } = new();

        public BetrokkeneInput? Betrokkene { get; init; }

        public OnderwerpobjectInput? Onderwerpobject { get; init; }
    }

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, IMediator mediator, TimeProvider clock) : IRequestHandler<Command, Result<long>>
    {
        public async Task<Result<long>> Handle(Command request, CancellationToken cancellationToken)
        {
            int? partyId = null;
            if (request.Betrokkene is { } betrokkene)
            {
                if (betrokkene.Rol is not ("klant" or "vertegenwoordiger"))
                {
                    return Result<long>.Fail("betrokkene.rol", "Kies klant of vertegenwoordiger.");
                }

                if (betrokkene.WasPartij is { } partij)
                {
                    await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                    if (!KiIds.TryReadInt(partij.Uuid, KiIds.Partij, out var id) || !await db.Parties.AnyAsync(p => p.Id == id, cancellationToken))
                    {
                        return Result<long>.Fail("betrokkene.wasPartij.uuid", "Deze partij bestaat hier niet. Zoek de partij op via /partijen.");
                    }

                    partyId = id;
                }
            }

            string? topicUri = null;
            if (request.Onderwerpobject?.Onderwerpobjectidentificator is { } identificator)
            {
                if (!identificator.IsUpl() || string.IsNullOrWhiteSpace(identificator.ObjectId))
                {
                    return Result<long>.Fail("onderwerpobject.onderwerpobjectidentificator.codeRegister", OnderwerpobjectidentificatorInput.OnlyUpl);
                }

                topicUri = identificator.ObjectId.Trim();
            }

            var direction = request.Betrokkene is { Initiator: false } ? Direction.Uitgaand : Direction.Inkomend;
            return await LogKlantcontact.Translation.LogAsync(dbFactory, mediator, clock, request.Klantcontact, "klantcontact.", partyId, topicUri, direction, cancellationToken);
        }
    }
}
