using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Klantinteracties;
using Kcc.Workbench.Web.Features.KnowledgeBase;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kcc.Workbench.Tests.Infrastructure;

/// <summary>
/// Every API endpoint over HTTP, starting from one valid request, with null, a missing member, every wrong JSON type
/// and junk (control characters, combined or numeric enums, overflowing numbers, duplicate and unknown members,
/// empty list items) put at every JSON path of the body and in every query and route value. The answer is never a
/// 5xx; what the contract forbids is a 4xx with Dutch problem details naming the field, and then no row is written.
/// </summary>
public sealed class ApiMalformedInputTests(ApiMalformedInputTests.Fixture fixture) : IClassFixture<ApiMalformedInputTests.Fixture>
{
    /// <summary>NUL, the other C0 controls but tab and line breaks, DEL and C1: each on its own, inside ordinary text.</summary>
    private static readonly string[] ControlJunk =
        [.. "\u0000\u0001\u0007\u0008\u000b\u000c\u001b\u001f\u007f\u0085\u009b".Select(c => $"paspoort{c}aanvragen"), "\u001b[2J scherm wissen"];

    private static readonly string[] EnglishDefaults = [" must ", " should ", "is not a valid", "is required", "could not", "JSON value"];

    public sealed class Fixture : IAsyncLifetime
    {
        public const string KlantinteractiesKey = "test-sleutel-klantinteracties-0123456789";

        public KccWebApplicationFactory Factory { get; } = new(new Dictionary<string, string?>
        {
            ["Kcc:Kennisbank:Api:PermitLimit"] = "1000000",
            ["Integraties:Clients:2:Name"] = "Portaal",
            ["Integraties:Clients:2:KeyHash"] = Kcc.Workbench.Web.Features.Integrations.ApiKeyDefaults.Hash(KlantinteractiesKey),
            ["Integraties:Clients:2:Roles:0"] = "Klantinteracties",
            ["Integraties:Clients:2:Roles:1"] = "Frontoffice",
            ["Integraties:Clients:2:Roles:2"] = "Teamleider",
        });

        public string TopicName { get; private set; } = "";

        public string TopicUri { get; private set; } = "";

        /// <summary>Klantinteracties ids: a question with a party, its party, one of the party's contact details, a team, an open task.</summary>
        public (long Question, int Party, int Detail, int Team, long Task) Ki { get; private set; }

        public int TopicId { get; private set; }

        /// <summary>For the Klantinteracties writes: the question's agent, the party's BSN, and one contact detail as (party, kind, value).</summary>
        public (string AgentId, string Bsn, int DetailParty, string DetailKind, string DetailValue) KiWrites { get; private set; }

        public string KiQuestionTopicUri { get; private set; } = "";

        public int TeamId { get; private set; }

        public int PartyId { get; private set; }

        public int ArticleId { get; private set; }

        public int ArticleVersionId { get; private set; }

        public async ValueTask InitializeAsync()
        {
            await using var db = await Factory.Services.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync();
            var topic = await db.Topics.Where(t => t.Name == "paspoort").SingleAsync();
            TopicId = topic.Id;
            TeamId = topic.DefaultTeamId ?? await db.Teams.Select(t => t.Id).FirstAsync();
            PartyId = await db.Parties.Select(p => p.Id).FirstAsync();
            var version = await db.ArticleVersions.Where(v => db.Articles.Any(a => a.Id == v.ArticleId && a.Status == ArticleStatus.Gepubliceerd))
                .OrderBy(v => v.Id).Select(v => new { v.Id, v.ArticleId }).FirstAsync();
            ArticleId = version.ArticleId;
            ArticleVersionId = version.Id;
            TopicName = topic.Name;
            TopicUri = topic.Uri;
            var question = await db.Questions.Where(q => q.Contact!.PartyId != null && !q.Contact.IsConfidential && q.Contact.Party!.Bsn != null)
                .OrderBy(q => q.Id).Select(q => new { q.Id, PartyId = q.Contact!.PartyId!.Value, q.Contact.AgentId, q.Contact.Party!.Bsn, TopicUri = q.Topic!.Uri }).FirstAsync();
            var detail = await db.PartyContactDetails.OrderBy(d => d.Id).Select(d => d.Id).FirstAsync();
            var firstDetail = await db.PartyContactDetails.Where(d => d.Id == detail).Select(d => new { d.PartyId, d.Kind, d.Value }).SingleAsync();
            KiQuestionTopicUri = question.TopicUri;
            KiWrites = (question.AgentId, question.Bsn!, firstDetail.PartyId,
                firstDetail.Kind == Kcc.Workbench.Web.Features.Parties.ContactDetailKind.Email ? "email" : "telefoonnummer", firstDetail.Value);
            using var website = Factory.CreateClient();
            website.DefaultRequestHeaders.Add("X-Api-Key", KccWebApplicationFactory.WebsiteKey);
            using var routed = await website.PostAsync("/api/v1/klantcontacten", new StringContent(new JsonObject
            {
                ["channel"] = "Website",
                ["startedAt"] = DateTime.UtcNow.AddMinutes(-2),
                ["questions"] = new JsonArray(new JsonObject
                {
                    ["topicId"] = TopicId, ["text"] = "Graag teruggebeld.", ["outcome"] = "Terugbelverzoek",
                    ["routing"] = new JsonObject { ["action"] = "Terugbellen", ["teamId"] = TeamId, ["reachBy"] = "Telefoon", ["reachAt"] = "0612345678" },
                }),
            }.ToJsonString(), Encoding.UTF8, "application/json"));
            var contactId = JsonNode.Parse(await routed.Content.ReadAsStringAsync())!["id"]!.GetValue<long>();
            var task = await db.InternalTasks.Where(t => t.ContactId == contactId).Select(t => t.Id).SingleAsync();
            Ki = (question.Id, question.PartyId, detail, TeamId, task);
        }

