using System.Net;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Klantinteracties.Upstream;
using Kcc.Workbench.Web.Features.Routing;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Kcc.Workbench.Tests.Features.Klantinteracties;

/// <summary>
/// What an agent's contact looks like in an Open Klant that has every endpoint (a WireMock stub that records the calls):
/// the resident, the agent and each question arrive in KISS's order, every record pointing at the ones before it.
/// </summary>
public sealed class UpstreamOpenKlantStubTests : IDisposable
{
    private const string Partij = "11111111-1111-4111-8111-111111111111";
    private const string Actor = "22222222-2222-4222-8222-222222222222";
    private const string Klantcontact = "33333333-3333-4333-8333-333333333333";
    private const string Betrokkene = "44444444-4444-4444-8444-444444444444";

    private readonly WireMockServer openKlant = WireMockServer.Start();

    public void Dispose() => openKlant.Stop();

    private static string Empty => """{"count":0,"next":null,"previous":null,"results":[]}""";

    private static string Page(JsonObject result) =>
        new JsonObject { ["count"] = 1, ["next"] = null, ["previous"] = null, ["results"] = new JsonArray(result) }.ToJsonString();

    private void Created(string path, string uuid) =>
        openKlant.Given(Request.Create().WithPath("/api/v1/" + path).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody($$"""{"uuid":"{{uuid}}"}"""));

    private void Found(string path, string body) =>
        openKlant.Given(Request.Create().WithPath("/api/v1/" + path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body));

    /// <summary>An upstream that knows nobody yet: every search answers an empty page, every create a new uuid.</summary>
    private void EmptyOpenKlant(params string[] withoutCreate)
    {
        foreach (var path in new[] { "partijen", "partij-identificatoren", "actoren", "klantcontacten", "actorklantcontacten", "betrokkenen", "digitaleadressen", "onderwerpobjecten", "internetaken" })
        {
            Found(path, Empty);
            if (withoutCreate.Contains(path))
            {
                openKlant.Given(Request.Create().WithPath("/api/v1/" + path).UsingPost()).RespondWith(Response.Create().WithStatusCode(405));
                continue;
            }

            Created(path, path switch
            {
                "partijen" => Partij,
                "actoren" => Actor,
                "klantcontacten" => Klantcontact,
                "betrokkenen" => Betrokkene,
                _ => Guid.NewGuid().ToString(),
            });
        }
    }

    private KccWebApplicationFactory Workbench() => new(new Dictionary<string, string?>
    {
        ["Klantinteracties:Upstream:Url"] = openKlant.Url + "/api/v1",
        ["Klantinteracties:Upstream:Token"] = "stub-token",
        ["Klantinteracties:Upstream:PollInterval"] = "00:00:00.200",
        ["Klantinteracties:Upstream:RetryDelay"] = "00:00:00.050",
    });

