using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Routing;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kcc.Workbench.Web.Features.Klantinteracties.Upstream;

/// <summary>An existing Open Klant (Klantinteracties API v1) that every saved contact is also written to. Off while Url is empty.</summary>
public sealed class UpstreamOptions
{
    /// <summary>Base URL of the upstream API, e.g. https://openklant.gemeente.nl/klantinteracties/api/v1.</summary>
    public string? Url { get; set; }

    /// <summary>Sent as "Authorization: Token &lt;token&gt;".</summary>
    public string? Token { get; set; }

    /// <summary>How often the delivery looks for due work when nothing woke it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First retry delay; doubles per attempt, at most one hour.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>After this many failed attempts a delivery is Mislukt until a beheerder retries it.</summary>
    public int MaxAttempts { get; set; } = 10;

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Url);
}

public static class UpstreamRegistration
{
    public const string HttpClientName = "klantinteracties-upstream";

    public static IServiceCollection AddKlantinteractiesUpstream(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<UpstreamOptions>(configuration.GetSection("Klantinteracties:Upstream"));
        services.AddSingleton<UpstreamSignal>();
        services.AddHttpClient(HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddHostedService<UpstreamDeliveryService>();
        return services;
    }
}

/// <summary>Wakes the delivery when a contact was committed, so it goes out in seconds rather than at the next poll.</summary>
public sealed class UpstreamSignal : IDisposable
{
    private readonly SemaphoreSlim signal = new(0);

    public void Wake()
    {
        if (signal.CurrentCount == 0)
        {
            signal.Release();
        }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => signal.WaitAsync(timeout, ct);

    public void Dispose() => signal.Dispose();
}

/// <summary>Fills the outbox in the transaction of the contact (see <see cref="LogContact"/>).</summary>
internal sealed class AddToOutbox(IOptionsMonitor<UpstreamOptions> options, UpstreamSignal signal) : INotificationHandler<ContactLogged>
{
    public Task Handle(ContactLogged notification, CancellationToken cancellationToken)
    {
        if (options.CurrentValue.IsEnabled)
        {
            notification.Scope.Db.Set<UpstreamDelivery>().Add(new UpstreamDelivery
            {
                ContactId = notification.ContactId,
                CreatedAt = notification.Scope.Now,
                NextAttemptAt = notification.Scope.Now,
            });
            notification.Scope.AfterCommit(signal.Wake);
        }

        return Task.CompletedTask;
    }
}

/// <summary>A failure the next attempt may not have (5xx, timeout, no connection) or one it will (4xx: the beheerder must look).</summary>
internal sealed class UpstreamException(string message, bool permanent) : Exception(message)
{
    public bool Permanent { get; } = permanent;
}

/// <summary>
/// Delivers the outbox oldest first. Per contact, per question in order, KISS's sequence: klantcontact with its
/// betrokkene and onderwerpobject (one maak-klantcontact call), then the internetaak. Each created uuid is stored in
/// <see cref="UpstreamDelivery.Progress"/> straight away, and before creating a klantcontact the upstream is asked
/// whether it has it already (same plaatsgevondenOp and inhoud): an attempt whose answer got lost never makes a second one.
/// </summary>
internal sealed class UpstreamDeliveryService(
    IDbContextFactory<KccDbContext> dbFactory, IHttpClientFactory httpFactory, IOptionsMonitor<UpstreamOptions> options,
    UpstreamSignal signal, TimeProvider clock, ILogger<UpstreamDeliveryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (options.CurrentValue.IsEnabled)
                {
                    await DeliverDueAsync(stoppingToken);
                }

                await signal.WaitAsync(options.CurrentValue.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException)
            {
                logger.LogError(e, "Upstream delivery round failed");
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }

    public async Task DeliverDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<long> due;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            due = await db.Set<UpstreamDelivery>().Where(d => d.Status == UpstreamStatus.Wachtend && d.NextAttemptAt <= now)
                .OrderBy(d => d.Id).Select(d => d.Id).Take(50).ToListAsync(ct);
        }

        foreach (var id in due)
        {
            await DeliverAsync(id, ct);
        }
    }

    /// <summary>
    /// How long a server holds a delivery it took. Longer than one delivery can take (a few calls of at most 10 s each);
    /// a server that stops halfway leaves it to another after this, which first looks the klantcontact up upstream.
    /// </summary>
    internal static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private async Task DeliverAsync(long deliveryId, CancellationToken ct)
    {
        var settings = options.CurrentValue;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Take it first: with several app servers on one database each runs this service, and two servers sending the same
        // contact at once would both find nothing upstream and both create it. The conditional update lets one win.
        var now = clock.GetUtcNow().UtcDateTime;
        var taken = await db.Set<UpstreamDelivery>()
            .Where(d => d.Id == deliveryId && d.Status == UpstreamStatus.Wachtend && d.NextAttemptAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, now + Lease), ct);
        if (taken == 0)
        {
            return;
        }

