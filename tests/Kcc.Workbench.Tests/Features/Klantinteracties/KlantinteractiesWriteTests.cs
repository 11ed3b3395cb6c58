using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Klantinteracties;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Tests.Features.Klantinteracties;

/// <summary>
/// The writes an upstream Open Klant receives from KISS, in KISS's order after the klantcontact: betrokkene,
/// actor link, onderwerpobject (and digitale adressen, partijen). Every answer validates against the specification,
/// a repeat answers the existing resource, and what we cannot keep is a 400 naming the field and writes nothing.
/// </summary>
public sealed class KlantinteractiesWriteTests(KlantinteractiesApiTests.Fixture fixture) : IClassFixture<KlantinteractiesApiTests.Fixture>
{
    private const string Base = KlantinteractiesApi.BasePath;

    private HttpClient Client(string key = KlantinteractiesApiTests.PortalKey)
    {
        var client = fixture.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", key);
        return client;
    }

    private static StringContent Body(JsonNode json) => new(json.ToJsonString(), Encoding.UTF8, "application/json");

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    private void AssertConforms(string operationId, int status, JsonNode body)
    {
        var errors = fixture.Contract.Validate(fixture.Contract.ResponseSchema(operationId, status), body);
        Assert.True(errors.Count == 0, $"{operationId}:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}{Environment.NewLine}{body.ToJsonString()}");
    }

    private void AssertValidRequest(string operationId, JsonNode body) =>
        Assert.Empty(fixture.Contract.Validate(fixture.Contract.RequestSchema(operationId), body, request: true));

