using System.Globalization;
using System.Text.Json.Nodes;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Features.Routing;

namespace Kcc.Workbench.Web.Features.Klantinteracties;

/// <summary>One question with its contact: a klantcontact in the standard (KISS writes one per question too).</summary>
internal sealed record ContactRow(
    long QuestionId, int Sequence, string Text, string? Answer, Outcome Outcome, string? ReferredTo, bool NeedsRouting, int? ArticleId,
    string TopicName, string TopicUri, long ContactId, Channel Channel, Direction Direction, DateTime StartedAt, bool IsConfidential,
    string Language, string AgentId, string AgentName, int? PartyId);

internal sealed record PartyRow(
    int Id, PartyKind Kind, string? FirstNames, string? Prefix, string? LastName, string? OrganisationName, string? Bsn, string? KvkNumber,
    string? BranchNumber, string? Street, int? HouseNumber, string? HouseNumberAddition, string? Postcode, string? City, DateTime? AnonymisedAt)
{
    public string DisplayName => Kind == PartyKind.Organisation
        ? OrganisationName ?? ""
        : string.Join(' ', new[] { FirstNames, Prefix, LastName }.Where(p => !string.IsNullOrWhiteSpace(p)));
}

internal sealed record TaskRow(
    long Id, long QuestionId, RequestedAction Action, string? Explanation, InternalTaskStatus Status, DateTime CreatedAt, DateTime? CompletedAt,
    string? Result, int TeamId, string TeamName, string? AssigneeId, string? AssigneeName);

internal sealed record DetailRow(int Id, int PartyId, ContactDetailKind Kind, string Value);

/// <summary>An actor: an employee (medewerker), a team (organisatorische eenheid) or an integration client (geautomatiseerde actor).</summary>
internal sealed record ActorRow(string Key, string Name, bool IsActive, string? Email = null, string? UserName = null)
{
    public static ActorRow ForAgent(string agentId, string agentName) => new(agentId.StartsWith("api:", StringComparison.Ordinal) ? agentId : "medewerker:" + agentId, agentName, true);

    public static ActorRow ForTeam(int teamId, string name, bool active = true) => new("team:" + teamId.ToString(CultureInfo.InvariantCulture), name, active);

    public Guid Uuid => KiIds.Actor(Key);

    public string Kind => Key.StartsWith("api:", StringComparison.Ordinal) ? "geautomatiseerde_actor"
        : Key.StartsWith("team:", StringComparison.Ordinal) ? "organisatorische_eenheid"
        : "medewerker";

    /// <summary>The employee id of a medewerker, or the agent id ("api:Name") of an integration client; null for a team.</summary>
    public string? AgentId => Kind switch
    {
        "medewerker" => Key["medewerker:".Length..],
        "geautomatiseerde_actor" => Key,
        _ => null,
    };

    /// <summary>
    /// How others know this actor, the first one shown. A medewerker as KISS identifies one in Open Klant: codeObjecttype
    /// mdw, codeRegister handmatig, by e-mail address (or, without one, by user name); our own employee id also finds them.
    /// </summary>
    public IEnumerable<Actoridentificator> Identificatoren()
    {
        var value = Key[(Key.IndexOf(':', StringComparison.Ordinal) + 1)..];
        switch (Kind)
        {
            case "medewerker":
                if (Email is { Length: > 0 } email)
                {
                    yield return new(email, "mdw", "handmatig", "email");
                }

                if (UserName is { Length: > 0 } userName)
                {
                    yield return new(userName, "mdw", "handmatig", "gebruikersnaam");
                }

                yield return new(value, "mdw", "kcc-werkplek", "id");
                break;
            case "organisatorische_eenheid":
                yield return new(value, "oe", "kcc-werkplek", "teamId");
                break;
            default:
                yield return new(value, "ga", "kcc-werkplek", "naam");
                break;
        }
    }
}

