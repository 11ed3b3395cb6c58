using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Integrations;
using Kcc.Workbench.Web.Features.Klantinteracties;
using Kcc.Workbench.Web.Features.Routing;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kcc.Workbench.Tests.Features.Klantinteracties;

/// <summary>
/// The Klantinteracties API over HTTP on a demo database: every response of every operation we implement validates
/// against the published specification, our request examples validate and are accepted, and the rules around it
/// (token, role, confidentiality, filters, paging, completing a task) hold.
/// </summary>
public sealed class KlantinteractiesApiTests(KlantinteractiesApiTests.Fixture fixture) : IClassFixture<KlantinteractiesApiTests.Fixture>
{
    public const string PortalKey = "test-sleutel-portaal-0123456789";
    public const string ReaderKey = "test-sleutel-lezer-0123456789";

    public sealed class Fixture : IAsyncLifetime
    {
        public KccWebApplicationFactory Factory { get; } = new(new Dictionary<string, string?>
        {
            // A portal that reads everything, logs contacts and completes tasks; and a reader with the API role alone.
            ["Integraties:Clients:2:Name"] = "Portaal",
            ["Integraties:Clients:2:KeyHash"] = ApiKeyDefaults.Hash(PortalKey),
            ["Integraties:Clients:2:Roles:0"] = "Klantinteracties",
            ["Integraties:Clients:2:Roles:1"] = "Frontoffice",
            ["Integraties:Clients:2:Roles:2"] = "Teamleider",
            ["Integraties:Clients:3:Name"] = "Lezer",
            ["Integraties:Clients:3:KeyHash"] = ApiKeyDefaults.Hash(ReaderKey),
            ["Integraties:Clients:3:Roles:0"] = "Klantinteracties",
        });

        public OpenApiContract Contract { get; private set; } = null!;

        public async ValueTask InitializeAsync() => Contract = await OpenApiContract.Klantinteracties.Value;

        public ValueTask DisposeAsync() => Factory.DisposeAsync();

        public async Task<KccDbContext> DbAsync() => await Factory.Services.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync();
    }

    private HttpClient Client(string? key = PortalKey)
    {
        var client = fixture.Factory.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", key);
        }

