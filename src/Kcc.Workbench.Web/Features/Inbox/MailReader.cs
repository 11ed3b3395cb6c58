using AngleSharp.Html.Parser;
using Ganss.Xss;
using Kcc.Workbench.Web.Features.Contacts;
using MimeKit;

namespace Kcc.Workbench.Web.Features.Inbox;

/// <summary>
/// Turns a received e-mail into an inbox message: plain text for the thread and the contact, HTML only after an
/// allow-list sanitizer (no script, no forms, no images that call home), attachments within the size and type
/// limits. What cannot be read is said in <see cref="IncomingMessage.Problem"/>, never a reason to drop the mail.
/// </summary>
public static class MailReader
{
    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    public static IncomingMessage Read(MimeMessage message, EmailOptions limits, string fallbackId, DateTime now)
    {
        var problems = new List<string>();
        var from = message.From.Mailboxes.FirstOrDefault() ?? message.Sender;
        if (from is null || string.IsNullOrWhiteSpace(from.Address))
        {
            problems.Add("Het bericht heeft geen leesbare afzender.");
        }

        var html = message.HtmlBody;
        var text = message.TextBody;
        string? safeHtml = null;
        if (!string.IsNullOrWhiteSpace(html))
        {
            safeHtml = Sanitizer.Sanitize(html);
            text ??= TextOf(html);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            text = "(geen tekst)";
        }

        var attachments = new List<IncomingAttachment>();
        foreach (var part in message.Attachments.OfType<MimePart>())
        {
            var name = part.FileName ?? "bijlage";
            var type = part.ContentType.MimeType.ToLowerInvariant();
            if (!limits.AttachmentTypes.Contains(type))
            {
                problems.Add($"Bijlage ‘{name}’ ({type}) is niet bewaard: dit soort bestand nemen we niet aan.");
                continue;
            }

            try
            {
                using var content = new MemoryStream();
                part.Content?.DecodeTo(content);
                if (content.Length == 0 && part.Content?.Stream is { Length: > 0 })
                {
                    // MimeKit skips what is not base64; nothing left means the attachment was junk.
                    problems.Add($"Bijlage ‘{name}’ is beschadigd en niet bewaard.");
                    continue;
                }

                if (content.Length > limits.MaxAttachmentBytes)
                {
                    problems.Add($"Bijlage ‘{name}’ is niet bewaard: groter dan {limits.MaxAttachmentBytes / (1024 * 1024)} MB.");
                    continue;
                }

                attachments.Add(new IncomingAttachment(name, type, content.ToArray()));
            }
            catch (Exception exception) when (exception is FormatException or ParseException or InvalidOperationException)
            {
                problems.Add($"Bijlage ‘{name}’ is beschadigd en niet bewaard.");
            }
        }

        var references = new List<string>();
        if (!string.IsNullOrWhiteSpace(message.InReplyTo))
        {
            references.Add(message.InReplyTo);
        }

        references.AddRange(message.References.Reverse());
        return new IncomingMessage
        {
            Channel = Channel.Email,
            ExternalId = string.IsNullOrWhiteSpace(message.MessageId) ? fallbackId : message.MessageId,
            Address = from?.Address ?? "onbekend",
            SenderName = string.IsNullOrWhiteSpace(from?.Name) ? null : from.Name,
            Subject = string.IsNullOrWhiteSpace(message.Subject) ? null : message.Subject,
            Body = text.Trim(),
            SafeHtml = safeHtml,
            SentAt = message.Date == DateTimeOffset.MinValue ? now : message.Date.UtcDateTime,
            References = references.Distinct().ToList(),
            Problem = problems.Count == 0 ? null : string.Join(" ", problems),
            Attachments = attachments,
        };
    }

    /// <summary>Only the headers could be read (the message is too big or broken): keep what they say and flag it.</summary>
    public static IncomingMessage FromHeaders(HeaderList? headers, string fallbackId, DateTime now, string problem)
    {
        InternetAddressList? from = null;
        if (headers?[HeaderId.From] is { } fromText && InternetAddressList.TryParse(fromText, out var parsed))
        {
            from = parsed;
        }

        var mailbox = from?.Mailboxes.FirstOrDefault();
        var messageId = headers?[HeaderId.MessageId] is { } id ? MimeKit.Utils.MimeUtils.EnumerateReferences(id).FirstOrDefault() : null;
        var inReplyTo = headers?[HeaderId.InReplyTo] is { } reply ? MimeKit.Utils.MimeUtils.EnumerateReferences(reply).ToList() : [];
        var sentAt = headers?[HeaderId.Date] is { } date && MimeKit.Utils.DateUtils.TryParse(date, out var parsedDate) ? parsedDate.UtcDateTime : now;
        return new IncomingMessage
        {
            Channel = Channel.Email,
            ExternalId = messageId ?? fallbackId,
            Address = mailbox?.Address ?? "onbekend",
            SenderName = string.IsNullOrWhiteSpace(mailbox?.Name) ? null : mailbox.Name,
            Subject = headers?[HeaderId.Subject],
            Body = "(de inhoud van dit bericht kon niet worden gelezen)",
            SentAt = sentAt > now ? now : sentAt,
            References = inReplyTo,
            Problem = problem,
        };
    }

    private static string TextOf(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        foreach (var hidden in document.QuerySelectorAll("script, style, head"))
        {
            hidden.Remove();
        }

        // Blocks and line breaks become line breaks, as a mail program shows them.
        foreach (var block in document.QuerySelectorAll("br, p, div, li, tr, h1, h2, h3, h4, h5, h6, blockquote, table"))
        {
            block.Before(document.CreateTextNode("\n"));
            block.After(document.CreateTextNode("\n"));
        }

        var text = document.Body?.TextContent ?? "";
        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0);
        return string.Join("\n", lines);
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        // Remote images tell the sender the mail was read, and from where; forms and media have no place in a thread.
        foreach (var tag in new[] { "img", "form", "input", "button", "select", "textarea", "video", "audio", "source", "picture" })
        {
            sanitizer.AllowedTags.Remove(tag);
        }

        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.Add("https");
        sanitizer.AllowedSchemes.Add("http");
        sanitizer.AllowedSchemes.Add("mailto");
        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedAttributes.Remove("class");
        sanitizer.AllowedAttributes.Remove("id");
        return sanitizer;
    }
}
