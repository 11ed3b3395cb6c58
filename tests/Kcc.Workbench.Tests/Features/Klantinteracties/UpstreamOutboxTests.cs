using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Integrations;
using Kcc.Workbench.Web.Features.Klantinteracties.Upstream;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kcc.Workbench.Tests.Features.Klantinteracties;

/// <summary>
/// The outbox end to end: workbench A writes every saved contact to workbench B, which serves the Klantinteracties
/// API as the upstream Open Klant, through a connection that fails on purpose (500, timeouts, answers lost after B
/// saved, slow answers, a 400 with a validation body). Nothing may be lost and nothing doubled.
/// </summary>
public sealed class UpstreamOutboxTests
{
    private const string UpstreamKey = "test-sleutel-upstream-0123456789";

    /// <summary>Between A and B: decides per request whether it fails, and how.</summary>
    private sealed class FlakyConnection(HttpMessageHandler upstream) : DelegatingHandler(upstream)
    {
        private int calls;

        public Func<HttpRequestMessage, int, string>? Mode { get; set; }

        public int Failures { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var mode = Mode?.Invoke(request, Interlocked.Increment(ref calls)) ?? "ok";
            if (mode != "ok")
            {
                Failures++;
            }

            switch (mode)
            {
                case "500":
                    return new HttpResponseMessage(HttpStatusCode.InternalServerError);
                case "timeout":
                    throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout");
                case "lost":
                    // B saved it, but the answer never reaches A.
                    using (await base.SendAsync(request, cancellationToken))
                    {
                        throw new HttpRequestException("Connection reset by peer");
                    }

                case "400":
                    return new HttpResponseMessage(HttpStatusCode.BadRequest)
                    {
                        Content = new StringContent("{\"title\":\"Invalid\",\"invalidParams\":[{\"name\":\"klantcontact.kanaal\",\"reason\":\"Ongeldig\"}]}", Encoding.UTF8, "application/json"),
                    };
                case "slow":
                    await Task.Delay(300, cancellationToken);
                    break;
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }

    private static (KccWebApplicationFactory Upstream, KccWebApplicationFactory Workbench, Func<FlakyConnection> Connection) TwoWorkbenches()
    {
        var upstream = new KccWebApplicationFactory(new Dictionary<string, string?>
        {
            ["Integraties:Clients:2:Name"] = "Werkplek A",
            ["Integraties:Clients:2:KeyHash"] = ApiKeyDefaults.Hash(UpstreamKey),
            ["Integraties:Clients:2:Roles:0"] = "Klantinteracties",
            ["Integraties:Clients:2:Roles:1"] = "Frontoffice",
        });
        FlakyConnection? connection = null;
        var workbench = new KccWebApplicationFactory(
            new Dictionary<string, string?>
            {
                ["Klantinteracties:Upstream:Url"] = "http://localhost/klantinteracties/api/v1",
                ["Klantinteracties:Upstream:Token"] = UpstreamKey,
                ["Klantinteracties:Upstream:PollInterval"] = "00:00:00.200",
                ["Klantinteracties:Upstream:RetryDelay"] = "00:00:00.050",
                // Every step of KISS's order is a call that may fail, so a contact sees many failures: keep the waits short.
                ["Klantinteracties:Upstream:MaxRetryDelay"] = "00:00:00.500",
                ["Klantinteracties:Upstream:MaxAttempts"] = "100",
            },
            services => services.AddHttpClient(UpstreamRegistration.HttpClientName)
                .ConfigurePrimaryHttpMessageHandler(() => connection ??= new FlakyConnection(upstream.Server.CreateHandler())));
        return (upstream, workbench, () => connection ??= new FlakyConnection(upstream.Server.CreateHandler()));
    }

    private static async Task<long> LogContactAsync(KccWebApplicationFactory workbench, string text, int? partyId = null, bool routed = false)
    {
        await using var db = await workbench.Services.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync();
        var topic = await db.Topics.Where(t => t.Name == "paspoort").Select(t => new { t.Id, t.DefaultTeamId }).SingleAsync();
        using var client = workbench.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", KccWebApplicationFactory.WebsiteKey);
        var response = await client.PostAsJsonAsync("/api/v1/klantcontacten", new
        {
            channel = "Website",
            startedAt = DateTime.UtcNow.AddMinutes(-1),
            partyId,
            questions = new object[]
            {
                routed
                    ? new { topicId = topic.Id, text, outcome = "Terugbelverzoek", routing = (object?)new { action = "Terugbellen", teamId = topic.DefaultTeamId, reachBy = "Telefoon", reachAt = "0612345678" } }
                    : new { topicId = topic.Id, text, outcome = "Beantwoord", routing = (object?)null },
            },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["id"]!.GetValue<long>();
    }

    private static async Task<List<UpstreamDelivery>> DeliveriesAsync(KccWebApplicationFactory workbench)
    {
        await using var db = await workbench.Services.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync();
        return await db.Set<UpstreamDelivery>().AsNoTracking().OrderBy(d => d.Id).ToListAsync();
    }

    private static async Task<List<UpstreamDelivery>> WaitUntilAsync(KccWebApplicationFactory workbench, Func<List<UpstreamDelivery>, bool> done)
    {
        var until = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var deliveries = await DeliveriesAsync(workbench);
            if (done(deliveries) || DateTime.UtcNow > until)
            {
                return deliveries;
            }

            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Every_contact_reaches_the_upstream_once_through_500s_timeouts_lost_answers_and_slow_answers()
    {
        var (upstream, workbench, connection) = TwoWorkbenches();
        await using var _ = upstream;
        await using var __ = workbench;
        string[] modes = ["500", "timeout", "lost", "slow", "ok"];
        connection().Mode = (request, call) => call % 2 == 0 ? modes[call / 2 % modes.Length] : "ok";
        await using var upstreamDb = await upstream.Services.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync();
        await using var db = await workbench.Services.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync();
        var party = await db.Parties.Where(p => p.Bsn != null && p.AnonymisedAt == null).OrderBy(p => p.Id).Select(p => new { p.Id, p.Bsn }).FirstAsync();
        var marker = "Outbox-" + Guid.NewGuid().ToString("N")[..8];

        var ids = new List<long>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add(await LogContactAsync(workbench, $"{marker} vraag {i}", partyId: i % 3 == 0 ? party.Id : null, routed: i == 5));
        }

        var deliveries = await WaitUntilAsync(workbench, d => d.Count(x => ids.Contains(x.ContactId) && x.Status == UpstreamStatus.Afgeleverd) == ids.Count);

        Assert.Equal(ids.Order(), deliveries.Select(d => d.ContactId).Where(ids.Contains).Order());
        Assert.All(deliveries.Where(d => ids.Contains(d.ContactId)), d => Assert.Equal(UpstreamStatus.Afgeleverd, d.Status));
        Assert.True(connection().Failures >= 6, $"only {connection().Failures} failures were injected");
        var arrived = await upstreamDb.Questions.Where(q => q.Text.StartsWith(marker)).Select(q => new { q.Text, q.Contact!.PartyId, Bsn = q.Contact.Party!.Bsn }).ToListAsync();
        Assert.Equal(12, arrived.Count);
        Assert.Equal(12, arrived.Select(a => a.Text).Distinct().Count());
        // The betrokkene went along: upstream found the same resident by BSN.
        Assert.Equal(4, arrived.Count(a => a.Bsn == party.Bsn));
        var lostAndDoubled = $"{12 - arrived.Select(a => a.Text).Distinct().Count()} lost, {arrived.Count - arrived.Select(a => a.Text).Distinct().Count()} doubled, {connection().Failures} failures injected";
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "kcc-figures"));
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "upstream-outbox.txt"), lostAndDoubled + Environment.NewLine, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_refusal_is_failed_with_its_reason_and_a_beheerders_retry_delivers_it_once()
    {
        var (upstream, workbench, connection) = TwoWorkbenches();
        await using var _ = upstream;
        await using var __ = workbench;
        var refuse = true;
        connection().Mode = (request, _) => refuse && request.Method == HttpMethod.Post ? "400" : "ok";
        var marker = "Geweigerd-" + Guid.NewGuid().ToString("N")[..8];
        var id = await LogContactAsync(workbench, marker);

        var failed = (await WaitUntilAsync(workbench, d => d.Any(x => x.ContactId == id && x.Status == UpstreamStatus.Mislukt))).Single(d => d.ContactId == id);
        Assert.Equal(UpstreamStatus.Mislukt, failed.Status);
        Assert.Equal(1, failed.Attempts);
        Assert.Contains("400", failed.LastError, StringComparison.Ordinal);
        Assert.Contains("klantcontact.kanaal", failed.LastError, StringComparison.Ordinal);

        refuse = false;
        using (var scope = workbench.Services.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>().HttpContext = new DefaultHttpContext
            {
                User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "beheer-test"), new Claim(ClaimTypes.Role, Roles.Beheerder)], "Test")),
            };
            var overview = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new GetUpstreamDeliveries.Query());
            Assert.Contains(overview.Open, row => row.ContactId == id && row.Status == UpstreamStatus.Mislukt);
            Assert.True((await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new RetryUpstreamDelivery.Command(failed.Id))).Succeeded);
        }

        var delivered = (await WaitUntilAsync(workbench, d => d.Any(x => x.ContactId == id && x.Status == UpstreamStatus.Afgeleverd))).Single(d => d.ContactId == id);
        Assert.Equal(UpstreamStatus.Afgeleverd, delivered.Status);
        await using var upstreamDb = await upstream.Services.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync();
        Assert.Equal(1, await upstreamDb.Questions.CountAsync(q => q.Text == marker));
    }

    [Fact]
    public async Task Several_servers_delivering_at_once_send_every_contact_once()
    {
        var (upstream, workbench, connection) = TwoWorkbenches();
        await using var _ = upstream;
        await using var __ = workbench;
        // Slow answers widen the window in which two servers would both find nothing upstream and both create it.
        connection().Mode = (_, _) => "slow";
        var marker = "Tweeservers-" + Guid.NewGuid().ToString("N")[..8];
        var ids = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(await LogContactAsync(workbench, $"{marker} vraag {i}"));
        }

        // The app's own delivery loop plus three more rounds at once: four servers' worth of workers on one database.
        var service = workbench.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<UpstreamDeliveryService>().Single();
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => service.DeliverDueAsync(TestContext.Current.CancellationToken))));
        var deliveries = await WaitUntilAsync(workbench, d => d.Count(x => ids.Contains(x.ContactId) && x.Status == UpstreamStatus.Afgeleverd) == ids.Count);

        Assert.All(deliveries.Where(d => ids.Contains(d.ContactId)), d => Assert.Equal(UpstreamStatus.Afgeleverd, d.Status));
        await using var upstreamDb = await upstream.Services.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync();
        var arrived = await upstreamDb.Questions.Where(q => q.Text.StartsWith(marker)).Select(q => q.Text).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(ids.Count, arrived.Count);
        Assert.Equal(ids.Count, arrived.Distinct().Count());
    }

    /// <summary>A valid BSN (elfproef) that the demo data does not have.</summary>
    private static string NewBsn()
    {
        while (true)
        {
            var digits = Enumerable.Range(0, 8).Select(_ => Random.Shared.Next(10)).Prepend(Random.Shared.Next(1, 10)).Take(8).ToArray();
            var check = digits.Select((d, i) => d * (9 - i)).Sum() % 11;
            if (check < 10)
            {
                return string.Concat(digits) + check.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }

    [Fact]
    public async Task An_agents_contact_about_a_resident_the_upstream_does_not_know_arrives_with_the_resident_their_e_mail_and_the_agent()
    {
        var (upstream, workbench, _) = TwoWorkbenches();
        await using var _u = upstream;
        await using var _w = workbench;
        var bsn = NewBsn();
        var marker = "Nieuwe-inwoner-" + Guid.NewGuid().ToString("N")[..8];
        var dbFactory = workbench.Services.GetRequiredService<IDbContextFactory<KccDbContext>>();
        string agentId;
        int partyId, topicId;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var party = new Kcc.Workbench.Web.Features.Parties.Party
            {
                Kind = Kcc.Workbench.Web.Features.Parties.PartyKind.Person, FirstNames = "Noor", LastName = marker, Bsn = bsn, CreatedAt = DateTime.UtcNow,
            };
            party.RefreshSearchName();
            party.ContactDetails.Add(new() { Kind = Kcc.Workbench.Web.Features.Parties.ContactDetailKind.Email, Value = "noor@voorbeeld.nl", NormalizedValue = "noor@voorbeeld.nl" });
            db.Parties.Add(party);
            await db.SaveChangesAsync();
            partyId = party.Id;
            agentId = await db.Users.Where(u => u.UserName == "fo.demo").Select(u => u.Id).SingleAsync();
            topicId = await db.Topics.Where(t => t.Name == "paspoort").Select(t => t.Id).SingleAsync();
        }

        long contactId;
        using (var scope = workbench.Services.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>().HttpContext = new DefaultHttpContext
            {
                User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, agentId), new Claim(ClaimTypes.Role, Roles.Frontoffice)], "Test")),
            };
            var logged = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new Kcc.Workbench.Web.Features.Contacts.LogContact.Command
            {
                Channel = Kcc.Workbench.Web.Features.Contacts.Channel.Telefoon,
                Direction = Kcc.Workbench.Web.Features.Contacts.Direction.Inkomend,
                StartedAt = DateTime.UtcNow.AddMinutes(-2),
                PartyId = partyId,
                Language = "nl",
                Questions = [new() { TopicId = topicId, Text = marker + " wil een nieuw paspoort", Answer = "Maak een afspraak.", Outcome = Kcc.Workbench.Web.Features.Contacts.Outcome.Beantwoord }],
            });
            Assert.True(logged.Succeeded, string.Join("; ", logged.Errors.SelectMany(e => e.Value)));
            contactId = logged.Value;
        }

        var delivered = (await WaitUntilAsync(workbench, d => d.Any(x => x.ContactId == contactId && x.Status != UpstreamStatus.Wachtend))).Single(d => d.ContactId == contactId);
        Assert.True(delivered.Status == UpstreamStatus.Afgeleverd, delivered.LastError);

        await using var upstreamDb = await upstream.Services.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync();
        var arrived = await upstreamDb.Questions.Where(q => q.Text.StartsWith(marker))
            .Select(q => new { q.Contact!.AgentId, q.Contact.AgentName, q.Contact.Party, Topic = q.Topic!.Name }).SingleAsync();
        var upstreamAgent = await upstreamDb.Users.Where(u => u.UserName == "fo.demo").Select(u => u.Id).SingleAsync();
        Assert.Equal(upstreamAgent, arrived.AgentId);
        Assert.Equal("paspoort", arrived.Topic);
        Assert.NotNull(arrived.Party);
        Assert.Equal((bsn, "Noor", marker), (arrived.Party.Bsn, arrived.Party.FirstNames, arrived.Party.LastName));
        var details = await upstreamDb.Parties.Where(p => p.Bsn == bsn).SelectMany(p => p.ContactDetails).Select(d => d.Value).ToListAsync();
        Assert.Equal(["noor@voorbeeld.nl"], details);
        // Everything the upstream offers was created, and what it does not (internetaken here: none routed) is not noted.
        var progress = System.Text.Json.Nodes.JsonNode.Parse(delivered.Progress)!.AsObject();
        Assert.DoesNotContain(UpstreamDeliveryService.NotSupported, delivered.Progress, StringComparison.Ordinal);
        Assert.NotNull(progress["partij"]);
        Assert.NotNull(progress["actor"]);
    }

    [Fact]
    public async Task Without_an_upstream_nothing_is_queued()
    {
        await using var workbench = new KccWebApplicationFactory();
        var id = await LogContactAsync(workbench, "Geen upstream");

        Assert.DoesNotContain(await DeliveriesAsync(workbench), d => d.ContactId == id);
    }
}
