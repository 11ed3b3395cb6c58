using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Parties;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kcc.Workbench.Web.Features.Inbox;

/// <summary>Where a conversation stands in the inbox. Numbers are stored; never renumber.</summary>
public enum ConversationStatus
{
    /// <summary>Waiting for an agent: nobody has it.</summary>
    Open = 1,

    /// <summary>An agent took it and is answering.</summary>
    InBehandeling = 2,

    /// <summary>Answered; a new message from the resident opens it again.</summary>
    Beantwoord = 3,
}

/// <summary>Where one of our replies is. Numbers are stored; never renumber.</summary>
public enum DeliveryStatus
{
    /// <summary>In the outbox, not yet handed to SMTP or the Graph API.</summary>
    Wachtrij = 1,

    /// <summary>Being handed over right now (claimed by the outbox worker).</summary>
    Bezig = 2,

    Verzonden = 3,
    Afgeleverd = 4,
    Gelezen = 5,

    /// <summary>Refused, or given up after retries; an agent can send it again.</summary>
    Mislukt = 6,

    /// <summary>The app stopped while handing it over: it may or may not have gone out. Never resent by itself.</summary>
    Onzeker = 7,
}

/// <summary>
/// One thread of written messages with a resident on one channel (an e-mail thread, a WhatsApp chat): what the
/// inbox lists, what an agent takes with "Volgende pakken", and what the promised reply time is counted for.
/// Times are UTC.
/// </summary>
public class Conversation
{
    public long Id { get; set; }

    /// <summary><see cref="Contacts.Channel.Email"/> or <see cref="Contacts.Channel.WhatsApp"/>.</summary>
    public Channel Channel { get; set; }

    /// <summary>The resident's address on the channel: lower-case e-mail address, or the phone number in digits as WhatsApp sends it.</summary>
    public required string Address { get; set; }

    /// <summary>The name the sender gave (e-mail display name, WhatsApp profile name); not checked.</summary>
    public string? SenderName { get; set; }

    /// <summary>Matched by address when the message arrived (or later by the agent); null when nobody matched.</summary>
    public int? PartyId { get; set; }

    public Party? Party { get; set; }

    /// <summary>E-mail subject; WhatsApp has none.</summary>
    public string? Subject { get; set; }

    public ConversationStatus Status { get; set; } = ConversationStatus.Open;

    /// <summary>Arrival of the oldest message not answered yet: the service norm counts from here.</summary>
    public DateTime WaitingSince { get; set; }

    /// <summary>The promised reply time (service norm applied to <see cref="WaitingSince"/>).</summary>
    public DateTime DueAt { get; set; }

    /// <summary>The resident's last message: WhatsApp's 24-hour window counts from here.</summary>
    public DateTime LastIncomingAt { get; set; }

    public string? AssigneeId { get; set; }

    public string? AssigneeName { get; set; }

    public DateTime? ClaimedAt { get; set; }

    /// <summary>Our first reply in this conversation: first-reply time on the dashboard.</summary>
    public DateTime? FirstReplyAt { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>Raised by every change; a reply is only sent on the version the agent saw.</summary>
    public int Version { get; set; }

    public List<ConversationMessage> Messages { get; } = [];
}

/// <summary>One message in a conversation, incoming or ours. Our replies are also the outbox.</summary>
public class ConversationMessage
{
    public long Id { get; set; }

    public long ConversationId { get; set; }

    public Conversation? Conversation { get; set; }

    public Channel Channel { get; set; }

    public Direction Direction { get; set; }

    /// <summary>E-mail Message-ID or WhatsApp wamid; unique per channel, so a retried delivery is stored once.</summary>
    public string? ExternalId { get; set; }

    /// <summary>E-mail In-Reply-To and References (space separated), for threading.</summary>
    public string? ReplyReferences { get; set; }

    /// <summary>The text as plain text (HTML mail converted): what the thread shows and the contact quotes.</summary>
    public required string Body { get; set; }

    /// <summary>HTML mail after sanitising (no script, no remote images, no forms); null for plain text.</summary>
    public string? SafeHtml { get; set; }

    /// <summary>When the message was sent by the resident (its own time stamp) or by us.</summary>
    public DateTime SentAt { get; set; }

    /// <summary>When the workbench stored it: arrival-to-visible is measured from here.</summary>
    public DateTime StoredAt { get; set; }

    /// <summary>Something was wrong with it (malformed, too big, attachments left out); the reason says what.</summary>
    public string? Problem { get; set; }

    /// <summary>Our reply: the contact logged with it.</summary>
    public long? ContactId { get; set; }

    public string? AgentName { get; set; }

    /// <summary>Our reply: an approved WhatsApp template instead of free text (after the 24-hour window).</summary>
    public string? TemplateName { get; set; }

    public DeliveryStatus? Delivery { get; set; }

    public DateTime? DeliveryUpdatedAt { get; set; }

