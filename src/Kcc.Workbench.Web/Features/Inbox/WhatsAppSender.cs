using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kcc.Workbench.Web.Features.Contacts;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace Kcc.Workbench.Web.Features.Inbox;

/// <summary>
/// Sends replies through the WhatsApp Cloud API (Graph API <c>POST /{phone-number-id}/messages</c>): free text within
/// the 24-hour window, the approved template after it. The HTTP pipeline retries only answers that say Meta did not
/// take the message (429, 503), so a retry never sends a reply twice; everything else is the outbox's to decide.
/// </summary>
public sealed class WhatsAppSender(HttpClient http, IOptionsMonitor<InboxOptions> options, ILogger<WhatsAppSender> logger) : IReplySender
{
    public const string ClientName = "whatsapp-graph";

    public Channel Channel => Channel.WhatsApp;

    public static void Register(IServiceCollection services)
    {
        services.AddHttpClient<WhatsAppSender>(ClientName)
            .AddResilienceHandler("whatsapp-graph", pipeline =>
            {
                pipeline.AddTimeout(TimeSpan.FromSeconds(30));
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 2,
                    BackoffType = DelayBackoffType.Exponential,
                    Delay = TimeSpan.FromSeconds(1),
                    UseJitter = true,
                    // Only answers that mean "not taken"; a time-out or a 500 may hide a message that went out.
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
                        || args.Outcome.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError }),
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(10));
            });
        services.AddTransient<IReplySender>(sp => sp.GetRequiredService<WhatsAppSender>());
    }

    public async Task<SendOutcome> SendAsync(OutgoingReply reply, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue.WhatsApp;
        if (!settings.CanSend)
        {
            return SendOutcome.NotSent("WhatsApp versturen is niet ingesteld (Kanalen:WhatsApp:AccessToken en PhoneNumberId).");
        }

        object body = reply.TemplateName is { } template
            ? new { messaging_product = "whatsapp", recipient_type = "individual", to = ToWhatsAppNumber(reply.To), type = "template", template = new { name = template, language = new { code = settings.TemplateLanguage } } }
            : new { messaging_product = "whatsapp", recipient_type = "individual", to = ToWhatsAppNumber(reply.To), type = "text", text = new { preview_url = false, body = reply.Body } };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{settings.GraphApiBaseUrl.TrimEnd('/')}/{Uri.EscapeDataString(settings.PhoneNumberId!)}/messages")
        {
            Content = JsonContent.Create(body),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.AccessToken);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return SendOutcome.Done(MessageId(text));
            }

            var status = (int)response.StatusCode;
            logger.LogWarning("WhatsApp Graph API answered {Status} for reply {MessageId}", status, reply.MessageId);
            var reason = $"WhatsApp weigerde het antwoord ({status}{(ErrorMessage(text) is { } message ? $": {message}" : "")}).";
            return status is 429 or 503 or (>= 400 and < 500) ? SendOutcome.NotSent(reason) : SendOutcome.MaybeSent(reason + " Misschien is het toch verstuurd.");
        }
        catch (HttpRequestException exception) when (exception.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            return SendOutcome.NotSent("De WhatsApp-server was niet bereikbaar.");
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutRejectedException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("WhatsApp Graph API call for reply {MessageId} broke off: {Error}", reply.MessageId, exception.GetType().Name);
            return SendOutcome.MaybeSent("Het versturen naar WhatsApp brak af; misschien is het antwoord toch aangekomen. Controleer dit voordat u opnieuw verstuurt.");
        }
    }

    /// <summary>WhatsApp numbers are international digits without "+": 0612345678 becomes 31612345678.</summary>
    public static string ToWhatsAppNumber(string address) =>
        address.StartsWith('+') ? address[1..]
        : address.StartsWith('0') ? "31" + address[1..]
        : address;

    private static string? MessageId(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array && messages.GetArrayLength() > 0
                && messages[0].TryGetProperty("id", out var id) ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? ErrorMessage(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var message = document.RootElement.TryGetProperty("error", out var error) && error.TryGetProperty("message", out var text) ? text.GetString() : null;
            return message is { Length: > 200 } ? message[..200] : message;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
