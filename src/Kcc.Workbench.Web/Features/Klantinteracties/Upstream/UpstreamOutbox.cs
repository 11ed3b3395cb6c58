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

    /// <summary>The longest wait between two attempts, however many failed before.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

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
/// Delivers the outbox oldest first, per contact and per question in KISS's order: the partij (found by BSN or KVK
/// number, created when the upstream does not know the resident), the agent's actor (found by e-mail, created when
/// missing), then per question the klantcontact, the actor link, the betrokkene, the resident's digitale adressen, the
/// onderwerpobject and the internetaak. Each created uuid is stored in <see cref="UpstreamDelivery.Progress"/> straight
/// away, and before creating anything the upstream is asked whether it has it already: an attempt whose answer got
/// lost never makes a second one.
/// </summary>
internal sealed class UpstreamDeliveryService(
    IDbContextFactory<KccDbContext> dbFactory, IHttpClientFactory httpFactory, IOptionsMonitor<UpstreamOptions> options,
    UpstreamSignal signal, TimeProvider clock, ILogger<UpstreamDeliveryService> logger) : BackgroundService
{
    /// <summary>Stored in the progress for a step the upstream does not offer (404 or 405 on its endpoint).</summary>
    internal const string NotSupported = "niet-ondersteund";

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
            var contact = await db.Contacts.AsNoTracking().Include(c => c.Questions).ThenInclude(q => q.Topic)
                .Include(c => c.Party).ThenInclude(p => p!.ContactDetails)
                .SingleAsync(c => c.Id == delivery.ContactId, ct);
            var tasks = await db.InternalTasks.AsNoTracking().Where(t => t.ContactId == contact.Id).ToDictionaryAsync(t => t.QuestionId, ct);
            var agent = contact.AgentId.StartsWith("api:", StringComparison.Ordinal)
                ? null
                : await db.Users.AsNoTracking().Where(u => u.Id == contact.AgentId).Select(u => new Agent(u.DisplayName, u.Email ?? u.UserName ?? u.Id)).FirstOrDefaultAsync(ct);
            using var http = httpFactory.CreateClient(UpstreamRegistration.HttpClientName);
            http.BaseAddress = new Uri(settings.Url!.TrimEnd('/') + "/");
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", settings.Token ?? "");
            var upstream = new UpstreamWriter(http, ct);
            Task Save() => SaveProgressAsync(db, delivery, progress, ct);

            string? partij = null;
            if (contact.Party is { } party && Identificator(party) is { } identificator)
            {
                if (progress["partij"] is null)
                {
                    progress["partij"] = await upstream.FindPartijAsync(identificator) ?? await upstream.CreatePartijAsync(party, identificator);
                    await Save();
                }

                partij = progress["partij"]!.GetValue<string>();
                if (progress["partijIdentificator"] is null)
                {
                    progress["partijIdentificator"] = await upstream.EnsureIdentificatorAsync(partij, identificator);
                    await Save();
                }
            }

            if (agent is not null && progress["actor"] is null)
            {
                progress["actor"] = await upstream.FindActorAsync(agent) ?? await upstream.CreateActorAsync(agent) ?? NotSupported;
                await Save();
            }

            var actor = progress["actor"]?.GetValue<string>() is { } a && a != NotSupported ? a : null;
            foreach (var question in contact.Questions.OrderBy(q => q.Sequence))
            {
                var key = question.Id.ToString(CultureInfo.InvariantCulture);
                var step = progress[key] as JsonObject ?? [];
                progress[key] = step;
                if (step["klantcontact"] is null)
                {
                    step["klantcontact"] = await upstream.FindKlantcontactAsync(contact, question) ?? await upstream.CreateKlantcontactAsync(contact, question);
                    await Save();
                }

                var klantcontact = step["klantcontact"]!.GetValue<string>();
                if (actor is not null && step["actorklantcontact"] is null)
                {
                    step["actorklantcontact"] = await upstream.LinkActorAsync(actor, klantcontact);
                    await Save();
                }

                if (contact.Party is { } resident && step["betrokkene"] is null)
                {
                    step["betrokkene"] = await upstream.FindBetrokkeneAsync(klantcontact) ?? await upstream.CreateBetrokkeneAsync(contact, resident, partij, klantcontact);
                    await Save();
                }

                if (contact.Party is { } withDetails && step["betrokkene"]?.GetValue<string>() is { } betrokkene && betrokkene != NotSupported)
                {
                    foreach (var detail in withDetails.ContactDetails.OrderBy(d => d.Id))
                    {
                        var detailKey = "adres" + detail.Id.ToString(CultureInfo.InvariantCulture);
                        if (step[detailKey] is null)
                        {
                            step[detailKey] = await upstream.EnsureDigitaalAdresAsync(betrokkene, detail);
                            await Save();
                        }
                    }
                }

                if (step["onderwerpobject"] is null)
                {
                    step["onderwerpobject"] = await upstream.FindOnderwerpobjectAsync(klantcontact) ?? await upstream.CreateOnderwerpobjectAsync(question, klantcontact);
                    await Save();
                }

                if (tasks.TryGetValue(question.Id, out var task) && step["internetaak"] is null)
                {
                    step["internetaak"] = await upstream.EnsureInterneTaakAsync(task, klantcontact);
                    await Save();
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
            delivery.NextAttemptAt = clock.GetUtcNow().UtcDateTime + (backoff > settings.MaxRetryDelay ? settings.MaxRetryDelay : backoff);
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

    private static PartijKey? Identificator(Parties.Party party) =>
        party.Bsn is { Length: > 0 } bsn ? new PartijKey("bsn", bsn, "natuurlijk_persoon", "brp")
        : party.KvkNumber is { Length: > 0 } kvk ? new PartijKey("kvk_nummer", kvk, "niet_natuurlijk_persoon", "hr")
        : null;
}

/// <summary>The agent as the upstream knows medewerkers (KISS: by e-mail address, in the register "handmatig").</summary>
internal sealed record Agent(string Name, string Email);

/// <summary>How the upstream identifies a partij: BSN from the BRP or KVK number from the Handelsregister.</summary>
internal sealed record PartijKey(string Soort, string Value, string ObjectType, string Register);

/// <summary>
/// The calls of one delivery. A lookup checks every result itself, so an upstream that ignores a filter cannot make us
/// link to someone else's record; a step whose endpoint the upstream does not have (404, 405) is recorded as
/// <see cref="UpstreamDeliveryService.NotSupported"/> instead of failing the contact.
/// </summary>
internal sealed class UpstreamWriter(HttpClient http, CancellationToken ct)
{
    public async Task<string?> FindPartijAsync(PartijKey key)
    {
        var found = await FindAsync(
            $"partijen?partijIdentificator__codeSoortObjectId={key.Soort}&partijIdentificator__objectId={Uri.EscapeDataString(key.Value)}", "Partij zoeken",
            r => r["partijIdentificatoren"] is not JsonArray ids || ids.Any(i => i?["partijIdentificator"]?["objectId"]?.ToString() == key.Value));
        return found;
    }

    /// <summary>
    /// With its identificator inline (Open Klant 2.x accepts it), so that after a lost answer the next attempt finds
    /// this partij by BSN instead of making a second one.
    /// </summary>
    public async Task<string> CreatePartijAsync(Parties.Party party, PartijKey key)
    {
        var body = new JsonObject
        {
            ["soortPartij"] = party.Kind == Parties.PartyKind.Organisation ? "organisatie" : "persoon",
            ["indicatieActief"] = true,
            ["indicatieGeheimhouding"] = false,
            ["voorkeurstaal"] = "nld",
            ["digitaleAdressen"] = new JsonArray(),
            ["rekeningnummers"] = new JsonArray(),
            ["voorkeursDigitaalAdres"] = null,
            ["voorkeursRekeningnummer"] = null,
            ["partijIdentificatie"] = party.Kind == Parties.PartyKind.Organisation
                ? new JsonObject { ["naam"] = party.OrganisationName ?? "" }
                : new JsonObject { ["contactnaam"] = Contactnaam(party) },
            ["partijIdentificatoren"] = new JsonArray(new JsonObject { ["anderePartijIdentificator"] = "", ["partijIdentificator"] = Identificator(key) }),
        };
        return await PostAsync("partijen", body, "Partij aanmaken", optional: false) ?? throw new UpstreamException("Partij aanmaken: geen uuid in het antwoord.", false);
    }

    /// <summary>Open Klant keeps identificatoren apart from the partij: a partij created here gets its BSN or KVK number next.</summary>
    public async Task<string> EnsureIdentificatorAsync(string partij, PartijKey key)
    {
        var existing = await FindAsync(
            $"partij-identificatoren?partijIdentificator__objectId={Uri.EscapeDataString(key.Value)}&partijIdentificator__codeSoortObjectId={key.Soort}", "Partij-identificator zoeken",
            r => r["partijIdentificator"]?["objectId"]?.ToString() == key.Value && r["identificeerdePartij"]?["uuid"]?.ToString() == partij);
        if (existing is not null)
        {
            return existing;
        }

        var body = new JsonObject
        {
            ["identificeerdePartij"] = Ref(partij),
            ["anderePartijIdentificator"] = "",
            ["partijIdentificator"] = Identificator(key),
        };
        return await PostAsync("partij-identificatoren", body, "Partij-identificator aanmaken", optional: true) ?? UpstreamDeliveryService.NotSupported;
    }

    public Task<string?> FindActorAsync(Agent agent) =>
        FindAsync($"actoren?actoridentificatorObjectId={Uri.EscapeDataString(agent.Email)}&soortActor=medewerker", "Medewerker zoeken",
            r => string.Equals(r["actoridentificator"]?["objectId"]?.ToString(), agent.Email, StringComparison.OrdinalIgnoreCase));

    public Task<string?> CreateActorAsync(Agent agent) =>
        PostAsync("actoren", new JsonObject
        {
            ["naam"] = agent.Name.Length > 0 ? agent.Name : agent.Email,
            ["soortActor"] = "medewerker",
            ["indicatieActief"] = true,
            ["actoridentificator"] = new JsonObject
            {
                ["objectId"] = agent.Email, ["codeObjecttype"] = "mdw", ["codeRegister"] = "handmatig", ["codeSoortObjectId"] = "email",
            },
        }, "Medewerker aanmaken", optional: true);

    public async Task<string?> FindKlantcontactAsync(Contact contact, Question question) =>
        await FindAsync($"klantcontacten?plaatsgevondenOp={Uri.EscapeDataString(KiMapping.Time(contact.StartedAt))}&pageSize=100", "Klantcontact zoeken",
            r => r["inhoud"]?.ToString() == question.Text);

    public async Task<string> CreateKlantcontactAsync(Contact contact, Question question)
    {
        var metadata = new JsonObject { ["afhandeling"] = question.Outcome.Label() };
        if (question.ReferredTo is { Length: > 0 } referredTo)
        {
            metadata["doorverwezenNaar"] = referredTo;
        }

        var body = new JsonObject
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
        };
        return await PostAsync("klantcontacten", body, "Klantcontact aanmaken", optional: false) ?? throw new UpstreamException("Klantcontact aanmaken: geen uuid in het antwoord.", false);
    }

    public async Task<string> LinkActorAsync(string actor, string klantcontact) =>
        await FindAsync($"actorklantcontacten?klantcontact__uuid={klantcontact}&actor__uuid={actor}", "Medewerker bij klantcontact zoeken",
            r => r["actor"]?["uuid"]?.ToString() == actor && r["klantcontact"]?["uuid"]?.ToString() == klantcontact)
        ?? await PostAsync("actorklantcontacten", new JsonObject { ["actor"] = Ref(actor), ["klantcontact"] = Ref(klantcontact) }, "Medewerker aan klantcontact koppelen", optional: true)
        ?? UpstreamDeliveryService.NotSupported;

    public Task<string?> FindBetrokkeneAsync(string klantcontact) =>
        FindAsync($"betrokkenen?hadKlantcontact__uuid={klantcontact}", "Betrokkene zoeken", r => r["hadKlantcontact"]?["uuid"]?.ToString() == klantcontact);

    /// <summary>The resident of the contact: by partij when the upstream has one, otherwise by name only (as KISS does for a resident without BSN).</summary>
    public async Task<string> CreateBetrokkeneAsync(Contact contact, Parties.Party party, string? partij, string klantcontact)
    {
        var body = new JsonObject
        {
            ["hadKlantcontact"] = Ref(klantcontact),
            ["wasPartij"] = partij is null ? null : Ref(partij),
            ["rol"] = "klant",
            ["initiator"] = contact.Direction == Direction.Inkomend,
            ["organisatienaam"] = party.Kind == Parties.PartyKind.Organisation ? party.OrganisationName ?? "" : "",
            ["contactnaam"] = party.Kind == Parties.PartyKind.Organisation ? null : Contactnaam(party),
        };
        return await PostAsync("betrokkenen", body, "Betrokkene aanmaken", optional: true) ?? UpstreamDeliveryService.NotSupported;
    }

    public async Task<string> EnsureDigitaalAdresAsync(string betrokkene, Parties.PartyContactDetail detail)
    {
        var soort = detail.Kind == Parties.ContactDetailKind.Email ? "email" : "telefoonnummer";
        return await FindAsync($"digitaleadressen?verstrektDoorBetrokkene__uuid={betrokkene}&soortDigitaalAdres={soort}", "Digitaal adres zoeken",
                r => r["verstrektDoorBetrokkene"]?["uuid"]?.ToString() == betrokkene && string.Equals(r["adres"]?.ToString(), detail.Value, StringComparison.OrdinalIgnoreCase))
            ?? await PostAsync("digitaleadressen", new JsonObject
            {
                ["verstrektDoorBetrokkene"] = Ref(betrokkene),
                ["verstrektDoorPartij"] = null,
                ["adres"] = detail.Value,
                ["soortDigitaalAdres"] = soort,
                ["omschrijving"] = detail.Kind == Parties.ContactDetailKind.Email ? "E-mail" : "Telefoon",
            }, "Digitaal adres aanmaken", optional: true)
            ?? UpstreamDeliveryService.NotSupported;
    }

    public Task<string?> FindOnderwerpobjectAsync(string klantcontact) =>
        FindAsync($"onderwerpobjecten?klantcontact__uuid={klantcontact}", "Onderwerpobject zoeken", r => r["klantcontact"]?["uuid"]?.ToString() == klantcontact);

    public async Task<string> CreateOnderwerpobjectAsync(Question question, string klantcontact) =>
        await PostAsync("onderwerpobjecten", new JsonObject
        {
            ["klantcontact"] = Ref(klantcontact),
            ["wasKlantcontact"] = null,
            ["onderwerpobjectidentificator"] = new JsonObject
            {
                ["objectId"] = question.Topic!.Uri, ["codeObjecttype"] = "product", ["codeRegister"] = "upl", ["codeSoortObjectId"] = "uri",
            },
        }, "Onderwerpobject aanmaken", optional: true) ?? UpstreamDeliveryService.NotSupported;

    public async Task<string> EnsureInterneTaakAsync(InternalTask task, string klantcontact) =>
        await FindAsync($"internetaken?aanleidinggevendKlantcontact__uuid={klantcontact}", "Interne taak zoeken", r => r["aanleidinggevendKlantcontact"]?["uuid"]?.ToString() == klantcontact)
        ?? await PostAsync("internetaken", new JsonObject
        {
            ["gevraagdeHandeling"] = task.Action.Label(),
            ["aanleidinggevendKlantcontact"] = Ref(klantcontact),
            ["toegewezenAanActoren"] = new JsonArray(),
            ["toelichting"] = task.Explanation ?? "",
            ["status"] = task.Status.StandardName(),
        }, "Interne taak aanmaken", optional: true)
        ?? UpstreamDeliveryService.NotSupported;

    private static JsonObject Identificator(PartijKey key) => new()
    {
        ["codeObjecttype"] = key.ObjectType, ["codeSoortObjectId"] = key.Soort, ["objectId"] = key.Value, ["codeRegister"] = key.Register,
    };

    private static JsonObject Ref(string uuid) => new() { ["uuid"] = uuid };

    private static JsonObject Contactnaam(Parties.Party party) => new()
    {
        ["voorletters"] = "",
        ["voornaam"] = party.FirstNames ?? "",
        ["voorvoegselAchternaam"] = party.Prefix ?? "",
        ["achternaam"] = party.LastName ?? "",
    };

    /// <summary>The uuid of the first result that <paramref name="matches"/>; null when none does or the upstream cannot search this way (400, 404, 405).</summary>
    private async Task<string?> FindAsync(string query, string what, Func<JsonObject, bool> matches)
    {
        using var response = await http.GetAsync(query, ct);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            return null;
        }

        var found = await ReadAsync(response, what);
        return (found["results"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(matches)?["uuid"]?.ToString();
    }

    /// <summary>The uuid of what was created; null when <paramref name="optional"/> and the upstream has no such endpoint.</summary>
    private async Task<string?> PostAsync(string path, JsonObject body, string what, bool optional)
    {
        using var response = await http.PostAsync(path, new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), ct);
        if (optional && response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            return null;
        }

        var created = await ReadAsync(response, what);
        return created["uuid"]?.ToString() ?? throw new UpstreamException($"{what}: geen uuid in het antwoord.", false);
    }

    private async Task<JsonNode> ReadAsync(HttpResponseMessage response, string what)
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
}