internal sealed record Actoridentificator(string ObjectId, string CodeObjecttype, string CodeRegister, string CodeSoortObjectId)
{
    /// <summary>Every given part matches (case-insensitively: e-mail addresses and user names are not case-sensitive).</summary>
    public bool Matches(string? objectId, string? objecttype, string? register, string? soort) =>
        Same(objectId, ObjectId) && Same(objecttype, CodeObjecttype) && Same(register, CodeRegister) && Same(soort, CodeSoortObjectId);

    private static bool Same(string? wanted, string value) => wanted is null || string.Equals(wanted.Trim(), value, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Our model in the shape of the Klantinteracties API (Open Klant 2.x). Every mapping decision is here; README
/// ("Koppelingen") lists them for readers outside the code.
/// </summary>
internal sealed class KiMapping(string baseUrl)
{
    public string BaseUrl { get; } = baseUrl;

    public static readonly IReadOnlyDictionary<string, string> LanguageToIso = new Dictionary<string, string>
    {
        ["nl"] = "nld", ["en"] = "eng", ["de"] = "ger", ["pl"] = "pol", ["tr"] = "tur", ["ar"] = "ara", ["uk"] = "ukr",
        ["nl-gebaren"] = "sgn", ["overig"] = "und",
    };

    public static string? LanguageFromIso(string iso) =>
        LanguageToIso.FirstOrDefault(l => string.Equals(l.Value, iso, StringComparison.OrdinalIgnoreCase)).Key
        ?? (string.Equals(iso, "dut", StringComparison.OrdinalIgnoreCase) ? "nl" : string.Equals(iso, "deu", StringComparison.OrdinalIgnoreCase) ? "de" : null);

    /// <summary>kanaal is free text in the standard; we write our channel's label and read the usual spellings back.</summary>
    public static Channel? ChannelFromText(string kanaal) => kanaal.Trim().ToLowerInvariant() switch
    {
        "telefoon" or "telefonisch" => Channel.Telefoon,
        "balie" or "fysiek" => Channel.Balie,
        "e-mail" or "email" or "mail" => Channel.Email,
        "whatsapp" => Channel.WhatsApp,
        "post" or "brief" => Channel.Post,
        "website" or "webformulier" or "formulier" or "contactformulier" => Channel.Website,
        "chat" or "webchat" => Channel.Chat,
        _ => null,
    };

    public const string ChannelChoices = "Telefoon, Balie, E-mail, WhatsApp, Post, Website, Chat";

    public static Outcome? OutcomeFromText(string text) =>
        ContactLabels.Outcomes.Cast<Outcome?>().FirstOrDefault(o => string.Equals(o!.Value.Label(), text.Trim(), StringComparison.OrdinalIgnoreCase)
            || string.Equals(o.Value.ToString(), text.Trim(), StringComparison.OrdinalIgnoreCase));

    public static string StatusName(InternalTaskStatus status) => status.StandardName();

    public string Url(string resource, Guid uuid) => $"{BaseUrl}/{resource}/{uuid:D}";

    public JsonObject Ref(string resource, Guid uuid) => new() { ["uuid"] = uuid.ToString("D"), ["url"] = Url(resource, uuid) };

    public JsonObject Klantcontact(ContactRow row, IReadOnlyList<TaskRow> tasks)
    {
        var uuid = KiIds.For(KiIds.Klantcontact, row.QuestionId);
        var metadata = new JsonObject
        {
            ["afhandeling"] = row.Outcome.Label(),
            ["contactId"] = row.ContactId.ToString(CultureInfo.InvariantCulture),
            ["vraagNummer"] = row.Sequence.ToString(CultureInfo.InvariantCulture),
            ["richting"] = row.Direction.Label().ToLowerInvariant(),
        };
        if (row.ReferredTo is { Length: > 0 } referredTo)
        {
            metadata["doorverwezenNaar"] = referredTo;
        }

        if (row.ArticleId is { } article)
        {
            metadata["kennisartikel"] = article.ToString(CultureInfo.InvariantCulture);
        }

        var result = new JsonObject
        {
            ["uuid"] = uuid.ToString("D"),
            ["url"] = Url("klantcontacten", uuid),
            ["gingOverOnderwerpobjecten"] = new JsonArray(Ref("onderwerpobjecten", KiIds.For(KiIds.Onderwerpobject, row.QuestionId))),
            ["hadBetrokkenActoren"] = new JsonArray(Actor(ActorRow.ForAgent(row.AgentId, row.AgentName))),
            ["omvatteBijlagen"] = new JsonArray(),
            ["hadBetrokkenen"] = row.PartyId is null ? new JsonArray() : new JsonArray(Ref("betrokkenen", KiIds.For(KiIds.Betrokkene, row.QuestionId))),
            ["leiddeTotInterneTaken"] = new JsonArray([.. tasks.Select(t => (JsonNode)Ref("internetaken", KiIds.For(KiIds.Internetaak, t.Id)))]),
            ["kanaal"] = row.Channel.Label(),
            ["onderwerp"] = Limit(row.TopicName, 200),
            ["inhoud"] = row.Text,
            ["reactie"] = row.Answer ?? "",
            ["indicatieContactGelukt"] = row.Outcome != Outcome.NietAfgehandeld,
            ["verdereActieOndernomen"] = row.NeedsRouting,
            ["taal"] = LanguageToIso.GetValueOrDefault(row.Language, "und"),
            ["vertrouwelijk"] = row.IsConfidential,
            ["plaatsgevondenOp"] = Time(row.StartedAt),
            ["metadata"] = metadata,
        };
        if (row.TopicUri.Length <= 200 && Uri.TryCreate(row.TopicUri, UriKind.Absolute, out _))
        {
            result["hoofdOnderwerpType"] = row.TopicUri;
        }

        return result;
    }

    public JsonObject Betrokkene(ContactRow row, PartyRow party, IReadOnlyList<DetailRow> details)
    {
        var uuid = KiIds.For(KiIds.Betrokkene, row.QuestionId);
        var result = new JsonObject
        {
            ["uuid"] = uuid.ToString("D"),
            ["url"] = Url("betrokkenen", uuid),
            ["wasPartij"] = Ref("partijen", KiIds.For(KiIds.Partij, party.Id)),
            ["hadKlantcontact"] = Ref("klantcontacten", KiIds.For(KiIds.Klantcontact, row.QuestionId)),
            ["digitaleAdressen"] = new JsonArray([.. details.Select(d => (JsonNode)Ref("digitaleadressen", KiIds.For(KiIds.DigitaalAdres, d.Id)))]),
            ["bezoekadres"] = null,
            ["correspondentieadres"] = null,
            ["volledigeNaam"] = party.DisplayName,
            ["rol"] = "klant",
            ["initiator"] = row.Direction == Direction.Inkomend,
        };
        if (party.Kind == PartyKind.Organisation)
        {
            result["contactnaam"] = null;
            result["organisatienaam"] = Limit(party.OrganisationName ?? "", 200);
        }
        else
        {
            result["contactnaam"] = ContactName(party);
            result["organisatienaam"] = "";
        }

        return result;
    }

    public JsonObject Onderwerpobject(ContactRow row) => new()
    {
        ["uuid"] = KiIds.For(KiIds.Onderwerpobject, row.QuestionId).ToString("D"),
        ["url"] = Url("onderwerpobjecten", KiIds.For(KiIds.Onderwerpobject, row.QuestionId)),
        ["klantcontact"] = Ref("klantcontacten", KiIds.For(KiIds.Klantcontact, row.QuestionId)),
        ["wasKlantcontact"] = null,
        ["onderwerpobjectidentificator"] = new JsonObject
        {
            ["objectId"] = Limit(row.TopicUri, 200),
            ["codeObjecttype"] = "product",
            ["codeRegister"] = "upl",
            ["codeSoortObjectId"] = "uri",
        },
    };

    public JsonObject InterneTaak(TaskRow task)
    {
        var uuid = KiIds.For(KiIds.Internetaak, task.Id);
        var actors = new JsonArray(Ref("actoren", ActorRow.ForTeam(task.TeamId, task.TeamName).Uuid));
        if (task.AssigneeId is { } assignee)
        {
            actors.Add(Ref("actoren", ActorRow.ForAgent(assignee, task.AssigneeName ?? "").Uuid));
        }

        return new JsonObject
        {
            ["uuid"] = uuid.ToString("D"),
            ["url"] = Url("internetaken", uuid),
            ["gevraagdeHandeling"] = task.Action.Label(),
            ["aanleidinggevendKlantcontact"] = Ref("klantcontacten", KiIds.For(KiIds.Klantcontact, task.QuestionId)),
            ["toegewezenAanActor"] = actors[0]!.DeepClone(),
            ["toegewezenAanActoren"] = actors,
            // A completed task shows the back office's result: what the KCC reads back to the resident.
            ["toelichting"] = (task.Status == InternalTaskStatus.Verwerkt ? task.Result : task.Explanation) ?? "",
            ["status"] = StatusName(task.Status),
            ["toegewezenOp"] = Time(task.CreatedAt),
            ["afgehandeldOp"] = task.CompletedAt is { } completed ? Time(completed) : null,
        };
    }

    public JsonObject Actor(ActorRow actor)
    {
        var result = new JsonObject
        {
            ["uuid"] = actor.Uuid.ToString("D"),
            ["url"] = Url("actoren", actor.Uuid),
            ["naam"] = Limit(actor.Name, 200),
            ["soortActor"] = actor.Kind,
            ["indicatieActief"] = actor.IsActive,
            ["actoridentificator"] = Identificator(actor.Email is null && actor.UserName is null && Employees.TryGetValue(actor.Key, out var known) ? known : actor),
        };
        if (actor.Kind == "geautomatiseerde_actor")
        {
            result["actorIdentificatie"] = new JsonObject { ["functie"] = "Contacten registreren", ["omschrijving"] = Limit(actor.Name, 200) };
        }
        else if (actor.Kind == "organisatorische_eenheid")
        {
            result["actorIdentificatie"] = new JsonObject { ["omschrijving"] = Limit(actor.Name, 200) };
        }

        return result;
    }

    /// <summary>Employees by actor key ("medewerker:{id}") with e-mail and user name, for actors built from a contact's agent.</summary>
    public IReadOnlyDictionary<string, ActorRow> Employees { get; init; } = new Dictionary<string, ActorRow>();

    private static JsonObject Identificator(ActorRow actor)
    {
        var first = actor.Identificatoren().First();
        return new JsonObject
        {
            ["objectId"] = Limit(first.ObjectId, 200),
            ["codeObjecttype"] = first.CodeObjecttype,
            ["codeRegister"] = first.CodeRegister,
            ["codeSoortObjectId"] = first.CodeSoortObjectId,
        };
    }

    /// <summary>The link of a klantcontact to the actor who had it: our contact's agent (one per question).</summary>
    public JsonObject ActorKlantcontact(long questionId, ActorRow actor) => new()
    {
        ["uuid"] = KiIds.For(KiIds.ActorKlantcontact, questionId).ToString("D"),
        ["url"] = Url("actorklantcontacten", KiIds.For(KiIds.ActorKlantcontact, questionId)),
        ["actor"] = Ref("actoren", actor.Uuid),
        ["klantcontact"] = Ref("klantcontacten", KiIds.For(KiIds.Klantcontact, questionId)),
    };

    /// <summary>A betrokkene without a party, as it was sent: we keep no betrokkene for an anonymous contact.</summary>
    public JsonObject AnonymousBetrokkene(long questionId, string rol, bool initiator, string? organisatienaam, ContactnaamInput? contactnaam)
    {
        var uuid = KiIds.For(KiIds.Betrokkene, questionId);
        var name = contactnaam is null ? null : new JsonObject
        {
            ["voorletters"] = Limit(contactnaam.Voorletters ?? "", 10),
            ["voornaam"] = Limit(contactnaam.Voornaam ?? "", 200),
            ["voorvoegselAchternaam"] = Limit(contactnaam.VoorvoegselAchternaam ?? "", 10),
            ["achternaam"] = Limit(contactnaam.Achternaam ?? "", 200),
        };
        return new JsonObject
        {
            ["uuid"] = uuid.ToString("D"),
            ["url"] = Url("betrokkenen", uuid),
            ["wasPartij"] = null,
            ["hadKlantcontact"] = Ref("klantcontacten", KiIds.For(KiIds.Klantcontact, questionId)),
            ["digitaleAdressen"] = new JsonArray(),
            ["bezoekadres"] = null,
            ["correspondentieadres"] = null,
            ["contactnaam"] = name,
            ["volledigeNaam"] = contactnaam is null ? "" : string.Join(' ', new[] { contactnaam.Voornaam, contactnaam.VoorvoegselAchternaam, contactnaam.Achternaam }.Where(n => !string.IsNullOrWhiteSpace(n))),
            ["rol"] = rol,
            ["organisatienaam"] = Limit(organisatienaam ?? "", 200),
            ["initiator"] = initiator,
        };
    }

    public JsonObject Partij(PartyRow party, IReadOnlyList<DetailRow> details, IReadOnlyList<long> questionIds)
    {
        var uuid = KiIds.For(KiIds.Partij, party.Id);
        var result = new JsonObject
        {
            ["uuid"] = uuid.ToString("D"),
            ["url"] = Url("partijen", uuid),
            ["interneNotitie"] = "",
            ["betrokkenen"] = new JsonArray([.. questionIds.Select(q => (JsonNode)Ref("betrokkenen", KiIds.For(KiIds.Betrokkene, q)))]),
            ["categorieRelaties"] = new JsonArray(),
            ["digitaleAdressen"] = new JsonArray([.. details.Select(d => (JsonNode)Ref("digitaleadressen", KiIds.For(KiIds.DigitaalAdres, d.Id)))]),
            ["voorkeursDigitaalAdres"] = null,
            ["vertegenwoordigden"] = new JsonArray(),
            ["rekeningnummers"] = new JsonArray(),
            ["voorkeursRekeningnummer"] = null,
            ["partijIdentificatoren"] = new JsonArray([.. Identificatoren(party).Select(i => (JsonNode)i)]),
            ["soortPartij"] = party.Kind == PartyKind.Organisation ? "organisatie" : "persoon",
            ["indicatieGeheimhouding"] = null,
            ["indicatieActief"] = party.AnonymisedAt is null,
            ["bezoekadres"] = Address(party),
            ["correspondentieadres"] = null,
        };
        result["partijIdentificatie"] = party.Kind == PartyKind.Organisation
            ? new JsonObject { ["naam"] = Limit(party.OrganisationName ?? "", 200) }
            : new JsonObject { ["contactnaam"] = ContactName(party), ["volledigeNaam"] = party.DisplayName };
        return result;
    }

    /// <summary>BSN (brp), KVK-nummer and vestigingsnummer (hr); the vestigingsnummer is a sub-identificator of the KVK-nummer.</summary>
    public IEnumerable<JsonObject> Identificatoren(PartyRow party)
    {
        if (party.Bsn is { Length: > 0 } bsn)
        {
            yield return Identificator(party, KiIds.Bsn, "natuurlijk_persoon", "bsn", bsn, "brp", null);
        }

        if (party.KvkNumber is { Length: > 0 } kvk)
        {
            yield return Identificator(party, KiIds.KvkNummer, "niet_natuurlijk_persoon", "kvk_nummer", kvk, "hr", null);
        }

        if (party.BranchNumber is { Length: > 0 } branch)
        {
            yield return Identificator(party, KiIds.Vestigingsnummer, "vestiging", "vestigingsnummer", branch, "hr",
                party.KvkNumber is { Length: > 0 } ? KiIds.For(KiIds.KvkNummer, party.Id) : null);
        }
    }

    private JsonObject Identificator(PartyRow party, string kind, string objectType, string soort, string value, string register, Guid? parent)
    {
        var uuid = KiIds.For(kind, party.Id);
        return new JsonObject
        {
            ["uuid"] = uuid.ToString("D"),
            ["url"] = Url("partij-identificatoren", uuid),
            ["identificeerdePartij"] = Ref("partijen", KiIds.For(KiIds.Partij, party.Id)),
            ["anderePartijIdentificator"] = "",
            ["partijIdentificator"] = new JsonObject
            {
                ["codeObjecttype"] = objectType,
                ["codeSoortObjectId"] = soort,
                ["objectId"] = value,
                ["codeRegister"] = register,
            },
            ["subIdentificatorVan"] = parent is { } p ? Ref("partij-identificatoren", p) : null,
        };
    }

    public JsonObject DigitaalAdres(DetailRow detail) => new()
    {
        ["uuid"] = KiIds.For(KiIds.DigitaalAdres, detail.Id).ToString("D"),
        ["url"] = Url("digitaleadressen", KiIds.For(KiIds.DigitaalAdres, detail.Id)),
        ["verstrektDoorBetrokkene"] = null,
        ["verstrektDoorPartij"] = Ref("partijen", KiIds.For(KiIds.Partij, detail.PartyId)),
        ["adres"] = Limit(detail.Value, 80),
        ["soortDigitaalAdres"] = detail.Kind == ContactDetailKind.Email ? "email" : "telefoonnummer",
        ["isStandaardAdres"] = false,
        ["omschrijving"] = detail.Kind == ContactDetailKind.Email ? "E-mail" : "Telefoon",
        ["verificatieDatum"] = null,
    };

    /// <summary>An address of an anonymous contact's betrokkene, as it was sent: we keep addresses on parties only.</summary>
    public JsonObject UnkeptDigitaalAdres(Guid uuid, long questionId, string adres, string soort, string? omschrijving) => new()
    {
        ["uuid"] = uuid.ToString("D"),
        ["url"] = Url("digitaleadressen", uuid),
        ["verstrektDoorBetrokkene"] = Ref("betrokkenen", KiIds.For(KiIds.Betrokkene, questionId)),
        ["verstrektDoorPartij"] = null,
        ["adres"] = Limit(adres, 80),
        ["soortDigitaalAdres"] = soort,
        ["isStandaardAdres"] = false,
        ["omschrijving"] = Limit(omschrijving ?? "", 40),
        ["verificatieDatum"] = null,
    };

    private static JsonObject ContactName(PartyRow party) => new()
    {
        ["voorletters"] = Initials(party.FirstNames),
        ["voornaam"] = Limit(party.FirstNames ?? "", 200),
        ["voorvoegselAchternaam"] = Limit(party.Prefix ?? "", 10),
        ["achternaam"] = Limit(party.LastName ?? "", 200),
    };

    private static string Initials(string? firstNames) =>
        Limit(string.Concat((firstNames ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(n => char.ToUpperInvariant(n[0]) + ".")), 10);

    /// <summary>Only what we know: a pattern-checked field (postcode) is left out rather than sent empty.</summary>
    private static JsonObject? Address(PartyRow party)
    {
        if (party.Street is null && party.Postcode is null)
        {
            return null;
        }

        var address = new JsonObject { ["straatnaam"] = Limit(party.Street ?? "", 255) };
        if (party.HouseNumber is >= 1 and <= 99999)
        {
            address["huisnummer"] = party.HouseNumber;
        }

        address["huisnummertoevoeging"] = Limit(party.HouseNumberAddition ?? "", 20);
        if (party.Postcode is { Length: 6 } postcode)
        {
            address["postcode"] = $"{postcode[..4]} {postcode[4..]}";
        }

        address["stad"] = Limit(party.City ?? "", 255);
        return address;
    }

    public static string Time(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static string Limit(string value, int max) => value.Length <= max ? value : value[..max];
}