        public ValueTask DisposeAsync() => Factory.DisposeAsync();
    }

    /// <summary>A valid request per API endpoint, using every member the contract has; the generator mutates it.</summary>
    private Dictionary<string, Example> Examples()
    {
        var now = DateTime.UtcNow;
        var contact = new JsonObject
        {
            ["channel"] = "Website",
            ["direction"] = "Inkomend",
            ["startedAt"] = now.AddMinutes(-3),
            ["endedAt"] = now.AddMinutes(-1),
            ["partyId"] = fixture.PartyId,
            ["isConfidential"] = false,
            ["language"] = "nl",
            ["questions"] = new JsonArray
            {
                new JsonObject
                {
                    ["topicId"] = fixture.TopicId,
                    ["text"] = "Hoe vraag ik een paspoort aan?",
                    ["answer"] = "Maak een afspraak op het stadhuis.",
                    ["outcome"] = "Beantwoord",
                    ["referredTo"] = null,
                    ["articleId"] = fixture.ArticleId,
                    ["articleVersionId"] = fixture.ArticleVersionId,
                    ["unansweredSearch"] = "paspoort kwijt buitenland",
                    ["routing"] = null,
                },
                new JsonObject
                {
                    ["topicId"] = fixture.TopicId,
                    ["text"] = "Wil teruggebeld worden over de spoedprocedure.",
                    ["answer"] = null,
                    ["outcome"] = "Terugbelverzoek",
                    ["referredTo"] = "Rijksdienst voor Identiteitsgegevens",
                    ["articleId"] = null,
                    ["articleVersionId"] = null,
                    ["unansweredSearch"] = null,
                    ["routing"] = new JsonObject
                    {
                        ["action"] = "Terugbellen",
                        ["teamId"] = fixture.TeamId,
                        ["assigneeId"] = null,
                        ["explanation"] = "Spoed: reis over twee weken.",
                        ["reachBy"] = "Telefoon",
                        ["reachAt"] = "0612345678",
                        ["reachable"] = "Ochtend",
                    },
                },
            },
        };
        return new Dictionary<string, Example>
        {
            ["POST /api/v1/klantcontacten"] = new(KccWebApplicationFactory.WebsiteKey, contact, [], []),
            ["GET /api/v1/kennisbank/zoeken"] = new(null, null, new() { ["q"] = "paspoort aanvragen", ["top"] = "3" }, []),
            ["GET /api/v1/kennisbank/artikelen/{id:int}"] = new(null, null, [], new() { ["id"] = fixture.ArticleId.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
            ["GET /api/v1/whatsapp/webhook"] = new(null, null, new()
            {
                ["hub.mode"] = "subscribe",
                ["hub.verify_token"] = KccWebApplicationFactory.WhatsAppVerifyToken,
                ["hub.challenge"] = "1158201444",
            }, []),
            // Meta's contract: every body signed with the app secret (else 401, which would hide what the body rules do);
            // members Meta adds without notice are skipped, not refused (a refused webhook loses the resident's message).
            ["POST /api/v1/whatsapp/webhook"] = new(null, WhatsAppWebhookExample(now), [], [],
                Sign: json => Kcc.Workbench.Web.Features.Inbox.WhatsAppWebhook.Sign(Encoding.UTF8.GetBytes(json), KccWebApplicationFactory.WhatsAppAppSecret),
                ForeignContract: true),
        }.Concat(KlantinteractiesExamples()).ToDictionary();
    }

    /// <summary>The Klantinteracties API (Authorization: Token): every list with its filters, every detail, and the three writes.</summary>
    private Dictionary<string, Example> KlantinteractiesExamples()
    {
        const string Base = KlantinteractiesApi.BasePath;
        var ki = fixture.Ki;
        var klantcontact = new JsonObject
        {
            ["kanaal"] = "Website",
            ["onderwerp"] = fixture.TopicName,
            ["inhoud"] = "Hoe lang is mijn paspoort geldig?",
            ["reactie"] = "Tien jaar.",
            ["indicatieContactGelukt"] = true,
            ["taal"] = "nld",
            ["vertrouwelijk"] = false,
            ["plaatsgevondenOp"] = DateTime.UtcNow.AddMinutes(-3),
            ["hoofdOnderwerpType"] = fixture.TopicUri,
            ["metadata"] = new JsonObject { ["afhandeling"] = "Beantwoord", ["doorverwezenNaar"] = "RDW" },
        };
        var maak = new JsonObject
        {
            ["klantcontact"] = klantcontact.DeepClone(),
            ["betrokkene"] = new JsonObject
            {
                ["wasPartij"] = new JsonObject { ["uuid"] = KiIds.For(KiIds.Partij, ki.Party).ToString() },
                ["rol"] = "klant",
                ["initiator"] = true,
                ["organisatienaam"] = "",
                ["contactnaam"] = new JsonObject { ["voorletters"] = "J.", ["voornaam"] = "Jan", ["voorvoegselAchternaam"] = "de", ["achternaam"] = "Vries" },
            },
            ["onderwerpobject"] = new JsonObject
            {
                ["onderwerpobjectidentificator"] = new JsonObject { ["objectId"] = fixture.TopicUri, ["codeObjecttype"] = "product", ["codeRegister"] = "upl", ["codeSoortObjectId"] = "uri" },
            },
        };
        var partij = KiIds.For(KiIds.Partij, ki.Party).ToString();
        var team = KiIds.Actor("team:" + ki.Team.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToString();
        var agent = KiIds.Actor(fixture.KiWrites.AgentId.StartsWith("api:", StringComparison.Ordinal) ? fixture.KiWrites.AgentId : "medewerker:" + fixture.KiWrites.AgentId).ToString();
        var questionTopic = fixture.KiQuestionTopicUri;
        Dictionary<string, string> Paging(params (string Key, string Value)[] filters) =>
            new[] { ("page", "1"), ("pageSize", "20") }.Concat(filters).ToDictionary(f => f.Item1, f => f.Item2);
        Example List(params (string, string)[] filters) => new(null, null, Paging(filters), [], Token: true);
        Example Detail(Guid uuid, string? expand = null) => new(null, null, expand is null ? [] : new() { ["expand"] = expand }, new() { ["uuid"] = uuid.ToString() }, Token: true);
        return new Dictionary<string, Example>
        {
            [$"GET {Base}/klantcontacten"] = List(("expand", "hadBetrokkenen,leiddeTotInterneTaken"), ("hadBetrokkene__wasPartij__partijIdentificator__codeSoortObjectId", "bsn"),
                ("hadBetrokkene__wasPartij__partijIdentificator__objectId", "999993653"), ("hadBetrokkene__wasPartij__uuid", partij), ("kanaal", "Telefoon"), ("vertrouwelijk", "false")),
            [$"GET {Base}/klantcontacten/{{uuid:guid}}"] = Detail(KiIds.For(KiIds.Klantcontact, ki.Question), "hadBetrokkenen.wasPartij"),
            [$"GET {Base}/betrokkenen"] = List(("expand", "digitaleAdressen"), ("wasPartij__uuid", partij)),
            [$"GET {Base}/betrokkenen/{{uuid:guid}}"] = Detail(KiIds.For(KiIds.Betrokkene, ki.Question), "digitaleAdressen"),
            [$"GET {Base}/onderwerpobjecten"] = List(("klantcontact__uuid", KiIds.For(KiIds.Klantcontact, ki.Question).ToString())),
            [$"GET {Base}/onderwerpobjecten/{{uuid:guid}}"] = Detail(KiIds.For(KiIds.Onderwerpobject, ki.Question)),
            [$"GET {Base}/internetaken"] = List(("status", "te_verwerken"), ("toegewezenAanActor__uuid", team)),
            [$"GET {Base}/internetaken/{{uuid:guid}}"] = Detail(KiIds.For(KiIds.Internetaak, ki.Task)),
            [$"GET {Base}/actoren"] = List(("soortActor", "organisatorische_eenheid"), ("indicatieActief", "true"), ("naam", "Burgerzaken")),
            [$"GET {Base}/actoren/{{uuid:guid}}"] = Detail(Guid.Parse(team)),
            [$"GET {Base}/partijen"] = List(("expand", "digitaleAdressen"), ("soortPartij", "persoon"), ("partijIdentificator__codeSoortObjectId", "bsn"), ("partijIdentificator__objectId", "999993653")),
            [$"GET {Base}/partijen/{{uuid:guid}}"] = Detail(Guid.Parse(partij), "digitaleAdressen,betrokkenen"),
            [$"GET {Base}/partij-identificatoren"] = List(("partijIdentificator__codeSoortObjectId", "bsn"), ("partijIdentificator__objectId", "999993653")),
            [$"GET {Base}/partij-identificatoren/{{uuid:guid}}"] = Detail(KiIds.For(KiIds.Bsn, ki.Party)),
            [$"GET {Base}/digitaleadressen"] = List(("verstrektDoorPartij__uuid", partij), ("soortDigitaalAdres", "email")),
            [$"GET {Base}/digitaleadressen/{{uuid:guid}}"] = Detail(KiIds.For(KiIds.DigitaalAdres, ki.Detail)),
            [$"POST {Base}/klantcontacten"] = new(null, klantcontact, [], [], Token: true),
            [$"POST {Base}/maak-klantcontact"] = new(null, maak, [], [], Token: true),
            [$"GET {Base}/actorklantcontacten"] = List(("klantcontact__uuid", KiIds.For(KiIds.Klantcontact, ki.Question).ToString()), ("actor__uuid", agent)),
            [$"GET {Base}/actorklantcontacten/{{uuid:guid}}"] = Detail(KiIds.For(KiIds.ActorKlantcontact, ki.Question)),
            // The writes KISS sends after a klantcontact; each example repeats what is already there, so it answers 200 every time.
            [$"POST {Base}/betrokkenen"] = new(null, new JsonObject
            {
                ["hadKlantcontact"] = new JsonObject { ["uuid"] = KiIds.For(KiIds.Klantcontact, ki.Question).ToString() },
                ["wasPartij"] = new JsonObject { ["uuid"] = partij },
                ["rol"] = "klant",
                ["initiator"] = true,
                ["organisatienaam"] = "",
                ["contactnaam"] = new JsonObject { ["voorletters"] = "J.", ["voornaam"] = "Jan", ["voorvoegselAchternaam"] = "de", ["achternaam"] = "Vries" },
            }, [], [], Token: true),
            [$"POST {Base}/onderwerpobjecten"] = new(null, new JsonObject
            {
                ["klantcontact"] = new JsonObject { ["uuid"] = KiIds.For(KiIds.Klantcontact, ki.Question).ToString() },
                ["wasKlantcontact"] = null,
                ["onderwerpobjectidentificator"] = new JsonObject { ["objectId"] = questionTopic, ["codeObjecttype"] = "product", ["codeRegister"] = "upl", ["codeSoortObjectId"] = "uri" },
            }, [], [], Token: true),
            [$"POST {Base}/actorklantcontacten"] = new(null, new JsonObject
            {
                ["actor"] = new JsonObject { ["uuid"] = agent },
                ["klantcontact"] = new JsonObject { ["uuid"] = KiIds.For(KiIds.Klantcontact, ki.Question).ToString() },
            }, [], [], Token: true),
            [$"POST {Base}/digitaleadressen"] = new(null, new JsonObject
            {
                ["verstrektDoorBetrokkene"] = null,
                ["verstrektDoorPartij"] = new JsonObject { ["uuid"] = KiIds.For(KiIds.Partij, fixture.KiWrites.DetailParty).ToString() },
                ["adres"] = fixture.KiWrites.DetailValue,
                ["soortDigitaalAdres"] = fixture.KiWrites.DetailKind,
                ["omschrijving"] = "",
                ["isStandaardAdres"] = false,
            }, [], [], Token: true),
            [$"POST {Base}/partijen"] = new(null, new JsonObject
            {
                ["digitaleAdressen"] = new JsonArray(),
                ["voorkeursDigitaalAdres"] = null,
                ["rekeningnummers"] = new JsonArray(),
                ["voorkeursRekeningnummer"] = null,
                ["soortPartij"] = "persoon",
                ["indicatieGeheimhouding"] = false,
                ["indicatieActief"] = true,
                ["voorkeurstaal"] = "nld",
                ["interneNotitie"] = "",
                ["partijIdentificatie"] = new JsonObject
                {
                    ["contactnaam"] = new JsonObject { ["voorletters"] = "A.", ["voornaam"] = "Anna", ["voorvoegselAchternaam"] = "van", ["achternaam"] = "Dijk" },
                },
            }, [], [], Token: true),
            [$"POST {Base}/partij-identificatoren"] = new(null, new JsonObject
            {
                ["identificeerdePartij"] = new JsonObject { ["uuid"] = partij },
                ["partijIdentificator"] = new JsonObject { ["codeObjecttype"] = "natuurlijk_persoon", ["codeSoortObjectId"] = "bsn", ["objectId"] = fixture.KiWrites.Bsn, ["codeRegister"] = "brp" },
                ["anderePartijIdentificator"] = "",
            }, [], [], Token: true),
            [$"PATCH {Base}/internetaken/{{uuid:guid}}"] = new(null, new JsonObject { ["status"] = "verwerkt", ["toelichting"] = "Afgehandeld." }, [],
                new() { ["uuid"] = KiIds.For(KiIds.Internetaak, ki.Task).ToString() }, Token: true),
        };
    }


    private static JsonObject WhatsAppWebhookExample(DateTime now) => new()
    {
        ["object"] = "whatsapp_business_account",
        ["entry"] = new JsonArray(new JsonObject
        {
            ["id"] = "102290129340398",
            ["changes"] = new JsonArray(new JsonObject
            {
                ["field"] = "messages",
                ["value"] = new JsonObject
                {
                    ["contacts"] = new JsonArray(new JsonObject { ["profile"] = new JsonObject { ["name"] = "Jan" } }),
                    ["messages"] = new JsonArray(new JsonObject
                    {
                        ["from"] = "31612345678",
                        ["id"] = "wamid.HBgLMzE2MTIzNDU2NzgVAgASGBQzQTk",
                        ["timestamp"] = new DateTimeOffset(now).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                        ["type"] = "text",
                        ["text"] = new JsonObject { ["body"] = "Is mijn paspoort al klaar?" },
                    }),
                    ["statuses"] = new JsonArray(new JsonObject
                    {
                        ["id"] = "wamid.HBgLMzE2MTIzNDU2NzgVAgARGBI5",
                        ["status"] = "delivered",
                        ["timestamp"] = new DateTimeOffset(now).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                        ["errors"] = new JsonArray(new JsonObject { ["code"] = 131047, ["title"] = "Re-engagement message" }),
                    }),
                },
            }),
        }),
    };

    /// <param name="Token">The Klantinteracties API: the client's key as "Authorization: Token …".</param>
    /// <param name="Sign">For a signed API: the signature header value for a body, computed per mutation.</param>
    /// <param name="ForeignContract">A contract another party owns: unknown members are skipped, not refused.</param>
    private sealed record Example(string? ApiKey, JsonObject? Body, Dictionary<string, string> Query, Dictionary<string, string> Route,
        bool Token = false, Func<string, string>? Sign = null, bool ForeignContract = false);

    /// <param name="Field">The field the problem details must name (JSON path without "$."), or null when any field will do.</param>
    /// <param name="MustBeRefused">The contract forbids this request; otherwise (a null where null is allowed, -1 for an id) validation decides.</param>
    private sealed record Mutation(string Description, string? Field, bool MustBeRefused, string? Json, string Url, string ContentType = "application/json");

    private List<RouteEndpoint> ApiEndpoints() =>
        fixture.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true
                || e.RoutePattern.RawText?.StartsWith(KlantinteractiesApi.BasePath, StringComparison.Ordinal) == true).ToList();

    private static string Key(RouteEndpoint endpoint) =>
        $"{string.Join(",", endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])} {endpoint.RoutePattern.RawText}";

    [Fact]
    public void Every_api_endpoint_has_a_valid_example_for_the_generator()
    {
        var endpoints = ApiEndpoints().Select(Key).Order().ToList();

        Assert.NotEmpty(endpoints);
        Assert.Equal(endpoints, Examples().Keys.Order());
    }

    [Fact]
    public async Task Null_missing_wrong_types_and_junk_at_every_path_are_refused_with_a_4xx_naming_the_field_and_write_nothing()
    {
        var options = fixture.Factory.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var examples = Examples();
        int sent = 0, refused = 0, accepted = 0, serverErrors = 0, rowsWrittenByRefused = 0;
        var problems = new List<string>();
        var acceptedList = new List<string>();

        foreach (var endpoint in ApiEndpoints())
        {
            var example = examples[Key(endpoint)];
            var method = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods[0];
            using var client = fixture.Factory.CreateClient();
            if (example.ApiKey is not null)
            {
                client.DefaultRequestHeaders.Add("X-Api-Key", example.ApiKey);
            }

            if (example.Token)
            {
                client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Token", Fixture.KlantinteractiesKey);
            }

            var baseline = await SendAsync(client, method, new Mutation("baseline", null, false, example.Body?.ToJsonString(), Url(endpoint, example.Route, example.Query)), example.Sign);
            Assert.True(baseline.IsSuccessStatusCode, $"{Key(endpoint)}: the valid example got {(int)baseline.StatusCode}: {await baseline.Content.ReadAsStringAsync()}");

            var bodyType = endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
            var mutations = new List<Mutation>();
            if (example.Body is not null && bodyType is not null)
            {
                var url = Url(endpoint, example.Route, example.Query);
                mutations.AddRange(BodyMutations(example.Body, options.GetTypeInfo(bodyType), options, url, example.ForeignContract));
            }

            mutations.AddRange(QueryAndRouteMutations(endpoint, example));

            foreach (var mutation in mutations)
            {
                sent++;
                var before = await CountRowsAsync();
                using var response = await SendAsync(client, method, mutation, example.Sign);
                var status = (int)response.StatusCode;
                var body = await response.Content.ReadAsStringAsync();
                if (status >= 500)
                {
                    serverErrors++;
                    problems.Add($"{Key(endpoint)} {mutation.Description}: {status}");
                    continue;
                }

                if (response.IsSuccessStatusCode)
                {
                    accepted++;
                    acceptedList.Add($"{Key(endpoint)} {mutation.Description}");
                    if (mutation.MustBeRefused)
                    {
                        problems.Add($"{Key(endpoint)} {mutation.Description}: accepted ({status})");
                    }

                    continue;
                }

                refused++;
                var changed = Changed(before, await CountRowsAsync());
                if (changed.Count > 0)
                {
                    // Background work (search index, outbox, dashboard facts) may have written meanwhile: send the same
                    // refused request again once things are quiet; only a second write counts.
                    await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
                    var quiet = await CountRowsAsync();
                    using var again = await SendAsync(client, method, mutation, example.Sign);
                    changed = again.IsSuccessStatusCode ? [] : Changed(quiet, await CountRowsAsync());
                }

                if (changed.Count > 0)
                {
                    rowsWrittenByRefused++;
                    problems.Add($"{Key(endpoint)} {mutation.Description}: {status} but rows were written ({string.Join(", ", changed)})");
                }

                if (mutation.MustBeRefused && status == 400 && CheckProblem(body, mutation.Field) is { } problem)
                {
                    problems.Add($"{Key(endpoint)} {mutation.Description}: {problem}");
                }
            }
        }

        var line = $"{sent} malformed API requests: {refused} refused (4xx), {accepted} accepted as valid, {serverErrors} × 5xx, {rowsWrittenByRefused} refused requests wrote rows";
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "kcc-figures"));
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "api-malformed-inputs.txt"), line + Environment.NewLine + "Accepted as valid:" + Environment.NewLine + string.Join(Environment.NewLine, acceptedList) + Environment.NewLine, TestContext.Current.CancellationToken);
        Assert.True(problems.Count == 0, line + Environment.NewLine + string.Join(Environment.NewLine, problems.Take(60)));
        Assert.True(sent > 500, line);
    }

    /// <summary>Null for fine; otherwise what is wrong with the problem details.</summary>
    private static string? CheckProblem(string body, string? field)
    {
        JsonElement errors;
        try
        {
            using var json = JsonDocument.Parse(body);
            if (!json.RootElement.TryGetProperty("errors", out var found) || found.ValueKind != JsonValueKind.Object)
            {
                return "no errors per field: " + body;
            }

            errors = found.Clone();
        }
        catch (JsonException)
        {
            return "no problem details: " + body;
        }

        var messages = errors.EnumerateObject().SelectMany(e => e.Value.EnumerateArray().Select(m => m.GetString() ?? "")).ToList();
        if (messages.Any(m => EnglishDefaults.Any(english => m.Contains(english, StringComparison.OrdinalIgnoreCase))))
        {
            return "English message: " + body;
        }

        if (field is null)
        {
            return null;
        }

        var names = errors.EnumerateObject().Select(e => Normalize(e.Name)).ToList();
        var expected = Normalize(field);
        return names.Any(n => n == expected) ? null : $"names {string.Join(", ", names)} instead of {expected}";
    }

    private static string Normalize(string path) => path.TrimStart('$').TrimStart('.').ToLowerInvariant();

    private static string Url(RouteEndpoint endpoint, Dictionary<string, string> route, Dictionary<string, string> query) =>
        Url(endpoint, route, query.Select(q => (q.Key, q.Value)));

    private static string Url(RouteEndpoint endpoint, Dictionary<string, string> route, IEnumerable<(string Key, string Value)> query)
    {
        var path = string.Join("/", endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => Uri.EscapeDataString(route[parameter.Name]),
            _ => "",
        }))));
        var queryString = string.Join("&", query.Select(q => q.Key + "=" + Uri.EscapeDataString(q.Value)));
        return "/" + path + (queryString.Length > 0 ? "?" + queryString : "");
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, Mutation mutation, Func<string, string>? sign = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), mutation.Url);
        if (mutation.Json is not null)
        {
            request.Content = new StringContent(mutation.Json, Encoding.UTF8);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mutation.ContentType) { CharSet = "utf-8" };
            if (sign is not null)
            {
                request.Headers.Add(Kcc.Workbench.Web.Features.Inbox.WhatsAppWebhook.SignatureHeader, sign(mutation.Json));
            }
        }

        return await client.SendAsync(request);
    }

    private static IEnumerable<Mutation> BodyMutations(JsonObject body, JsonTypeInfo type, JsonSerializerOptions options, string url, bool foreignContract)
    {
        Mutation Root(string description, string? json, string contentType = "application/json") => new(description, null, true, json, url, contentType);
        yield return Root("body null", "null");
        yield return Root("body array", "[]");
        yield return Root("body string", "\"x\"");
        yield return Root("body number", "1");
        yield return Root("body empty", "");
        yield return Root("body cut off", body.ToJsonString()[..^2]);
        yield return Root("body not json", "channel=Website", "application/x-www-form-urlencoded");

        foreach (var mutation in ObjectMutations(body, copy => (JsonObject)copy, "", type, options, url, foreignContract))
        {
            yield return mutation;
        }
    }

    /// <summary>
    /// Mutations of the members of the object that <paramref name="locate"/> finds in a copy of <paramref name="root"/>
    /// (at <paramref name="path"/>) and, recursively, below them. Each mutation changes its own copy.
    /// </summary>
    private static IEnumerable<Mutation> ObjectMutations(JsonObject root, Func<JsonNode, JsonObject> locate, string path, JsonTypeInfo type, JsonSerializerOptions options, string url, bool foreignContract)
    {
        string At(string member) => path.Length == 0 ? member : path + "." + member;
        string Changed(Action<JsonObject> change)
        {
            var copy = root.DeepClone();
            change(locate(copy));
            return copy.ToJsonString();
        }

        Mutation Replace(string member, JsonNode? value, string description, bool mustBeRefused, string? field = null) =>
            new($"{At(member)}: {description}", mustBeRefused ? field ?? At(member) : null, mustBeRefused, Changed(node => node[member] = value?.DeepClone()), url);

        yield return new($"{At("zzOnbekendVeld")}: unknown member", foreignContract ? null : At("zzOnbekendVeld"), !foreignContract, Changed(node => node["zzOnbekendVeld"] = "x"), url);

        var original = locate(root);
        foreach (var (member, value) in original.ToList())
        {
            var property = type.Properties.Single(p => string.Equals(p.Name, member, StringComparison.OrdinalIgnoreCase));
            yield return new($"{At(member)}: missing", property.IsRequired ? At(member) : null, property.IsRequired, Changed(node => node.Remove(member)), url);
            yield return Replace(member, null, "null", !property.IsSetNullable);

            // Duplicate members: built as text, as the JSON object model cannot hold them.
            var duplicate = Changed(node => node["zzDubbel"] = value?.DeepClone()).Replace("\"zzDubbel\"", $"\"{member}\"", StringComparison.Ordinal);
            yield return new($"{At(member)}: twice", At(member), true, duplicate, url);

            foreach (var (wrong, description) in WrongTypes(property.PropertyType))
            {
                yield return Replace(member, wrong, description, true);
            }

            foreach (var (junk, description, mustBeRefused) in Junk(value, property.PropertyType))
            {
                yield return Replace(member, junk, description, mustBeRefused);
            }

            var propertyType = options.GetTypeInfo(property.PropertyType);
            if (value is JsonObject)
            {
                foreach (var mutation in ObjectMutations(root, copy => (JsonObject)locate(copy)[member]!, At(member), propertyType, options, url, foreignContract))
                {
                    yield return mutation;
                }
            }
            else if (value is JsonArray array)
            {
                var element = options.GetTypeInfo(propertyType.ElementType!);
                yield return Replace(member, new JsonArray(), "empty list", false);
                yield return Replace(member, new JsonArray((JsonNode?)null), "[null]", true, At(member) + "[0]");
                var withNull = (JsonArray)array.DeepClone();
                withNull.Add(null);
                yield return Replace(member, withNull, "null item at the end", true, $"{At(member)}[{array.Count}]");
                for (var i = 0; i < array.Count; i++)
                {
                    var index = i;
                    var itemPath = $"{At(member)}[{index}]";
                    foreach (var (wrong, description) in WrongTypes(element.Type))
                    {
                        var copy = (JsonArray)array.DeepClone();
                        copy[index] = wrong;
                        yield return Replace(member, copy, $"[{index}] {description}", true, itemPath);
                    }

                    if (array[index] is JsonObject)
                    {
                        foreach (var mutation in ObjectMutations(root, copy => (JsonObject)locate(copy)[member]![index]!, itemPath, element, options, url, foreignContract))
                        {
                            yield return mutation;
                        }
                    }
                }
            }
        }
    }

    /// <summary>Values of every JSON type other than the one <paramref name="type"/> is written as.</summary>
    private static IEnumerable<(JsonNode? Value, string Description)> WrongTypes(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        var kind = underlying == typeof(string) || underlying.IsEnum || underlying == typeof(DateTime) || underlying == typeof(DateOnly) ? JsonValueKind.String
            : underlying == typeof(bool) ? JsonValueKind.True
            : underlying.IsPrimitive || underlying == typeof(decimal) ? JsonValueKind.Number
            : typeof(System.Collections.IEnumerable).IsAssignableFrom(underlying) ? JsonValueKind.Array
            : JsonValueKind.Object;
        if (kind is not JsonValueKind.String)
        {
            yield return ("12", "string instead");
        }

        if (kind is not JsonValueKind.Number)
        {
            yield return (12, "number instead");
        }

        if (kind is not JsonValueKind.True)
        {
            yield return (true, "boolean instead");
        }

        if (kind is not JsonValueKind.Object)
        {
            yield return (new JsonObject { ["a"] = 1 }, "object instead");
        }

        if (kind is not JsonValueKind.Array)
        {
            yield return (new JsonArray(1, "x"), "array instead");
        }
    }

    /// <summary>Values of the right JSON type that are still wrong: control characters, enum tricks, overflow.</summary>
    private static IEnumerable<(JsonNode? Value, string Description, bool MustBeRefused)> Junk(JsonNode? value, Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        switch (value?.GetValueKind())
        {
            case JsonValueKind.String:
                foreach (var text in ControlJunk)
                {
                    yield return (text, $"control characters {JsonSerializer.Serialize(text)}", true);
                }

                if (underlying.IsEnum)
                {
                    var names = Enum.GetNames(underlying);
                    yield return (string.Join(",", names.Take(2)), "combined enum names", true);
                    yield return ("1", "enum number as text", true);
                    yield return ("Postduif", "unknown enum name", true);
                }
                else if (underlying == typeof(DateTime))
                {
                    yield return ("2026-13-45T25:61:00Z", "impossible date", true);
                }
                else
                {
                    yield return (new string('x', 100_000), "100,000 characters", false);
                    yield return ("<script>alert(1)</script>", "markup", false);
                    yield return ("regel een\r\nregel twee\tmet tab", "tab and line breaks", false);
                }

                break;
            case JsonValueKind.Number:
                yield return (-1, "-1", false);
                yield return (0, "0", false);
                yield return (int.MaxValue, "int.MaxValue", false);
                yield return (JsonNode.Parse("99999999999999999999"), "overflow", true);
                yield return (1.5, "fraction", true);
                break;
            case JsonValueKind.True or JsonValueKind.False:
                yield return ("true", "boolean as text", true);
                yield return (1, "boolean as number", true);
                break;
        }

        if (underlying.IsEnum && value is null)
        {
            yield return (1, "enum as number", true);
            yield return (string.Join(",", Enum.GetNames(underlying).Take(2)), "combined enum names", true);
        }
    }

    private static IEnumerable<Mutation> QueryAndRouteMutations(RouteEndpoint endpoint, Example example)
    {
        var parameters = endpoint.Metadata.GetMetadata<MethodInfo>()?.GetParameters().ToDictionary(p => p.Name!, p => p.ParameterType) ?? [];
        foreach (var (name, value) in example.Query)
        {
            var type = parameters.TryGetValue(name, out var t) ? Nullable.GetUnderlyingType(t) ?? t : typeof(string);
            var others = example.Query.Where(q => q.Key != name).Select(q => (q.Key, q.Value)).ToList();
            Mutation With(string description, bool mustBeRefused, params (string Key, string Value)[] values) =>
                new($"?{name}: {description}", mustBeRefused ? name : null, mustBeRefused, null, Url(endpoint, example.Route, others.Concat(values)));

            yield return With("missing", false);
            yield return With("empty", false, (name, ""));
            yield return With("twice", false, (name, value), (name, value));
            foreach (var junk in ControlJunk)
            {
                yield return With($"control characters {JsonSerializer.Serialize(junk)}", true, (name, junk));
            }

            yield return With("10,000 characters", false, (name, new string('x', 10_000)));
            if (type != typeof(string))
            {
                yield return With("text instead of a number", true, (name, "abc"));
                yield return With("fraction", true, (name, "1.5"));
                yield return With("overflow", true, (name, "99999999999999999999"));
                yield return With("-1", false, (name, "-1"));
            }
        }

        foreach (var (name, _) in example.Route)
        {
            foreach (var junk in (string[])["abc", "-1", "0", "99999999999999999999", "1.5", "%00", "x\u001b"])
            {
                var route = new Dictionary<string, string>(example.Route) { [name] = junk };
                yield return new($"route {name}: {JsonSerializer.Serialize(junk)}", null, false, null, Url(endpoint, route, example.Query));
            }
        }
    }

    /// <summary>Rows per table, so a refused request that wrote anything is reported with the tables it touched.</summary>
    private async Task<Dictionary<string, long>> CountRowsAsync()
    {
        await using var db = await fixture.Factory.Services.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync();
        if (countAllSql is null)
        {
            // Table names come from the database's catalogue, not from input. One statement for all tables: this runs
            // twice for each of some 2,500 requests.
            var tables = await db.Database.SqlQueryRaw<string>(TestDatabase.TableNamesSql()).ToListAsync();
            countAllSql = string.Join(" UNION ALL ", tables.Select(t => $"SELECT '{t}' AS \"Name\", COUNT(*) AS \"Rows\" FROM \"{t}\""));
        }

        var counts = await db.Database.SqlQueryRaw<TableRows>(countAllSql).ToListAsync();
        return counts.ToDictionary(c => c.Name, c => c.Rows, StringComparer.Ordinal);
    }

    private string? countAllSql;

    private static List<string> Changed(Dictionary<string, long> before, Dictionary<string, long> after) =>
        [.. after.Where(t => !before.TryGetValue(t.Key, out var count) || count != t.Value).Select(t => t.Key)];

    private sealed class TableRows
    {
        public string Name { get; init; } = "";

        public long Rows { get; init; }
    }
}