    /// <summary>Fo.demo logs a routed callback for a resident with a BSN, an e-mail address and a phone number.</summary>
    private static async Task<(long ContactId, string Bsn, string LastName, string[] Addresses, string AgentEmail, string TopicUri)> LogAsAgentAsync(KccWebApplicationFactory workbench)
    {
        await using var db = await workbench.Services.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync();
        var party = await db.Parties.Include(p => p.ContactDetails)
            .Where(p => p.Bsn != null && p.AnonymisedAt == null && p.ContactDetails.Count >= 2).OrderBy(p => p.Id).FirstAsync();
        var agent = await db.Users.SingleAsync(u => u.UserName == "fo.demo");
        var topic = await db.Topics.SingleAsync(t => t.Name == "paspoort");
        using var scope = workbench.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>().HttpContext = new DefaultHttpContext
        {
            User = new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(ClaimTypes.NameIdentifier, agent.Id), new Claim(ClaimTypes.Name, agent.UserName!), new Claim(ClaimTypes.Role, Roles.Frontoffice)], "Test")),
        };
        var result = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new LogContact.Command
        {
            Channel = Channel.Telefoon,
            Direction = Direction.Inkomend,
            StartedAt = DateTime.UtcNow.AddMinutes(-3),
            PartyId = party.Id,
            Language = "nl",
            Questions =
            [
                new LogContact.QuestionInput
                {
                    TopicId = topic.Id, Text = "Mijn paspoort is gestolen, wat moet ik doen?", Outcome = Outcome.Terugbelverzoek,
                    Routing = new RoutingInput { Action = RequestedAction.Terugbellen, TeamId = topic.DefaultTeamId, ReachBy = ReachBy.Telefoon, ReachAt = "0612345678" },
                },
            ],
        });
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.SelectMany(e => e.Value)));
        return (result.Value, party.Bsn!, party.LastName!, [.. party.ContactDetails.Select(d => d.Value)], agent.Email!, topic.Uri);
    }

    private static async Task<UpstreamDelivery> DeliveredAsync(KccWebApplicationFactory workbench, long contactId)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var db = await workbench.Services.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync();
            var delivery = await db.Set<UpstreamDelivery>().AsNoTracking().SingleOrDefaultAsync(d => d.ContactId == contactId);
            if (delivery is { Status: not UpstreamStatus.Wachtend } || DateTime.UtcNow > until)
            {
                Assert.NotNull(delivery);
                return delivery;
            }

            await Task.Delay(100);
        }
    }

    private List<(string Path, JsonObject Body)> Posts() =>
        [.. openKlant.LogEntries.Where(e => e.RequestMessage.Method == "POST")
            .Select(e => (e.RequestMessage.Path["/api/v1/".Length..], JsonNode.Parse(e.RequestMessage.Body!)!.AsObject()))];

    [Fact]
    public async Task A_resident_the_upstream_does_not_know_arrives_with_partij_agent_and_every_record_of_the_question_in_kiss_order()
    {
        EmptyOpenKlant();
        await using var workbench = Workbench();
        var logged = await LogAsAgentAsync(workbench);

        var delivery = await DeliveredAsync(workbench, logged.ContactId);

        Assert.Equal(UpstreamStatus.Afgeleverd, delivery.Status);
        var posts = Posts();
        Assert.Equal(
            ["partijen", "actoren", "klantcontacten", "actorklantcontacten", "betrokkenen", "digitaleadressen", "digitaleadressen", "onderwerpobjecten", "internetaken"],
            posts.Select(p => p.Path).Where(p => p != "partij-identificatoren"));
        var partij = posts.Single(p => p.Path == "partijen").Body;
        Assert.Equal("persoon", partij["soortPartij"]!.ToString());
        Assert.Equal(logged.LastName, partij["partijIdentificatie"]!["contactnaam"]!["achternaam"]!.ToString());
        Assert.Equal(logged.Bsn, partij["partijIdentificatoren"]![0]!["partijIdentificator"]!["objectId"]!.ToString());
        var actor = posts.Single(p => p.Path == "actoren").Body;
        Assert.Equal(logged.AgentEmail, actor["actoridentificator"]!["objectId"]!.ToString());
        Assert.Equal("medewerker", actor["soortActor"]!.ToString());
        var link = posts.Single(p => p.Path == "actorklantcontacten").Body;
        Assert.Equal((Actor, Klantcontact), (link["actor"]!["uuid"]!.ToString(), link["klantcontact"]!["uuid"]!.ToString()));
        var klantcontact = posts.Single(p => p.Path == "klantcontacten").Body;
        Assert.Equal(("Telefoon", "Mijn paspoort is gestolen, wat moet ik doen?", "nld"), (klantcontact["kanaal"]!.ToString(), klantcontact["inhoud"]!.ToString(), klantcontact["taal"]!.ToString()));
        var betrokkene = posts.Single(p => p.Path == "betrokkenen").Body;
        Assert.Equal((Partij, Klantcontact, "klant", true),
            (betrokkene["wasPartij"]!["uuid"]!.ToString(), betrokkene["hadKlantcontact"]!["uuid"]!.ToString(), betrokkene["rol"]!.ToString(), betrokkene["initiator"]!.GetValue<bool>()));
        var addresses = posts.Where(p => p.Path == "digitaleadressen").Select(p => p.Body).ToList();
        Assert.All(addresses, a => Assert.Equal(Betrokkene, a["verstrektDoorBetrokkene"]!["uuid"]!.ToString()));
        Assert.Equal(logged.Addresses.Order(), addresses.Select(a => a["adres"]!.ToString()).Order());
        var onderwerp = posts.Single(p => p.Path == "onderwerpobjecten").Body;
        Assert.Equal((Klantcontact, logged.TopicUri), (onderwerp["klantcontact"]!["uuid"]!.ToString(), onderwerp["onderwerpobjectidentificator"]!["objectId"]!.ToString()));
        var taak = posts.Single(p => p.Path == "internetaken").Body;
        Assert.Equal(Klantcontact, taak["aanleidinggevendKlantcontact"]!["uuid"]!.ToString());
        Assert.All(openKlant.LogEntries, e => Assert.Equal("Token stub-token", e.RequestMessage.Headers!["Authorization"].Single()));
    }

    [Fact]
    public async Task A_resident_and_agent_the_upstream_knows_are_linked_not_created_again()
    {
        EmptyOpenKlant();
        await using var workbench = Workbench();
        await using (var db = await workbench.Services.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync())
        {
            var bsn = await db.Parties.Where(p => p.Bsn != null && p.AnonymisedAt == null && p.ContactDetails.Count >= 2).OrderBy(p => p.Id).Select(p => p.Bsn).FirstAsync();
            var email = await db.Users.Where(u => u.UserName == "fo.demo").Select(u => u.Email).SingleAsync();
            Found("partijen", Page(new JsonObject { ["uuid"] = Partij, ["partijIdentificatoren"] = new JsonArray(new JsonObject { ["partijIdentificator"] = new JsonObject { ["objectId"] = bsn } }) }));
            Found("partij-identificatoren", Page(new JsonObject { ["uuid"] = Guid.NewGuid().ToString(), ["identificeerdePartij"] = new JsonObject { ["uuid"] = Partij }, ["partijIdentificator"] = new JsonObject { ["objectId"] = bsn } }));
            Found("actoren", Page(new JsonObject { ["uuid"] = Actor, ["actoridentificator"] = new JsonObject { ["objectId"] = email } }));
        }

        var logged = await LogAsAgentAsync(workbench);
        var delivery = await DeliveredAsync(workbench, logged.ContactId);

        Assert.Equal(UpstreamStatus.Afgeleverd, delivery.Status);
        var posts = Posts();
        Assert.DoesNotContain(posts, p => p.Path is "partijen" or "partij-identificatoren" or "actoren");
        Assert.Equal(Partij, posts.Single(p => p.Path == "betrokkenen").Body["wasPartij"]!["uuid"]!.ToString());
        Assert.Equal(Actor, posts.Single(p => p.Path == "actorklantcontacten").Body["actor"]!["uuid"]!.ToString());
    }

    [Fact]
    public async Task A_search_result_that_is_someone_else_is_not_taken_for_the_resident()
    {
        // An upstream that ignores the filter answers with whoever it has first: that must not become our resident.
        EmptyOpenKlant();
        Found("partijen", Page(new JsonObject { ["uuid"] = Guid.NewGuid().ToString(), ["partijIdentificatoren"] = new JsonArray(new JsonObject { ["partijIdentificator"] = new JsonObject { ["objectId"] = "999999990" } }) }));
        await using var workbench = Workbench();
        var logged = await LogAsAgentAsync(workbench);

        Assert.Equal(UpstreamStatus.Afgeleverd, (await DeliveredAsync(workbench, logged.ContactId)).Status);
        Assert.Equal(Partij, Posts().Single(p => p.Path == "betrokkenen").Body["wasPartij"]!["uuid"]!.ToString());
    }

    [Fact]
    public async Task An_upstream_without_actor_and_address_endpoints_still_gets_the_contact_and_the_progress_says_what_it_lacks()
    {
        EmptyOpenKlant("actoren", "actorklantcontacten", "digitaleadressen");

        await using var workbench = Workbench();
        var logged = await LogAsAgentAsync(workbench);
        var delivery = await DeliveredAsync(workbench, logged.ContactId);

        Assert.Equal(UpstreamStatus.Afgeleverd, delivery.Status);
        var progress = JsonNode.Parse(delivery.Progress)!.AsObject();
        Assert.Equal(UpstreamDeliveryService.NotSupported, progress["actor"]!.ToString());
        Assert.Contains(Posts(), p => p.Path == "klantcontacten");
        Assert.Contains(Posts(), p => p.Path == "betrokkenen");
        // Without an actor there is nothing to link; each address was tried once and noted.
        Assert.DoesNotContain(Posts(), p => p.Path == "actorklantcontacten");
        var step = progress.Single(p => p.Value is JsonObject).Value!.AsObject();
        Assert.All(step.Where(p => p.Key.StartsWith("adres", StringComparison.Ordinal)), p => Assert.Equal(UpstreamDeliveryService.NotSupported, p.Value!.ToString()));
        Assert.Equal(2, step.Count(p => p.Key.StartsWith("adres", StringComparison.Ordinal)));
    }
}
