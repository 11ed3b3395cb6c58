namespace Kcc.Workbench.Web.Features.Inbox;

/// <summary>Settings under Kanalen in appsettings.json: the KCC mailbox and the WhatsApp Business number.</summary>
public sealed class InboxOptions
{
    public EmailOptions Email { get; set; } = new();

    public WhatsAppOptions WhatsApp { get; set; } = new();

    /// <summary>How often a reply that could not be handed over is tried before it shows as failed.</summary>
    public int MaxSendAttempts { get; set; } = 5;
}

public enum MailSecurity
{
    /// <summary>TLS on connect for the well-known TLS ports, STARTTLS when the server offers it otherwise.</summary>
    Auto,
    SslOnConnect,
    StartTls,

    /// <summary>Plain text: only for a test server on the same machine.</summary>
    None,
}

public sealed class MailServerOptions
{
    public string? Host { get; set; }

    public int Port { get; set; }

    public MailSecurity Security { get; set; } = MailSecurity.Auto;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>OAuth 2.0 access token (XOAUTH2) instead of a password, e.g. for Microsoft 365.</summary>
    public string? AccessToken { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}

public sealed class ImapOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 993;

    public MailSecurity Security { get; set; } = MailSecurity.Auto;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string? AccessToken { get; set; }

    public string Folder { get; set; } = "INBOX";

    /// <summary>Without IDLE on the server: how often the folder is checked.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>IDLE is renewed before servers drop it (RFC 2177: 29 minutes at most).</summary>
    public TimeSpan IdleRenewal { get; set; } = TimeSpan.FromMinutes(9);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}

public sealed class EmailOptions
{
    /// <summary>The KCC's address replies come from, e.g. "kcc@gemeente.nl".</summary>
    public string Address { get; set; } = "kcc@gemeente.example";

    public string DisplayName { get; set; } = "Gemeente KCC";

    public ImapOptions Imap { get; set; } = new();

    public MailServerOptions Smtp { get; set; } = new() { Port = 587 };

    /// <summary>A bigger message is stored as far as readable (headers and start of the text) and flagged.</summary>
    public long MaxMessageBytes { get; set; } = 30 * 1024 * 1024;

    public long MaxAttachmentBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Attachment types kept; others are left out and the message says so.</summary>
    public string[]? AllowedAttachmentTypes { get; set; }

    public IReadOnlyList<string> AttachmentTypes => AllowedAttachmentTypes is { Length: > 0 } types
        ? types
        : ["application/pdf", "image/jpeg", "image/png", "image/heic", "text/plain",
           "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/msword"];
}

public sealed class WhatsAppOptions
{
    /// <summary>The word Meta sends in the GET handshake; chosen when the webhook is registered.</summary>
    public string? VerifyToken { get; set; }

    /// <summary>The app secret that signs every POST (X-Hub-Signature-256).</summary>
    public string? AppSecret { get; set; }

    public string? AccessToken { get; set; }

    public string? PhoneNumberId { get; set; }

    public string GraphApiBaseUrl { get; set; } = "https://graph.facebook.com/v21.0";

    /// <summary>The approved template sent after the 24-hour window.</summary>
    public string TemplateName { get; set; } = "kcc_antwoord_klaar";

    public string TemplateLanguage { get; set; } = "nl";

    /// <summary>What the template says, shown to the agent and logged as the answer given.</summary>
    public string TemplateText { get; set; } = "Wij hebben een antwoord op uw vraag. Stuur ons een bericht, dan sturen wij het antwoord.";

    public bool CanSend => !string.IsNullOrWhiteSpace(AccessToken) && !string.IsNullOrWhiteSpace(PhoneNumberId);
}
