using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kcc.Workbench.Web.Features.Inbox;

/// <summary>
/// <c>/api/v1/whatsapp/webhook</c> for the Meta WhatsApp Cloud API. GET: the verification handshake (echo
/// <c>hub.challenge</c> when <c>hub.verify_token</c> matches). POST: every body must carry
/// <c>X-Hub-Signature-256</c>, the HMAC-SHA256 of the raw body with the app secret; without a valid one the answer is
/// 401 and nothing is read or stored. Messages go into the inbox (once per wamid: Meta retries), status callbacks
/// (sent, delivered, read, failed) onto our replies.
/// </summary>
public static class WhatsAppWebhook
{
    public const string Path = "/api/v1/whatsapp/webhook";
    public const string SignatureHeader = "X-Hub-Signature-256";

    /// <summary>Meta's payloads are a few kB; a bigger body is not from Meta.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>The automated actor the webhook's work runs as once the signature proved the sender.</summary>
    public static readonly ClaimsPrincipal Actor = new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, "system:whatsapp"),
        new Claim(ClaimTypes.Name, "WhatsApp Cloud API"),
        new Claim(KccClaimTypes.DisplayName, "WhatsApp Cloud API"),
        new Claim(ClaimTypes.Role, Roles.Frontoffice),
    ], "WhatsAppSignature"));

    public static IEndpointRouteBuilder MapWhatsAppWebhook(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, (
                [Microsoft.AspNetCore.Mvc.FromQuery(Name = "hub.mode")] string? mode,
                [Microsoft.AspNetCore.Mvc.FromQuery(Name = "hub.verify_token")] string? verifyToken,
                [Microsoft.AspNetCore.Mvc.FromQuery(Name = "hub.challenge")] string? challenge,
                IOptionsMonitor<InboxOptions> options) =>
            {
                var expected = options.CurrentValue.WhatsApp.VerifyToken;
                return mode == "subscribe" && !string.IsNullOrEmpty(expected) && verifyToken is not null && FixedTimeEquals(verifyToken, expected) && challenge is not null
                    ? Results.Text(challenge, "text/plain")
                    : Results.StatusCode(StatusCodes.Status403Forbidden);
            })
            .AllowAnonymous()
            .WithName("WhatsAppWebhookVerification");

        endpoints.MapPost(Path, async (HttpContext context, IMediator mediator, IOptionsMonitor<InboxOptions> options, IOptions<JsonOptions> json) =>
            {
                var body = await ReadBodyAsync(context.Request, context.RequestAborted);
                if (body is null)
                {
                    return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
                }

                if (!SignatureValid(body, context.Request.Headers[SignatureHeader].ToString(), options.CurrentValue.WhatsApp.AppSecret))
                {
                    return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "De handtekening (X-Hub-Signature-256) ontbreekt of klopt niet.");
                }

                Payload? payload;
                try
                {
                    payload = JsonSerializer.Deserialize<Payload>(body, json.Value.SerializerOptions);
                }
                catch (JsonException exception)
                {
                    return ApiErrors.Refused(context, ApiInput.Describe(exception), ApiErrors.InvalidRequestTitle);
                }

                if (payload is null)
                {
                    return ApiErrors.Refused(context, new Dictionary<string, string[]> { ["$"] = ["Stuur een webhook-bericht van WhatsApp (een JSON-object)."] }, ApiErrors.InvalidRequestTitle);
                }

                // The signature proved the sender: the work runs as the automated WhatsApp actor.
                context.User = Actor;
                var result = await mediator.Send(payload, context.RequestAborted);
                return result.Succeeded ? Results.Ok(new { messages = result.Value!.Messages, duplicates = result.Value.Duplicates, statuses = result.Value.Statuses })
                    : result.ErrorFor(DatabaseFault.ErrorKey) is { } refused ? Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: refused)
                    : ApiErrors.Refused(context, result.Errors, "Het webhook-bericht is niet verwerkt. Verbeter de genoemde velden.");
            })
            .AllowAnonymous()
            .DisableAntiforgery()
            .Accepts<Payload>("application/json")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxBodyBytes))
            .WithName("WhatsAppWebhook");
        return endpoints;
    }

    /// <summary>"sha256=" and the lower-case hex HMAC-SHA256 of the raw body; compared in constant time.</summary>
    public static bool SignatureValid(byte[] body, string? header, string? appSecret)
    {
        const string prefix = "sha256=";
        if (string.IsNullOrEmpty(appSecret) || string.IsNullOrEmpty(header) || !header.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(header.AsSpan(prefix.Length));
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    public static string Sign(byte[] body, string appSecret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body));

    private static bool FixedTimeEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    // The payload as Meta documents it, with the members the workbench reads. Meta adds members without notice: those
    // are skipped (a refused webhook is retried by Meta for days and then dropped, with the resident's message).

    /// <summary>A verified webhook body, taken into the inbox as a request of the automated WhatsApp actor.</summary>
    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
    [AllowedFor(Roles.Frontoffice)]
    public sealed record Payload : IRequest<Result<Counts>>
    {
        /// <summary>"whatsapp_business_account". Named as Meta names it, so refusals name the member the caller sent.</summary>
        [JsonRequired]
        [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "Meta's member name.")]
        public string Object { get; init; } = "";

        [JsonRequired]
        public IReadOnlyList<Entry> Entry { get; init; } = [];
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
    public sealed record Entry
    {
        public string? Id { get; init; }

        [JsonRequired]
        public IReadOnlyList<Change> Changes { get; init; } = [];
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
    public sealed record Change
    {
        [JsonRequired]
        public string Field { get; init; } = "";

        [JsonRequired]
        public ChangeValue Value { get; init; } = new();
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
    public sealed record ChangeValue
    {
        public IReadOnlyList<ContactProfile>? Contacts { get; init; }

        public IReadOnlyList<Message>? Messages { get; init; }

        public IReadOnlyList<StatusUpdate>? Statuses { get; init; }
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
    public sealed record ContactProfile
    {
        public Profile? Profile { get; init; }
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
    public sealed record Profile
    {
        public string? Name { get; init; }
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
    public sealed record Message
    {
        [JsonRequired]
        public string From { get; init; } = "";

        [JsonRequired]
        public string Id { get; init; } = "";

        /// <summary>Unix seconds, as text.</summary>
        [JsonRequired]
        public string Timestamp { get; init; } = "";

        [JsonRequired]
        public string Type { get; init; } = "";

        public MessageText? Text { get; init; }
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
    public sealed record MessageText
    {
        [JsonRequired]
        public string Body { get; init; } = "";
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
    public sealed record StatusUpdate
    {
        [JsonRequired]
        public string Id { get; init; } = "";

        /// <summary>sent, delivered, read or failed.</summary>
        [JsonRequired]
        public string Status { get; init; } = "";

        [JsonRequired]
        public string Timestamp { get; init; } = "";

        public IReadOnlyList<StatusError>? Errors { get; init; }
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
    public sealed record StatusError
    {
        public int? Code { get; init; }

        public string? Title { get; init; }
    }

    public sealed record Counts(int Messages, int Duplicates, int Statuses);

    internal sealed class Validator : AbstractValidator<Payload>
    {
        public Validator()
        {
            RuleForEach(r => r.Entry).ChildRules(entry => entry.RuleForEach(e => e.Changes).ChildRules(change =>
            {
                change.RuleForEach(c => c.Value.Messages).ChildRules(message =>
                {
                    message.RuleFor(m => m.Id).NotEmpty().MaximumLength(InboxLimits.ExternalId).WithMessage("Elk bericht heeft een id (wamid) van hoogstens 500 tekens.");
                    message.RuleFor(m => m.From).Must(f => f.Length is >= 6 and <= 20 && f.All(char.IsAsciiDigit))
                        .WithMessage("De afzender is een telefoonnummer in cijfers, zoals WhatsApp het stuurt.");
                    message.RuleFor(m => m.Timestamp).Must(IsUnixTime).WithMessage("De tijd is een Unix-tijd in seconden.");
                });
                change.RuleForEach(c => c.Value.Statuses).ChildRules(status =>
                {
                    status.RuleFor(s => s.Id).NotEmpty().MaximumLength(InboxLimits.ExternalId).WithMessage("Elke status hoort bij een bericht-id (wamid).");
                    status.RuleFor(s => s.Timestamp).Must(IsUnixTime).WithMessage("De tijd is een Unix-tijd in seconden.");
                });
            }));
        }

        private static bool IsUnixTime(string value) =>
            value.Length is > 0 and <= 12 && value.All(char.IsAsciiDigit) && long.Parse(value, CultureInfo.InvariantCulture) < 253402300799;
    }

    internal sealed class Handler(InboxIntake intake, IDbContextFactory<KccDbContext> dbFactory, ILiveUpdates live) : IRequestHandler<Payload, Result<Counts>>
    {
        public async Task<Result<Counts>> Handle(Payload request, CancellationToken cancellationToken)
        {
            int stored = 0, duplicates = 0, statuses = 0;
            foreach (var value in request.Entry.SelectMany(e => e.Changes).Where(c => c.Field == "messages").Select(c => c.Value))
            {
                var name = value.Contacts is [{ Profile.Name: { } profileName }] ? profileName : null;
                foreach (var message in value.Messages ?? [])
                {
                    var (body, problem) = message.Type == "text" && message.Text is { } text
                        ? (text.Body, (string?)null)
                        : ($"[{TypeLabel(message.Type)}]", $"WhatsApp-bericht van het type ‘{message.Type}’: de werkplek toont alleen tekst. Vraag de inwoner het zo nodig per e-mail te sturen.");
                    var result = await intake.ReceiveAsync(new IncomingMessage
                    {
                        Channel = Channel.WhatsApp,
                        ExternalId = message.Id,
                        Address = message.From,
                        SenderName = name,
                        Body = body,
                        SentAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(message.Timestamp, CultureInfo.InvariantCulture)).UtcDateTime,
                        Problem = problem,
                    }, cancellationToken);
                    if (result.Outcome == IntakeOutcome.Stored)
                    {
                        stored++;
                    }
                    else
                    {
                        duplicates++;
                    }
                }

                foreach (var status in value.Statuses ?? [])
                {
                    statuses += await RecordStatusAsync(status, cancellationToken);
                }
            }

            if (statuses > 0)
            {
                live.InboxChanged();
            }

            return Result<Counts>.Ok(new Counts(stored, duplicates, statuses));
        }

        /// <summary>Statuses only move forward (a late "delivered" after "read" changes nothing); "failed" says why.</summary>
        private async Task<int> RecordStatusAsync(StatusUpdate status, CancellationToken cancellationToken)
        {
            DeliveryStatus? next = status.Status switch
            {
                "sent" => DeliveryStatus.Verzonden,
                "delivered" => DeliveryStatus.Afgeleverd,
                "read" => DeliveryStatus.Gelezen,
                "failed" => DeliveryStatus.Mislukt,
                _ => null,
            };
            if (next is not { } delivery)
            {
                return 0;
            }

            var at = DateTimeOffset.FromUnixTimeSeconds(long.Parse(status.Timestamp, CultureInfo.InvariantCulture)).UtcDateTime;
            var error = delivery == DeliveryStatus.Mislukt
                ? $"WhatsApp kon het antwoord niet afleveren{(status.Errors is [{ } first, ..] ? $" ({first.Code?.ToString(CultureInfo.InvariantCulture)} {first.Title})".TrimEnd() : "")}."
                : null;
            if (error is { Length: > InboxLimits.DeliveryError })
            {
                error = error[..InboxLimits.DeliveryError];
            }

            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var ours = db.Set<ConversationMessage>().Where(m => m.Channel == Channel.WhatsApp && m.Direction == Direction.Uitgaand && m.ExternalId == status.Id);
            ours = delivery == DeliveryStatus.Mislukt
                ? ours.Where(m => m.Delivery == DeliveryStatus.Verzonden)
                : ours.Where(m => (m.Delivery == DeliveryStatus.Verzonden || m.Delivery == DeliveryStatus.Afgeleverd) && m.Delivery < delivery);
            return await ours.ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Delivery, delivery)
                .SetProperty(m => m.DeliveryError, m => error ?? m.DeliveryError)
                .SetProperty(m => m.DeliveryUpdatedAt, at), cancellationToken);
        }

        private static string TypeLabel(string type) => type switch
        {
            "image" => "afbeelding",
            "audio" => "spraakbericht",
            "video" => "video",
            "document" => "document",
            "location" => "locatie",
            "sticker" => "sticker",
            _ => "bericht",
        };
    }
}
