using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Features.Topics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kcc.Workbench.Web.Features.Contacts;

/// <summary>One conversation on one channel (Klantcontact). Times are UTC.</summary>
public class Contact
{
    public long Id { get; set; }

    /// <summary>Null for an anonymous contact.</summary>
    public int? PartyId { get; set; }

    public Party? Party { get; set; }

    public required string AgentId { get; set; }

    public required string AgentName { get; set; }

    public Channel Channel { get; set; }

    public Direction Direction { get; set; }

    public DateTime StartedAt { get; set; }

    public DateTime EndedAt { get; set; }

    public bool IsConfidential { get; set; }

    public string Language { get; set; } = "nl";

    public DateTime CreatedAt { get; set; }

    public List<Question> Questions { get; } = [];
}

/// <summary>One question inside a contact.</summary>
public class Question
{
    public long Id { get; set; }

    public long ContactId { get; set; }

    public Contact? Contact { get; set; }

    public int Sequence { get; set; }

    public int TopicId { get; set; }

    public Topic? Topic { get; set; }

    public required string Text { get; set; }

    public string? Answer { get; set; }

    public Outcome Outcome { get; set; }

    /// <summary>The organisation the resident was referred to (outcome Doorverwezen naar andere organisatie).</summary>
    public string? ReferredTo { get; set; }

    /// <summary>Set for Doorgezet naar backoffice and Terugbelverzoek: the routing feature creates the internal task.</summary>
    public bool NeedsRouting { get; set; }

    /// <summary>The kennisbank article whose answer the agent used, and the exact version: what the resident was told.</summary>
    public int? ArticleId { get; set; }

    public int? ArticleVersionId { get; set; }
}

public static class ContactLimits
{
    // Klantinteracties: inhoud ≤ 1000, reactie ≤ 4000.
    public const int QuestionText = 1000;
    public const int Answer = 4000;
    public const int ReferredTo = 200;
}

internal sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>, IEntityTypeConfiguration<Question>
{
    public void Configure(EntityTypeBuilder<Contact> builder)
    {
        builder.Property(c => c.AgentId).HasMaxLength(450);
        builder.Property(c => c.AgentName).HasMaxLength(200);
        builder.Property(c => c.Language).HasMaxLength(20);
        builder.HasOne(c => c.Party).WithMany().HasForeignKey(c => c.PartyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(c => c.Questions).WithOne(q => q.Contact).HasForeignKey(q => q.ContactId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => new { c.PartyId, c.StartedAt });
        builder.HasIndex(c => new { c.AgentId, c.StartedAt });
        builder.HasIndex(c => c.StartedAt);
    }

    public void Configure(EntityTypeBuilder<Question> builder)
    {
        builder.Property(q => q.Text).HasMaxLength(ContactLimits.QuestionText);
        builder.Property(q => q.Answer).HasMaxLength(ContactLimits.Answer);
        builder.Property(q => q.ReferredTo).HasMaxLength(ContactLimits.ReferredTo);
        builder.HasOne(q => q.Topic).WithMany().HasForeignKey(q => q.TopicId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(q => new { q.TopicId, q.ContactId });
        builder.HasOne<KnowledgeBase.Article>().WithMany().HasForeignKey(q => q.ArticleId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<KnowledgeBase.ArticleVersion>().WithMany().HasForeignKey(q => q.ArticleVersionId).OnDelete(DeleteBehavior.Restrict);
    }
}