    private static async Task<IReadOnlyList<string>> RefusedFieldsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        return [.. JsonNode.Parse(body)!["errors"]!.AsObject().Select(e => e.Key)];
    }

    private async Task<string> TopicUriAsync(string name)
    {
        await using var db = await fixture.DbAsync();
        return await db.Topics.Where(t => t.Name == name).Select(t => t.Uri).SingleAsync();
    }

    /// <summary>An anonymous klantcontact about a passport, logged by the portal's client (as KISS's first write upstream).</summary>
    private async Task<(string Uuid, long QuestionId)> AnonymousKlantcontactAsync()
    {
        using var client = Client();
        var created = await JsonAsync(await client.PostAsync(Base + "/klantcontacten", Body(new JsonObject
        {
            ["kanaal"] = "Telefoon",
            ["onderwerp"] = "paspoort",
            ["inhoud"] = "Wanneer kan ik mijn paspoort ophalen?",
            ["reactie"] = "Na vijf werkdagen.",
            ["indicatieContactGelukt"] = true,
            ["taal"] = "nld",
            ["vertrouwelijk"] = false,
            ["plaatsgevondenOp"] = DateTime.UtcNow.AddMinutes(-3).ToString("O"),
        })), HttpStatusCode.Created);
        var uuid = created["uuid"]!.GetValue<string>();
        Assert.True(KiIds.TryRead(Guid.Parse(uuid), KiIds.Klantcontact, out var questionId));
        return (uuid, questionId);
    }

    private async Task<List<int>> PartiesAsync(int count)
    {
        await using var db = await fixture.DbAsync();
        return await db.Parties.Where(p => p.Bsn != null && p.AnonymisedAt == null).OrderBy(p => p.Id).Select(p => p.Id).Take(count).ToListAsync();
    }

    private static JsonObject Betrokkene(string klantcontact, int? partyId) => new()
    {
        ["hadKlantcontact"] = new JsonObject { ["uuid"] = klantcontact },
        ["wasPartij"] = partyId is { } id ? new JsonObject { ["uuid"] = KiIds.For(KiIds.Partij, id).ToString() } : null,
        ["rol"] = "klant",
        ["initiator"] = true,
        ["organisatienaam"] = "",
    };

    [Fact]
    public async Task A_betrokkene_links_the_party_to_the_contact_once_and_a_repeat_answers_the_same_betrokkene()
    {
        using var client = Client();
        var (klantcontact, questionId) = await AnonymousKlantcontactAsync();
        var parties = await PartiesAsync(2);
        var request = Betrokkene(klantcontact, parties[0]);
        AssertValidRequest("betrokkenenCreate", request);

        var created = await JsonAsync(await client.PostAsync(Base + "/betrokkenen", Body(request)), HttpStatusCode.Created);

        AssertConforms("betrokkenenCreate", 201, created);
        Assert.Equal(KiIds.For(KiIds.Betrokkene, questionId).ToString(), created["uuid"]!.GetValue<string>());
        Assert.Equal(KiIds.For(KiIds.Partij, parties[0]).ToString(), created["wasPartij"]!["uuid"]!.GetValue<string>());
        var found = await JsonAsync(await client.GetAsync($"{Base}/betrokkenen?hadKlantcontact__uuid={klantcontact}"), HttpStatusCode.OK);
        Assert.Equal(created["uuid"]!.GetValue<string>(), Assert.Single(found["results"]!.AsArray())!["uuid"]!.GetValue<string>());
        await using (var db = await fixture.DbAsync())
        {
            var contact = await db.Questions.Where(q => q.Id == questionId).Select(q => q.Contact!).SingleAsync();
            Assert.Equal(parties[0], contact.PartyId);
            Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "contact.inwonergekoppeld" && a.EntityId == contact.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) && a.ActorId == "api:Portaal"));
        }

        var again = await JsonAsync(await client.PostAsync(Base + "/betrokkenen", Body(request)), HttpStatusCode.OK);
        Assert.Equal(created["uuid"]!.GetValue<string>(), again["uuid"]!.GetValue<string>());

        var other = await client.PostAsync(Base + "/betrokkenen", Body(Betrokkene(klantcontact, parties[1])));
        Assert.Equal(["wasPartij"], await RefusedFieldsAsync(other));
        await using (var db = await fixture.DbAsync())
        {
            Assert.Equal(parties[0], await db.Questions.Where(q => q.Id == questionId).Select(q => q.Contact!.PartyId).SingleAsync());
        }
    }

    [Fact]
    public async Task A_betrokkene_for_an_unknown_klantcontact_or_partij_is_a_400_naming_the_field()
    {
        using var client = Client();
        var (klantcontact, questionId) = await AnonymousKlantcontactAsync();

        var unknownContact = await client.PostAsync(Base + "/betrokkenen", Body(Betrokkene(KiIds.For(KiIds.Klantcontact, long.MaxValue / 8).ToString(), (await PartiesAsync(1))[0])));
        Assert.Equal(["hadKlantcontact.uuid"], await RefusedFieldsAsync(unknownContact));

        var unknownParty = await client.PostAsync(Base + "/betrokkenen", Body(Betrokkene(klantcontact, int.MaxValue)));
        Assert.Equal(["wasPartij.uuid"], await RefusedFieldsAsync(unknownParty));

        var badRole = Betrokkene(klantcontact, null);
        badRole["rol"] = "buurman";
        Assert.Equal(["rol"], await RefusedFieldsAsync(await client.PostAsync(Base + "/betrokkenen", Body(badRole))));

        await using var db = await fixture.DbAsync();
        Assert.Null(await db.Questions.Where(q => q.Id == questionId).Select(q => q.Contact!.PartyId).SingleAsync());
    }

    [Fact]
    public async Task An_anonymous_betrokkene_is_accepted_as_sent_but_not_kept()
    {
        using var client = Client();
        var (klantcontact, questionId) = await AnonymousKlantcontactAsync();
        var request = Betrokkene(klantcontact, null);
        request["contactnaam"] = new JsonObject { ["voorletters"] = "J.", ["voornaam"] = "Jan", ["voorvoegselAchternaam"] = "", ["achternaam"] = "Jansen" };
        AssertValidRequest("betrokkenenCreate", request);

        var answered = await JsonAsync(await client.PostAsync(Base + "/betrokkenen", Body(request)), HttpStatusCode.Created);

        AssertConforms("betrokkenenCreate", 201, answered);
        Assert.Null(answered["wasPartij"]);
        Assert.Equal("Jan Jansen", answered["volledigeNaam"]!.GetValue<string>());
        var found = await JsonAsync(await client.GetAsync($"{Base}/betrokkenen?hadKlantcontact__uuid={klantcontact}"), HttpStatusCode.OK);
        Assert.Equal(0, found["count"]!.GetValue<int>());
        await using var db = await fixture.DbAsync();
        Assert.Null(await db.Questions.Where(q => q.Id == questionId).Select(q => q.Contact!.PartyId).SingleAsync());
    }

    private static JsonObject Onderwerpobject(string klantcontact, string uri) => new()
    {
        ["klantcontact"] = new JsonObject { ["uuid"] = klantcontact },
        ["wasKlantcontact"] = null,
        ["onderwerpobjectidentificator"] = new JsonObject { ["objectId"] = uri, ["codeObjecttype"] = "product", ["codeRegister"] = "upl", ["codeSoortObjectId"] = "uri" },
    };

    [Fact]
    public async Task An_onderwerpobject_confirms_the_questions_topic_or_changes_it_to_another_upl_product()
    {
        using var client = Client();
        var (klantcontact, questionId) = await AnonymousKlantcontactAsync();
        var passport = Onderwerpobject(klantcontact, await TopicUriAsync("paspoort"));
        AssertValidRequest("onderwerpobjectenCreate", passport);

        var same = await JsonAsync(await client.PostAsync(Base + "/onderwerpobjecten", Body(passport)), HttpStatusCode.OK);
        AssertConforms("onderwerpobjectenCreate", 201, same);
        Assert.Equal(KiIds.For(KiIds.Onderwerpobject, questionId).ToString(), same["uuid"]!.GetValue<string>());

        await using var db = await fixture.DbAsync();
        var other = await db.Topics.Where(t => t.Name != "paspoort" && t.IsActive).OrderBy(t => t.Id).Select(t => new { t.Id, t.Uri }).FirstAsync();
        var changed = await JsonAsync(await client.PostAsync(Base + "/onderwerpobjecten", Body(Onderwerpobject(klantcontact, other.Uri))), HttpStatusCode.Created);
        AssertConforms("onderwerpobjectenCreate", 201, changed);
        Assert.Equal(other.Uri, changed["onderwerpobjectidentificator"]!["objectId"]!.GetValue<string>());
        Assert.Equal(other.Id, await db.Questions.Where(q => q.Id == questionId).Select(q => q.TopicId).SingleAsync());
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "vraag.onderwerpgewijzigd" && a.ActorId == "api:Portaal"));

        var unknown = await client.PostAsync(Base + "/onderwerpobjecten", Body(Onderwerpobject(klantcontact, "http://standaarden.overheid.nl/owms/terms/bestaat-niet")));
        Assert.Equal(["onderwerpobjectidentificator.objectId"], await RefusedFieldsAsync(unknown));
        Assert.Equal(other.Id, await db.Questions.Where(q => q.Id == questionId).Select(q => q.TopicId).SingleAsync());
    }

    [Fact]
    public async Task An_employee_is_found_by_e_mail_as_kiss_identifies_a_medewerker()
    {
        using var client = Client();
        await using var db = await fixture.DbAsync();
        var employee = await db.Users.Where(u => u.Email != null).OrderBy(u => u.UserName).Select(u => new { u.Id, u.Email, u.UserName }).FirstAsync();

        var found = await JsonAsync(await client.GetAsync(
            $"{Base}/actoren?actoridentificatorCodeObjecttype=mdw&actoridentificatorCodeRegister=handmatig&actoridentificatorCodeSoortObjectId=email&actoridentificatorObjectId={Uri.EscapeDataString(employee.Email!.ToUpperInvariant())}"),
            HttpStatusCode.OK);

        AssertConforms("actorenList", 200, found);
        var actor = Assert.Single(found["results"]!.AsArray())!;
        Assert.Equal("medewerker", actor["soortActor"]!.GetValue<string>());
        Assert.Equal(employee.Email, actor["actoridentificator"]!["objectId"]!.GetValue<string>());
        Assert.Equal(KiIds.Actor("medewerker:" + employee.Id).ToString(), actor["uuid"]!.GetValue<string>());

        var byUserName = await JsonAsync(await client.GetAsync($"{Base}/actoren?actoridentificator__codeSoortObjectId=gebruikersnaam&actoridentificator__objectId={employee.UserName}"), HttpStatusCode.OK);
        Assert.Equal(actor["uuid"]!.GetValue<string>(), Assert.Single(byUserName["results"]!.AsArray())!["uuid"]!.GetValue<string>());
        var nobody = await JsonAsync(await client.GetAsync($"{Base}/actoren?actoridentificatorObjectId=niemand%40gemeente.example"), HttpStatusCode.OK);
        Assert.Equal(0, nobody["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_actor_link_makes_the_clients_own_contact_the_employees_and_leaves_anyone_elses_alone()
    {
        using var client = Client();
        var (klantcontact, questionId) = await AnonymousKlantcontactAsync();
        await using var db = await fixture.DbAsync();
        var employees = await db.Users.OrderBy(u => u.UserName).Select(u => new { u.Id, u.DisplayName }).Take(2).ToListAsync();
        var portal = KiIds.Actor("api:Portaal").ToString();
        JsonObject Link(string actor) => new() { ["actor"] = new JsonObject { ["uuid"] = actor }, ["klantcontact"] = new JsonObject { ["uuid"] = klantcontact } };
        AssertValidRequest("actorklantcontactenCreate", Link(portal));

        // Its own client is already its actor.
        var existing = await JsonAsync(await client.PostAsync(Base + "/actorklantcontacten", Body(Link(portal))), HttpStatusCode.OK);
        AssertConforms("actorklantcontactenCreate", 201, existing);

        var employee = KiIds.Actor("medewerker:" + employees[0].Id).ToString();
        var created = await JsonAsync(await client.PostAsync(Base + "/actorklantcontacten", Body(Link(employee))), HttpStatusCode.Created);
        AssertConforms("actorklantcontactenCreate", 201, created);
        Assert.Equal(KiIds.For(KiIds.ActorKlantcontact, questionId).ToString(), created["uuid"]!.GetValue<string>());
        Assert.Equal(employee, created["actor"]!["uuid"]!.GetValue<string>());
        var contact = await db.Questions.Where(q => q.Id == questionId).Select(q => q.Contact!).AsNoTracking().SingleAsync();
        Assert.Equal((employees[0].Id, employees[0].DisplayName), (contact.AgentId, contact.AgentName));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "contact.medewerkergekoppeld" && a.EntityId == contact.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var read = await JsonAsync(await client.GetAsync($"{Base}/klantcontacten/{klantcontact}"), HttpStatusCode.OK);
        Assert.Equal(employee, read["hadBetrokkenActoren"]![0]!["uuid"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(Base + "/actorklantcontacten", Body(Link(employee)))).StatusCode);
        Assert.Equal(["actor"], await RefusedFieldsAsync(await client.PostAsync(Base + "/actorklantcontacten", Body(Link(KiIds.Actor("medewerker:" + employees[1].Id).ToString())))));
        Assert.Equal(["actor.uuid"], await RefusedFieldsAsync(await client.PostAsync(Base + "/actorklantcontacten", Body(Link(Guid.NewGuid().ToString())))));
        Assert.Equal(employees[0].Id, await db.Questions.Where(q => q.Id == questionId).Select(q => q.Contact!.AgentId).SingleAsync());

        var list = await JsonAsync(await client.GetAsync($"{Base}/actorklantcontacten?klantcontact__uuid={klantcontact}"), HttpStatusCode.OK);
        AssertConforms("actorklantcontactenList", 200, list);
        Assert.Equal(employee, Assert.Single(list["results"]!.AsArray())!["actor"]!["uuid"]!.GetValue<string>());
        var byActor = await JsonAsync(await client.GetAsync($"{Base}/actorklantcontacten?actor__uuid={employee}&pageSize=500"), HttpStatusCode.OK);
        Assert.Equal(await db.Questions.CountAsync(q => q.Contact!.AgentId == employees[0].Id), byActor["count"]!.GetValue<int>());
        var detail = await JsonAsync(await client.GetAsync($"{Base}/actorklantcontacten/{created["uuid"]}"), HttpStatusCode.OK);
        AssertConforms("actorklantcontactenRetrieve", 200, detail);
    }
    [Fact]
    public async Task A_digitaal_adres_of_a_betrokkene_is_kept_on_its_party_once_and_checked_like_the_party_form()
    {
        using var client = Client();
        var (klantcontact, questionId) = await AnonymousKlantcontactAsync();
        await using var db = await fixture.DbAsync();
        // A party with no e-mail address yet, so the address added here is the only one.
        var partyId = await db.Parties.Where(p => p.AnonymisedAt == null && p.Bsn != null && !p.ContactDetails.Any(d => d.Kind == Web.Features.Parties.ContactDetailKind.Email))
            .OrderBy(p => p.Id).Select(p => p.Id).FirstAsync();
        var versionBefore = await db.Parties.Where(p => p.Id == partyId).Select(p => p.Version).SingleAsync();
        var betrokkene = (await JsonAsync(await client.PostAsync(Base + "/betrokkenen", Body(Betrokkene(klantcontact, partyId))), HttpStatusCode.Created))["uuid"]!.GetValue<string>();
        var request = new JsonObject
        {
            ["verstrektDoorBetrokkene"] = new JsonObject { ["uuid"] = betrokkene },
            ["verstrektDoorPartij"] = null,
            ["adres"] = "Inwoner.Test@Voorbeeld.nl",
            ["soortDigitaalAdres"] = "email",
            ["omschrijving"] = "e-mail",
        };
        AssertValidRequest("digitaleadressenCreate", request);

        var created = await JsonAsync(await client.PostAsync(Base + "/digitaleadressen", Body(request)), HttpStatusCode.Created);

        AssertConforms("digitaleadressenCreate", 201, created);
        Assert.Equal(KiIds.For(KiIds.Partij, partyId).ToString(), created["verstrektDoorPartij"]!["uuid"]!.GetValue<string>());
        var kept = await db.PartyContactDetails.Where(d => d.PartyId == partyId && d.Kind == Web.Features.Parties.ContactDetailKind.Email).SingleAsync();
        Assert.Equal(("Inwoner.Test@Voorbeeld.nl", "inwoner.test@voorbeeld.nl"), (kept.Value, kept.NormalizedValue));
        Assert.Equal(versionBefore + 1, await db.Parties.Where(p => p.Id == partyId).Select(p => p.Version).SingleAsync());
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "betrokkene.gewijzigd" && a.EntityId == partyId.ToString(System.Globalization.CultureInfo.InvariantCulture) && a.ActorId == "api:Portaal"));

        request["adres"] = "inwoner.test@voorbeeld.nl";
        var again = await JsonAsync(await client.PostAsync(Base + "/digitaleadressen", Body(request)), HttpStatusCode.OK);
        Assert.Equal(created["uuid"]!.GetValue<string>(), again["uuid"]!.GetValue<string>());
        var byBetrokkene = await JsonAsync(await client.GetAsync($"{Base}/digitaleadressen?verstrektDoorBetrokkene__uuid={betrokkene}&soortDigitaalAdres=email"), HttpStatusCode.OK);
        Assert.Equal(created["uuid"]!.GetValue<string>(), Assert.Single(byBetrokkene["results"]!.AsArray())!["uuid"]!.GetValue<string>());

        request["adres"] = "geen-adres";
        Assert.Equal(["adres"], await RefusedFieldsAsync(await client.PostAsync(Base + "/digitaleadressen", Body(request))));
        request["adres"] = "12345";
        request["soortDigitaalAdres"] = "telefoonnummer";
        Assert.Equal(["adres"], await RefusedFieldsAsync(await client.PostAsync(Base + "/digitaleadressen", Body(request))));
        request["soortDigitaalAdres"] = "overig";
        Assert.Equal(["soortDigitaalAdres"], await RefusedFieldsAsync(await client.PostAsync(Base + "/digitaleadressen", Body(request))));
        Assert.Equal(1, await db.PartyContactDetails.CountAsync(d => d.PartyId == partyId && d.Kind == Web.Features.Parties.ContactDetailKind.Email));
        Assert.Equal(0, await db.PartyContactDetails.CountAsync(d => d.PartyId == partyId && d.Value == "12345"));
    }

    [Fact]
    public async Task A_digitaal_adres_of_an_anonymous_betrokkene_is_answered_but_not_kept()
    {
        using var client = Client();
        var (klantcontact, questionId) = await AnonymousKlantcontactAsync();
        await JsonAsync(await client.PostAsync(Base + "/betrokkenen", Body(Betrokkene(klantcontact, null))), HttpStatusCode.Created);
        await using var db = await fixture.DbAsync();
        var detailsBefore = await db.PartyContactDetails.CountAsync();

        var answered = await JsonAsync(await client.PostAsync(Base + "/digitaleadressen", Body(new JsonObject
        {
            ["verstrektDoorBetrokkene"] = new JsonObject { ["uuid"] = KiIds.For(KiIds.Betrokkene, questionId).ToString() },
            ["adres"] = "0612345678",
            ["soortDigitaalAdres"] = "telefoonnummer",
            ["omschrijving"] = "mobiel",
        })), HttpStatusCode.Created);

        AssertConforms("digitaleadressenCreate", 201, answered);
        Assert.Equal(detailsBefore, await db.PartyContactDetails.CountAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(answered["url"]!.GetValue<string>())).StatusCode);
        Assert.Equal(["verstrektDoorPartij"], await RefusedFieldsAsync(await client.PostAsync(Base + "/digitaleadressen", Body(new JsonObject { ["adres"] = "0612345678", ["soortDigitaalAdres"] = "telefoonnummer" }))));
    }
    /// <summary>A valid BSN no party has yet: 9 digits passing the elfproef, searched upwards from a random start.</summary>
    private async Task<string> FreeBsnAsync()
    {
        await using var db = await fixture.DbAsync();
        for (var n = Random.Shared.Next(100_000_000, 900_000_000); ; n++)
        {
            var bsn = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (Web.Features.Parties.Identifiers.IsValidBsn(bsn) && !await db.Parties.AnyAsync(p => p.Bsn == bsn))
            {
                return bsn;
            }
        }
    }

    [Fact]
    public async Task A_partij_created_through_the_api_gets_its_bsn_once_and_is_then_found_by_it()
    {
        using var client = Client();
        var request = new JsonObject
        {
            ["digitaleAdressen"] = new JsonArray(),
            ["voorkeursDigitaalAdres"] = null,
            ["rekeningnummers"] = new JsonArray(),
            ["voorkeursRekeningnummer"] = null,
            ["soortPartij"] = "persoon",
            ["indicatieGeheimhouding"] = false,
            ["indicatieActief"] = true,
            ["voorkeurstaal"] = "nld",
            ["partijIdentificatie"] = new JsonObject
            {
                ["contactnaam"] = new JsonObject { ["voorletters"] = "A.", ["voornaam"] = "Anna", ["voorvoegselAchternaam"] = "van", ["achternaam"] = "Dijk" },
            },
        };
        AssertValidRequest("partijenCreate", request);

        var created = await JsonAsync(await client.PostAsync(Base + "/partijen", Body(request)), HttpStatusCode.Created);

        AssertConforms("partijenCreate", 201, created);
        Assert.Equal("Anna van Dijk", created["partijIdentificatie"]!["volledigeNaam"]!.GetValue<string>());
        Assert.True(KiIds.TryReadInt(Guid.Parse(created["uuid"]!.GetValue<string>()), KiIds.Partij, out var partyId));
        await using var db = await fixture.DbAsync();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "betrokkene.aangemaakt" && a.EntityId == partyId.ToString(System.Globalization.CultureInfo.InvariantCulture) && a.ActorId == "api:Portaal"));

        var bsn = await FreeBsnAsync();
        var identificator = new JsonObject
        {
            ["identificeerdePartij"] = new JsonObject { ["uuid"] = created["uuid"]!.GetValue<string>() },
            ["partijIdentificator"] = new JsonObject { ["codeObjecttype"] = "natuurlijk_persoon", ["codeSoortObjectId"] = "bsn", ["objectId"] = bsn, ["codeRegister"] = "brp" },
        };
        AssertValidRequest("partijIdentificatorenCreate", identificator);
        var added = await JsonAsync(await client.PostAsync(Base + "/partij-identificatoren", Body(identificator)), HttpStatusCode.Created);
        AssertConforms("partijIdentificatorenCreate", 201, added);
        Assert.Equal(bsn, added["partijIdentificator"]!["objectId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(Base + "/partij-identificatoren", Body(identificator))).StatusCode);

        var found = await JsonAsync(await client.GetAsync($"{Base}/partijen?partijIdentificator__codeSoortObjectId=bsn&partijIdentificator__objectId={bsn}"), HttpStatusCode.OK);
        Assert.Equal(created["uuid"]!.GetValue<string>(), Assert.Single(found["results"]!.AsArray())!["uuid"]!.GetValue<string>());

        // Another BSN on this party, or this BSN on another party, is refused and nothing changes.
        identificator["partijIdentificator"]!["objectId"] = await FreeBsnAsync();
        Assert.Equal(["partijIdentificator.objectId"], await RefusedFieldsAsync(await client.PostAsync(Base + "/partij-identificatoren", Body(identificator))));
        var second = await JsonAsync(await client.PostAsync(Base + "/partijen", Body(request)), HttpStatusCode.Created);
        identificator["identificeerdePartij"]!["uuid"] = second["uuid"]!.GetValue<string>();
        identificator["partijIdentificator"]!["objectId"] = bsn;
        Assert.Equal(["partijIdentificator.objectId"], await RefusedFieldsAsync(await client.PostAsync(Base + "/partij-identificatoren", Body(identificator))));
        identificator["partijIdentificator"]!["objectId"] = "123456789";
        Assert.Equal(["partijIdentificator.objectId"], await RefusedFieldsAsync(await client.PostAsync(Base + "/partij-identificatoren", Body(identificator))));
        Assert.Equal(1, await db.Parties.CountAsync(p => p.Bsn == bsn));
        Assert.True(KiIds.TryReadInt(Guid.Parse(second["uuid"]!.GetValue<string>()), KiIds.Partij, out var secondId));
        Assert.Null(await db.Parties.Where(p => p.Id == secondId).Select(p => p.Bsn).SingleAsync());
    }

    [Fact]
    public async Task An_organisatie_with_its_kvk_nummer_inline_is_registered_and_a_partij_without_a_name_is_refused_by_field()
    {
        using var client = Client();
        var kvk = Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var request = new JsonObject
        {
            ["soortPartij"] = "organisatie",
            ["indicatieActief"] = true,
            ["partijIdentificatie"] = new JsonObject { ["naam"] = "Bakkerij De Korenbloem" },
            ["partijIdentificatoren"] = new JsonArray(new JsonObject
            {
                ["partijIdentificator"] = new JsonObject { ["codeObjecttype"] = "niet_natuurlijk_persoon", ["codeSoortObjectId"] = "kvk_nummer", ["objectId"] = kvk, ["codeRegister"] = "hr" },
            }),
        };
        AssertValidRequest("partijenCreate", request);

        var created = await JsonAsync(await client.PostAsync(Base + "/partijen", Body(request)), HttpStatusCode.Created);

        AssertConforms("partijenCreate", 201, created);
        Assert.Equal("organisatie", created["soortPartij"]!.GetValue<string>());
        Assert.Equal(kvk, created["partijIdentificatoren"]![0]!["partijIdentificator"]!["objectId"]!.GetValue<string>());

        var nameless = new JsonObject { ["soortPartij"] = "persoon", ["indicatieActief"] = true, ["partijIdentificatie"] = new JsonObject { ["contactnaam"] = null } };
        Assert.Equal(["partijIdentificatie.contactnaam.achternaam"], await RefusedFieldsAsync(await client.PostAsync(Base + "/partijen", Body(nameless))));
        var contactpersoon = new JsonObject { ["soortPartij"] = "contactpersoon", ["indicatieActief"] = true };
        Assert.Equal(["soortPartij"], await RefusedFieldsAsync(await client.PostAsync(Base + "/partijen", Body(contactpersoon))));
    }
}