        var delivery = await db.Set<UpstreamDelivery>().SingleAsync(d => d.Id == deliveryId, ct);
        var progress = JsonNode.Parse(delivery.Progress)!.AsObject();
        try
        {
            var contact = await db.Contacts.AsNoTracking().Include(c => c.Questions).ThenInclude(q => q.Topic).Include(c => c.Party)
                .SingleAsync(c => c.Id == delivery.ContactId, ct);
            var tasks = await db.InternalTasks.AsNoTracking().Where(t => t.ContactId == contact.Id).ToDictionaryAsync(t => t.QuestionId, ct);
            using var http = httpFactory.CreateClient(UpstreamRegistration.HttpClientName);
            http.BaseAddress = new Uri(settings.Url!.TrimEnd('/') + "/");
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", settings.Token ?? "");
            var partij = contact.Party is { } party ? await FindPartijAsync(http, party, ct) : null;
            foreach (var question in contact.Questions.OrderBy(q => q.Sequence))
            {
                var key = question.Id.ToString(CultureInfo.InvariantCulture);
                var step = progress[key] as JsonObject ?? [];
                progress[key] = step;
                if (step["klantcontact"] is null)
                {
                    step["klantcontact"] = await ExistingKlantcontactAsync(http, contact, question, ct) ?? await CreateKlantcontactAsync(http, contact, question, partij, ct);
                    await SaveProgressAsync(db, delivery, progress, ct);
                }

                if (tasks.TryGetValue(question.Id, out var task) && step["internetaak"] is null)
                {
                    step["internetaak"] = await CreateInterneTaakAsync(http, task, step["klantcontact"]!.GetValue<string>(), ct);
                    await SaveProgressAsync(db, delivery, progress, ct);
                }
            }

            delivery.Status = UpstreamStatus.Afgeleverd;
            delivery.DeliveredAt = clock.GetUtcNow().UtcDateTime;
            delivery.LastError = null;
        }
        catch (Exception e) when (e is UpstreamException or HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            var permanent = e is UpstreamException { Permanent: true };
            delivery.Attempts++;
            delivery.LastError = e is UpstreamException ? e.Message
                : e is TaskCanceledException or OperationCanceledException ? "De upstream antwoordde niet binnen 10 seconden."
                : e is JsonException ? "De upstream gaf een antwoord dat geen geldige JSON is."
                : "De upstream is niet bereikbaar.";
            delivery.Status = permanent || delivery.Attempts >= settings.MaxAttempts ? UpstreamStatus.Mislukt : UpstreamStatus.Wachtend;
            var backoff = settings.RetryDelay * Math.Pow(2, Math.Min(delivery.Attempts - 1, 16));
            delivery.NextAttemptAt = clock.GetUtcNow().UtcDateTime + (backoff > TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : backoff);
            logger.LogWarning("Upstream delivery {Delivery} of contact {Contact} failed (attempt {Attempt}): {Reason}", delivery.Id, delivery.ContactId, delivery.Attempts, delivery.LastError);
        }