        return client;
    }

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    private void AssertConforms(string operationId, int status, JsonNode body)
    {
        var schema = fixture.Contract.ResponseSchema(operationId, status);
        var errors = fixture.Contract.Validate(schema, body);
        Assert.True(errors.Count == 0, $"{operationId} → {schema}:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}{Environment.NewLine}{body.ToJsonString()[..Math.Min(3000, body.ToJsonString().Length)]}");
    }

    private async Task<(string Topic, string Uri)> TopicAsync()
    {
        await using var db = await fixture.DbAsync();
        var topic = await db.Topics.Where(t => t.Name == "paspoort").Select(t => new { t.Name, t.Uri }).SingleAsync();
        return (topic.Name, topic.Uri);
    }

    private async Task<JsonObject> KlantcontactExampleAsync(bool confidential = false)
    {
        var (topic, _) = await TopicAsync();
        return new JsonObject
        {
            ["kanaal"] = "Website",
            ["onderwerp"] = topic,
            ["inhoud"] = "Hoe lang is mijn paspoort geldig?",
            ["reactie"] = "Tien jaar voor volwassenen.",
            ["indicatieContactGelukt"] = true,
            ["taal"] = "nld",
            ["vertrouwelijk"] = confidential,
            ["plaatsgevondenOp"] = DateTime.UtcNow.AddMinutes(-5).ToString("O"),
        };
    }

    private async Task<JsonObject> MaakKlantcontactExampleAsync(bool confidential = false)
    {
        var (_, uri) = await TopicAsync();
        await using var db = await fixture.DbAsync();
        var partyId = await db.Parties.Where(p => p.Bsn != null && p.AnonymisedAt == null).OrderBy(p => p.Id).Select(p => p.Id).FirstAsync();
        return new JsonObject
        {
            ["klantcontact"] = await KlantcontactExampleAsync(confidential),
            ["betrokkene"] = new JsonObject
            {
                ["wasPartij"] = new JsonObject { ["uuid"] = KiIds.For(KiIds.Partij, partyId).ToString() },
                ["rol"] = "klant",
                ["initiator"] = true,
                ["organisatienaam"] = "",
            },
            ["onderwerpobject"] = new JsonObject
            {
                ["onderwerpobjectidentificator"] = new JsonObject { ["objectId"] = uri, ["codeObjecttype"] = "product", ["codeRegister"] = "upl", ["codeSoortObjectId"] = "uri" },
            },
        };
    }

    private static StringContent Body(JsonNode json) => new(json.ToJsonString(), Encoding.UTF8, "application/json");

    [Fact]
    public void Every_endpoint_we_serve_is_an_operation_of_the_specification()
    {
        var ours = fixture.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith(KlantinteractiesApi.BasePath, StringComparison.Ordinal) == true)
            .Select(e => (Method: e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()!.HttpMethods[0],
                Path: e.RoutePattern.RawText![KlantinteractiesApi.BasePath.Length..].Replace("{uuid:guid}", "{uuid}", StringComparison.Ordinal)))
            .ToList();
        var spec = fixture.Contract.Operations().Select(o => (o.Method, o.Path)).ToHashSet();

        Assert.Equal(27, ours.Count);
        Assert.All(ours, endpoint => Assert.Contains(endpoint, spec));
    }

    public static TheoryData<string, string, string> Resources() => new()
    {
        { "klantcontacten", "klantcontacten", "gingOverOnderwerpobjecten,hadBetrokkenen,hadBetrokkenen.digitaleAdressen,hadBetrokkenen.wasPartij,leiddeTotInterneTaken,omvatteBijlagen" },
        { "betrokkenen", "betrokkenen", "digitaleAdressen" },
        { "onderwerpobjecten", "onderwerpobjecten", "" },
        { "internetaken", "internetaken", "" },
        { "actoren", "actoren", "" },
        { "actorklantcontacten", "actorklantcontacten", "" },
        { "partijen", "partijen", "betrokkenen,digitaleAdressen" },
        { "partij-identificatoren", "partijIdentificatoren", "" },
        { "digitaleadressen", "digitaleadressen", "verstrektDoorBetrokkene" },
    };

    [Theory]
    [MemberData(nameof(Resources))]
    public async Task Lists_and_details_validate_against_the_specification(string resource, string operationPrefix, string expand)
    {
        using var client = Client();
        await client.PostAsync(KlantinteractiesApi.BasePath + "/maak-klantcontact", Body(await MaakKlantcontactExampleAsync()));

        var list = await JsonAsync(await client.GetAsync($"{KlantinteractiesApi.BasePath}/{resource}?pageSize=25"));
        AssertConforms(operationPrefix + "List", 200, list);
        var results = list["results"]!.AsArray();
        Assert.NotEmpty(results);
        Assert.True(list["count"]!.GetValue<int>() >= results.Count);

        var uuid = results[0]!["uuid"]!.GetValue<string>();
        var detail = await JsonAsync(await client.GetAsync($"{KlantinteractiesApi.BasePath}/{resource}/{uuid}"));
        AssertConforms(operationPrefix + "Retrieve", 200, detail);
        Assert.Equal(results[0]!["url"]!.GetValue<string>(), detail["url"]!.GetValue<string>());

        if (expand.Length > 0)
        {
            var expanded = await JsonAsync(await client.GetAsync($"{KlantinteractiesApi.BasePath}/{resource}?pageSize=25&expand={expand}"));
            AssertConforms(operationPrefix + "List", 200, expanded);
            Assert.All(expanded["results"]!.AsArray(), r => Assert.NotNull(r!["_expand"]));
            var expandedDetail = await JsonAsync(await client.GetAsync($"{KlantinteractiesApi.BasePath}/{resource}/{uuid}?expand={expand}"));
            AssertConforms(operationPrefix + "Retrieve", 200, expandedDetail);
        }
    }

    [Fact]
    public async Task The_request_examples_validate_against_the_specification_and_are_accepted()
    {
        using var client = Client();
        var klantcontact = await KlantcontactExampleAsync();
        var maak = await MaakKlantcontactExampleAsync();
        Assert.Empty(fixture.Contract.Validate(fixture.Contract.RequestSchema("klantcontactenCreate"), klantcontact, request: true));
        Assert.Empty(fixture.Contract.Validate(fixture.Contract.RequestSchema("maakKlantcontactCreate"), maak, request: true));

        var created = await JsonAsync(await client.PostAsync(KlantinteractiesApi.BasePath + "/klantcontacten", Body(klantcontact)), HttpStatusCode.Created);
        AssertConforms("klantcontactenCreate", 201, created);
        Assert.Equal("Website", created["kanaal"]!.GetValue<string>());
        Assert.Equal("nld", created["taal"]!.GetValue<string>());
        Assert.Equal("Hoe lang is mijn paspoort geldig?", created["inhoud"]!.GetValue<string>());

        var made = await JsonAsync(await client.PostAsync(KlantinteractiesApi.BasePath + "/maak-klantcontact", Body(maak)), HttpStatusCode.Created);
        AssertConforms("maakKlantcontactCreate", 201, made);
        Assert.Equal(maak["betrokkene"]!["wasPartij"]!["uuid"]!.GetValue<string>(), made["betrokkene"]!["wasPartij"]!["uuid"]!.GetValue<string>());

        // What was written reads back the same, under the same uuid.
        var again = await JsonAsync(await client.GetAsync(made["klantcontact"]!["url"]!.GetValue<string>()));
        Assert.Equal(made["klantcontact"]!["uuid"]!.GetValue<string>(), again["uuid"]!.GetValue<string>());

        var task = await OpenTaskAsync();
        var patch = new JsonObject { ["status"] = "verwerkt", ["toelichting"] = "Paspoort ligt klaar aan de balie." };
        Assert.Empty(fixture.Contract.Validate(fixture.Contract.RequestSchema("internetakenPartialUpdate"), patch, request: true));
        var completed = await JsonAsync(await client.PatchAsync($"{KlantinteractiesApi.BasePath}/internetaken/{KiIds.For(KiIds.Internetaak, task)}", Body(patch)));
        AssertConforms("internetakenPartialUpdate", 200, completed);
        Assert.Equal("verwerkt", completed["status"]!.GetValue<string>());
    }

    /// <summary>A routed question, logged by the website form through the workbench's own API: its task is open.</summary>
    private async Task<long> OpenTaskAsync()
    {
        await using var db = await fixture.DbAsync();
        var topic = await db.Topics.Where(t => t.Name == "paspoort").Select(t => new { t.Id, t.DefaultTeamId }).SingleAsync();
        using var website = fixture.Factory.CreateClient();
        website.DefaultRequestHeaders.Add("X-Api-Key", KccWebApplicationFactory.WebsiteKey);
        var response = await website.PostAsJsonAsync("/api/v1/klantcontacten", new
        {
            channel = "Website",
            startedAt = DateTime.UtcNow.AddMinutes(-2),
            questions = new[]
            {
                new
                {
                    topicId = topic.Id, text = "Graag teruggebeld over mijn aanvraag.", outcome = "Terugbelverzoek",
                    routing = new { action = "Terugbellen", teamId = topic.DefaultTeamId, reachBy = "Telefoon", reachAt = "0612345678" },
                },
            },
        });
        var contactId = (await JsonAsync(response, HttpStatusCode.Created))["id"]!.GetValue<long>();
        return await db.InternalTasks.Where(t => t.ContactId == contactId).Select(t => t.Id).SingleAsync();
    }

    [Fact]
    public async Task Completing_an_internetaak_completes_our_task_with_its_result_log_line_and_audit_entry()
    {
        using var client = Client();
        var taskId = await OpenTaskAsync();

        var response = await client.PatchAsync($"{KlantinteractiesApi.BasePath}/internetaken/{KiIds.For(KiIds.Internetaak, taskId)}",
            Body(new JsonObject { ["status"] = "verwerkt", ["toelichting"] = "Vergunning verleend, brief volgt." }));

        var body = await JsonAsync(response);
        Assert.Equal("Vergunning verleend, brief volgt.", body["toelichting"]!.GetValue<string>());
        await using var db = await fixture.DbAsync();
        var task = await db.InternalTasks.Include(t => t.Log).SingleAsync(t => t.Id == taskId);
        Assert.Equal(InternalTaskStatus.Verwerkt, task.Status);
        Assert.Equal("Vergunning verleend, brief volgt.", task.Result);
        Assert.Equal("Portaal", task.CompletedByName);
        Assert.Contains(task.Log, l => l.Kind == TaskLogKind.Afgerond && l.EmployeeId == "api:Portaal");
        Assert.True(await db.AuditEntries.AnyAsync(a => a.ActorId == "api:Portaal" && a.EntityId == taskId.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var twice = await client.PatchAsync($"{KlantinteractiesApi.BasePath}/internetaken/{KiIds.For(KiIds.Internetaak, taskId)}",
            Body(new JsonObject { ["status"] = "verwerkt", ["toelichting"] = "Nog eens." }));
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Contains("al afgerond", await twice.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_token_or_without_the_role_the_api_answers_401_or_403()
    {
        using var anonymous = Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(KlantinteractiesApi.BasePath + "/klantcontacten")).StatusCode);

        using var wrongKey = Client("geen-geldige-sleutel");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongKey.GetAsync(KlantinteractiesApi.BasePath + "/klantcontacten")).StatusCode);

        // The website form's client has a key but not the role Klantinteracties.
        using var websiteForm = Client(KccWebApplicationFactory.WebsiteKey);
        var refused = await websiteForm.GetAsync(KlantinteractiesApi.BasePath + "/klantcontacten");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Klantinteracties", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The reader may read, but logging a contact needs a role that may (Frontoffice), as in the workbench.
        using var reader = Client(ReaderKey);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(KlantinteractiesApi.BasePath + "/klantcontacten")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync(KlantinteractiesApi.BasePath + "/klantcontacten", Body(await KlantcontactExampleAsync()))).StatusCode);
    }

    [Fact]
    public async Task A_confidential_contact_and_its_task_are_left_out_for_a_client_that_may_not_read_them()
    {
        using var portal = Client();
        using var reader = Client(ReaderKey);
        var made = await JsonAsync(await portal.PostAsync(KlantinteractiesApi.BasePath + "/maak-klantcontact", Body(await MaakKlantcontactExampleAsync(confidential: true))), HttpStatusCode.Created);
        var uuid = made["klantcontact"]!["uuid"]!.GetValue<string>();
        Assert.True(made["klantcontact"]!["vertrouwelijk"]!.GetValue<bool>());

        Assert.Equal(HttpStatusCode.OK, (await portal.GetAsync($"{KlantinteractiesApi.BasePath}/klantcontacten/{uuid}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"{KlantinteractiesApi.BasePath}/klantcontacten/{uuid}")).StatusCode);
        var readerList = await JsonAsync(await reader.GetAsync($"{KlantinteractiesApi.BasePath}/klantcontacten?vertrouwelijk=true&pageSize=500"));
        Assert.DoesNotContain(readerList["results"]!.AsArray(), r => r!["uuid"]!.GetValue<string>() == uuid);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"{KlantinteractiesApi.BasePath}/betrokkenen/{made["betrokkene"]!["uuid"]}")).StatusCode);

        await using var db = await fixture.DbAsync();
        var confidentialTask = await db.InternalTasks.Where(t => db.Contacts.Any(c => c.Id == t.ContactId && c.IsConfidential)).Select(t => (long?)t.Id).FirstOrDefaultAsync();
        if (confidentialTask is { } taskId)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"{KlantinteractiesApi.BasePath}/internetaken/{KiIds.For(KiIds.Internetaak, taskId)}")).StatusCode);
        }
    }

    [Fact]
    public async Task Klantcontacten_filter_by_a_partys_bsn_and_internetaken_by_status_and_actor()
    {
        using var client = Client();
        var made = await JsonAsync(await client.PostAsync(KlantinteractiesApi.BasePath + "/maak-klantcontact", Body(await MaakKlantcontactExampleAsync())), HttpStatusCode.Created);
        await using var db = await fixture.DbAsync();
        var partyId = await db.Parties.Where(p => p.Bsn != null && p.AnonymisedAt == null).OrderBy(p => p.Id).Select(p => new { p.Id, p.Bsn }).FirstAsync();
        var expected = await db.Questions.CountAsync(q => q.Contact!.PartyId == partyId.Id);

        var byBsn = await JsonAsync(await client.GetAsync(
            $"{KlantinteractiesApi.BasePath}/klantcontacten?hadBetrokkene__wasPartij__partijIdentificator__codeSoortObjectId=bsn&hadBetrokkene__wasPartij__partijIdentificator__objectId={partyId.Bsn}&pageSize=500"));
        Assert.Equal(expected, byBsn["count"]!.GetValue<int>());
        Assert.Contains(byBsn["results"]!.AsArray(), r => r!["uuid"]!.GetValue<string>() == made["klantcontact"]!["uuid"]!.GetValue<string>());

        var taskId = await OpenTaskAsync();
        var task = await db.InternalTasks.Where(t => t.Id == taskId).Select(t => new { t.TeamId, Team = t.Team!.Name }).SingleAsync();
        var teamActor = await JsonAsync(await client.GetAsync($"{KlantinteractiesApi.BasePath}/actoren?soortActor=organisatorische_eenheid&naam={Uri.EscapeDataString(task.Team)}"));
        var actorUuid = Assert.Single(teamActor["results"]!.AsArray())!["uuid"]!.GetValue<string>();
        var open = await JsonAsync(await client.GetAsync($"{KlantinteractiesApi.BasePath}/internetaken?status=te_verwerken&toegewezenAanActor__uuid={actorUuid}&pageSize=500"));
        Assert.Equal(await db.InternalTasks.CountAsync(t => t.Status == InternalTaskStatus.TeVerwerken && t.TeamId == task.TeamId), open["count"]!.GetValue<int>());
        Assert.All(open["results"]!.AsArray(), r => Assert.Equal("te_verwerken", r!["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Pages_link_to_each_other_and_page_size_stops_at_500()
    {
        using var client = Client();
        var first = await JsonAsync(await client.GetAsync($"{KlantinteractiesApi.BasePath}/klantcontacten?pageSize=2"));
        var count = first["count"]!.GetValue<int>();
        Assert.True(count > 4);
        Assert.Null(first["previous"]);
        var second = await JsonAsync(await client.GetAsync(first["next"]!.GetValue<string>()));
        Assert.EndsWith("page=1", second["previous"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(second["results"]!.AsArray(), r => first["results"]!.AsArray().Any(f => f!["uuid"]!.GetValue<string>() == r!["uuid"]!.GetValue<string>()));

        var big = await JsonAsync(await client.GetAsync($"{KlantinteractiesApi.BasePath}/klantcontacten?pageSize=100000"));
        Assert.Equal(Math.Min(500, count), big["results"]!.AsArray().Count);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{KlantinteractiesApi.BasePath}/klantcontacten?page=100000")).StatusCode);
        var badExpand = await client.GetAsync($"{KlantinteractiesApi.BasePath}/klantcontacten?expand=alles");
        Assert.Equal(HttpStatusCode.BadRequest, badExpand.StatusCode);
        Assert.Contains("expand", await badExpand.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_contract_check_refuses_a_klantcontact_that_breaks_the_standard()
    {
        using var client = Client();
        var good = (await JsonAsync(await client.GetAsync($"{KlantinteractiesApi.BasePath}/klantcontacten?pageSize=1")))["results"]![0]!.AsObject();
        Assert.Empty(fixture.Contract.Validate("Klantcontact", good));

        var broken = good.DeepClone().AsObject();
        broken.Remove("kanaal");
        broken["taal"] = "nederlands";
        broken["hadBetrokkenActoren"]![0]!["soortActor"] = "robot";

        var errors = fixture.Contract.Validate("Klantcontact", broken);
        Assert.Contains(errors, e => e.Contains("kanaal", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("/taal", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("soortActor", StringComparison.Ordinal));
    }

    [Fact]
    public void Uuids_are_stable_and_lead_back_to_the_record_of_their_kind_only()
    {
        var uuid = KiIds.For(KiIds.Klantcontact, 123456);

        Assert.Equal(uuid, KiIds.For(KiIds.Klantcontact, 123456));
        Assert.True(KiIds.TryRead(uuid, KiIds.Klantcontact, out var id));
        Assert.Equal(123456, id);
        Assert.False(KiIds.TryRead(uuid, KiIds.Internetaak, out _));
        Assert.NotEqual(uuid, KiIds.For(KiIds.Betrokkene, 123456));
        Assert.Equal(8, uuid.Version);
        Assert.Equal(KiIds.Actor("team:3"), KiIds.Actor("team:3"));
        Assert.Equal(5, KiIds.Actor("team:3").Version);
    }

    [Fact]
    public async Task Unknown_channel_topic_or_language_is_a_400_naming_the_standards_field()
    {
        using var client = Client();
        var example = await KlantcontactExampleAsync();
        example["kanaal"] = "Postduif";
        example["onderwerp"] = "Bestaat niet";
        example["taal"] = "xx";

        var response = await client.PostAsync(KlantinteractiesApi.BasePath + "/klantcontacten", Body(example));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Contains("kanaal", errors.Select(e => e.Key));
        Assert.Contains("onderwerp", errors.Select(e => e.Key));
        Assert.Contains("taal", errors.Select(e => e.Key));
    }
}