    public int Attempts { get; set; }

    public DateTime? NextAttemptAt { get; set; }

    /// <summary>Why the last attempt failed, in Dutch, for the agent.</summary>
    public string? DeliveryError { get; set; }

    public List<MessageAttachment> Attachments { get; } = [];
}

/// <summary>An attachment of an incoming e-mail that passed the size and type limits.</summary>
public class MessageAttachment
{
    public long Id { get; set; }

    public long MessageId { get; set; }

    public required string FileName { get; set; }

    public required string ContentType { get; set; }

    public long Size { get; set; }

    public required byte[] Content { get; set; }
}

public static class InboxLimits
{
    public const int Address = 254;
    public const int SenderName = 200;
    public const int Subject = 300;
    public const int ExternalId = 500;
    public const int References = 4000;

    /// <summary>Longer texts are cut and the message flagged; the thread is for reading, not an archive of whole newsletters.</summary>
    public const int Body = 100_000;
    public const int Problem = 500;
    public const int DeliveryError = 500;
    public const int FileName = 255;
    public const int ContentType = 100;
    public const int TemplateName = 100;
}

internal sealed class ConversationConfiguration
    : IEntityTypeConfiguration<Conversation>, IEntityTypeConfiguration<ConversationMessage>, IEntityTypeConfiguration<MessageAttachment>
{
    public void Configure(EntityTypeBuilder<Conversation> builder)
    {
        builder.ToTable("Conversations");
        builder.Property(c => c.Address).HasMaxLength(InboxLimits.Address);
        builder.Property(c => c.SenderName).HasMaxLength(InboxLimits.SenderName);
        builder.Property(c => c.Subject).HasMaxLength(InboxLimits.Subject);
        builder.Property(c => c.AssigneeId).HasMaxLength(450);
        builder.Property(c => c.AssigneeName).HasMaxLength(200);
        builder.HasOne(c => c.Party).WithMany().HasForeignKey(c => c.PartyId).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(c => c.Messages).WithOne(m => m.Conversation).HasForeignKey(m => m.ConversationId).OnDelete(DeleteBehavior.Cascade);
        // The inbox: open conversations of a channel, oldest first.
        builder.HasIndex(c => new { c.Status, c.Channel, c.WaitingSince });
        builder.HasIndex(c => new { c.Channel, c.Address });
        builder.HasIndex(c => c.PartyId);
    }

    public void Configure(EntityTypeBuilder<ConversationMessage> builder)
    {
        builder.ToTable("ConversationMessages");
        builder.Property(m => m.ExternalId).HasMaxLength(InboxLimits.ExternalId);
        builder.Property(m => m.ReplyReferences).HasMaxLength(InboxLimits.References);
        builder.Property(m => m.Body).HasMaxLength(InboxLimits.Body);
        builder.Property(m => m.SafeHtml).HasMaxLength(InboxLimits.Body);
        builder.Property(m => m.Problem).HasMaxLength(InboxLimits.Problem);
        builder.Property(m => m.AgentName).HasMaxLength(200);
        builder.Property(m => m.TemplateName).HasMaxLength(InboxLimits.TemplateName);
        builder.Property(m => m.DeliveryError).HasMaxLength(InboxLimits.DeliveryError);
        // Meta retries webhooks and IMAP shows a message again after a restart: one row per channel and id.
        builder.HasIndex(m => new { m.Channel, m.ExternalId }).IsUnique();
        // The outbox: replies waiting to go out, due first.
        builder.HasIndex(m => new { m.Delivery, m.NextAttemptAt });
        builder.HasIndex(m => new { m.ConversationId, m.SentAt });
        builder.HasOne<Contact>().WithMany().HasForeignKey(m => m.ContactId).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(m => m.Attachments).WithOne().HasForeignKey(a => a.MessageId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<MessageAttachment> builder)
    {
        builder.ToTable("MessageAttachments");
        builder.Property(a => a.FileName).HasMaxLength(InboxLimits.FileName);
        builder.Property(a => a.ContentType).HasMaxLength(InboxLimits.ContentType);
    }
}

/// <summary>How far the IMAP intake has read a mailbox folder, so a restart does not fetch the whole folder again.</summary>
public class MailboxCursor
{
    public int Id { get; set; }

    /// <summary>"user@host/INBOX".</summary>
    public required string Mailbox { get; set; }

    public long UidValidity { get; set; }

    public long LastUid { get; set; }

    public DateTime UpdatedAt { get; set; }
}

internal sealed class MailboxCursorConfiguration : IEntityTypeConfiguration<MailboxCursor>
{
    public void Configure(EntityTypeBuilder<MailboxCursor> builder)
    {
        builder.ToTable("MailboxCursors");
        builder.Property(c => c.Mailbox).HasMaxLength(300);
        builder.HasIndex(c => c.Mailbox).IsUnique();
    }
}