        delivery.Progress = progress.ToJsonString();
        await db.SaveChangesAsync(ct);
    }

    private static async Task SaveProgressAsync(KccDbContext db, UpstreamDelivery delivery, JsonObject progress, CancellationToken ct)
    {
        delivery.Progress = progress.ToJsonString();
        await db.SaveChangesAsync(ct);
    }

    private static async Task<JsonNode> ReadAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            var fields = "";
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                try
                {
                    var body = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
                    var names = (body?["invalidParams"] as JsonArray)?.Select(p => p?["name"]?.ToString()) ?? (body?["errors"] as JsonObject)?.Select(e => e.Key) ?? [];
                    fields = string.Join(", ", names.Where(n => n is not null).Take(10));
                }
                catch (JsonException)
                {
                    // No readable body: the status code says enough.
                }
            }

            var status = (int)response.StatusCode;
            throw new UpstreamException($"{what}: de upstream antwoordde {status}" + (fields.Length > 0 ? $" (velden: {fields})" : "") + ".",
                permanent: status is >= 400 and < 500 and not 408 and not 429);
        }

        return await response.Content.ReadFromJsonAsync<JsonNode>(ct) ?? throw new UpstreamException($"{what}: leeg antwoord van de upstream.", false);
    }

    private static async Task<JsonObject?> FindPartijAsync(HttpClient http, Parties.Party party, CancellationToken ct)
    {
        var (soort, value) = party.Bsn is { Length: > 0 } bsn ? ("bsn", bsn) : party.KvkNumber is { Length: > 0 } kvk ? ("kvk_nummer", kvk) : ("", "");
        if (soort.Length == 0)
        {
            return null;
        }

        using var response = await http.GetAsync($"partijen?partijIdentificator__codeSoortObjectId={soort}&partijIdentificator__objectId={Uri.EscapeDataString(value)}", ct);
        var found = await ReadAsync(response, "Partij zoeken", ct);
        return found["results"]?.AsArray().FirstOrDefault() is JsonObject first ? new JsonObject { ["uuid"] = first["uuid"]!.GetValue<string>() } : null;
    }

    private static async Task<string?> ExistingKlantcontactAsync(HttpClient http, Contact contact, Question question, CancellationToken ct)
    {
        using var response = await http.GetAsync($"klantcontacten?plaatsgevondenOp={Uri.EscapeDataString(KiMapping.Time(contact.StartedAt))}&pageSize=100", ct);
        var found = await ReadAsync(response, "Klantcontact zoeken", ct);
        return found["results"]?.AsArray().FirstOrDefault(r => r?["inhoud"]?.GetValue<string>() == question.Text)?["uuid"]?.GetValue<string>();
    }

    private static async Task<string> CreateKlantcontactAsync(HttpClient http, Contact contact, Question question, JsonObject? partij, CancellationToken ct)
    {
        var metadata = new JsonObject { ["afhandeling"] = question.Outcome.Label() };
        if (question.ReferredTo is { Length: > 0 } referredTo)
        {
            metadata["doorverwezenNaar"] = referredTo;
        }

        var body = new JsonObject
        {
            ["klantcontact"] = new JsonObject
            {
                ["kanaal"] = contact.Channel.Label(),
                ["onderwerp"] = question.Topic!.Name.Length <= 200 ? question.Topic.Name : question.Topic.Name[..200],
                ["inhoud"] = question.Text,
                ["reactie"] = question.Answer ?? "",
                ["indicatieContactGelukt"] = question.Outcome != Outcome.NietAfgehandeld,
                ["taal"] = KiMapping.LanguageToIso.GetValueOrDefault(contact.Language, "und"),
                ["vertrouwelijk"] = contact.IsConfidential,
                ["plaatsgevondenOp"] = KiMapping.Time(contact.StartedAt),
                ["metadata"] = metadata,
            },
            ["onderwerpobject"] = new JsonObject
            {
                ["onderwerpobjectidentificator"] = new JsonObject
                {
                    ["objectId"] = question.Topic.Uri, ["codeObjecttype"] = "product", ["codeRegister"] = "upl", ["codeSoortObjectId"] = "uri",
                },
            },
        };
        if (partij is not null)
        {
            body["betrokkene"] = new JsonObject { ["wasPartij"] = partij, ["rol"] = "klant", ["initiator"] = contact.Direction == Direction.Inkomend };
        }

        using var response = await http.PostAsync("maak-klantcontact", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), ct);
        var created = await ReadAsync(response, "Klantcontact aanmaken", ct);
        return created["klantcontact"]?["uuid"]?.GetValue<string>() ?? throw new UpstreamException("Klantcontact aanmaken: geen uuid in het antwoord.", false);
    }

    /// <summary>The task, once; an upstream without POST /internetaken (404, 405) is noted in the progress instead of failing the contact.</summary>
    private static async Task<string> CreateInterneTaakAsync(HttpClient http, InternalTask task, string klantcontact, CancellationToken ct)
    {
        using (var existing = await http.GetAsync($"internetaken?aanleidinggevendKlantcontact__uuid={klantcontact}", ct))
        {
            var found = await ReadAsync(existing, "Interne taak zoeken", ct);
            if (found["results"]?.AsArray().FirstOrDefault()?["uuid"]?.GetValue<string>() is { } uuid)
            {
                return uuid;
            }
        }

        var body = new JsonObject
        {
            ["gevraagdeHandeling"] = task.Action.Label(),
            ["aanleidinggevendKlantcontact"] = new JsonObject { ["uuid"] = klantcontact },
            ["toegewezenAanActoren"] = new JsonArray(),
            ["toelichting"] = task.Explanation ?? "",
            ["status"] = task.Status.StandardName(),
        };
        using var response = await http.PostAsync("internetaken", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), ct);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            return "niet-ondersteund";
        }

        var created = await ReadAsync(response, "Interne taak aanmaken", ct);
        return created["uuid"]?.GetValue<string>() ?? throw new UpstreamException("Interne taak aanmaken: geen uuid in het antwoord.", false);
    }
}
