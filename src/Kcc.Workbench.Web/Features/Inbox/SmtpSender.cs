using Kcc.Workbench.Web.Features.Contacts;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Kcc.Workbench.Web.Features.Inbox;

/// <summary>
/// Sends e-mail replies over SMTP with MailKit, threaded under the resident's message (In-Reply-To, References) and
/// with the Message-ID stored at queueing, so a reply to our reply lands in the same conversation.
/// </summary>
public sealed class SmtpSender(IOptionsMonitor<InboxOptions> options, ILogger<SmtpSender> logger) : IReplySender
{
    public Channel Channel => Channel.Email;

    public async Task<SendOutcome> SendAsync(OutgoingReply reply, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue.Email;
        if (!settings.Smtp.IsConfigured)
        {
            return SendOutcome.NotSent("E-mail versturen is niet ingesteld (Kanalen:Email:Smtp:Host).");
        }

        var message = Build(reply, settings);
        SmtpClient client;
        try
        {
            client = await MailConnections.OpenSmtpAsync(settings.Smtp, cancellationToken);
        }
        catch (Exception exception) when (exception is System.Net.Sockets.SocketException or IOException or MailKit.Security.AuthenticationException
                                              or SmtpCommandException or SmtpProtocolException or MailKit.Security.SslHandshakeException)
        {
            // Nothing was handed over yet: safe to try again.
            logger.LogWarning("SMTP server not reachable for reply {MessageId}: {Error}", reply.MessageId, exception.GetType().Name);
            return SendOutcome.NotSent("De mailserver was niet bereikbaar of weigerde de aanmelding.");
        }

        using (client)
        {
            try
            {
                await client.SendAsync(message, cancellationToken);
            }
            catch (SmtpCommandException exception) when (exception.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.SenderNotAccepted)
            {
                return SendOutcome.NotSent($"De mailserver weigerde het adres ({(int)exception.StatusCode}).");
            }
            catch (SmtpCommandException exception) when (exception.ErrorCode == SmtpErrorCode.MessageNotAccepted)
            {
                return SendOutcome.NotSent($"De mailserver weigerde het bericht ({(int)exception.StatusCode}).");
            }
            catch (Exception exception) when (exception is IOException or SmtpProtocolException or ServiceNotConnectedException)
            {
                logger.LogWarning("SMTP send of reply {MessageId} broke off: {Error}", reply.MessageId, exception.GetType().Name);
                return SendOutcome.MaybeSent("Het versturen van de e-mail brak af; misschien is het antwoord toch aangekomen. Controleer dit voordat u opnieuw verstuurt.");
            }

            try
            {
                await client.DisconnectAsync(quit: true, cancellationToken);
            }
            catch (Exception exception) when (exception is IOException or SmtpProtocolException)
            {
                // Sent already; a rude goodbye changes nothing.
            }
        }

        return SendOutcome.Done(reply.ExternalId);
    }

    public static MimeMessage Build(OutgoingReply reply, EmailOptions settings)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(settings.DisplayName, settings.Address));
        message.To.Add(new MailboxAddress(reply.ToName ?? "", reply.To));
        message.Subject = reply.Subject ?? "Uw vraag aan de gemeente";
        if (reply.ExternalId is { } id)
        {
            message.MessageId = id;
        }

        var references = (reply.References ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (references.Length > 0)
        {
            message.InReplyTo = references[^1];
            foreach (var reference in references)
            {
                message.References.Add(reference);
            }
        }

        message.Date = DateTimeOffset.UtcNow;
        message.Body = new TextPart("plain") { Text = reply.Body };
        return message;
    }
}
