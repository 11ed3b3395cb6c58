using System.Text.Json;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Teams;
using Kcc.Workbench.Web.Features.Topics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kcc.Workbench.Web.Features.KnowledgeBase;

/// <summary>Numbers are stored; never renumber.</summary>
public enum ArticleStatus
{
    Concept = 1,
    Gepubliceerd = 2,
    Gearchiveerd = 3,
}

public sealed record ArticleLink(string Title, string Url);

/// <summary>
/// Everything a kennisbeheerder edits: what a version snapshots, what import and export carry, what the editor binds to.
/// The resident answer is Markdown in sections; each may be empty.
/// </summary>
public sealed record ArticleContent
{
    public string Title { get; init; } = "";
    public int TopicId { get; init; }
    public int? TeamId { get; init; }
    public ArticleStatus Status { get; init; } = ArticleStatus.Concept;
    public DateOnly? ReviewBefore { get; init; }
    public IReadOnlyList<string> QuestionVariants { get; init; } = [];
    public IReadOnlyList<string> Keywords { get; init; } = [];
    public string? WatIsHet { get; init; }
    public string? Voorwaarden { get; init; }
    public string? WatNeemtUMee { get; init; }
    public string? Kosten { get; init; }
    public string? HoeLangDuurtHet { get; init; }
    public string? Aanvragen { get; init; }
    public string? ShortAnswer { get; init; }
    public string? EmailText { get; init; }
    public string? InternalNote { get; init; }
    public IReadOnlyList<ArticleLink> Links { get; init; } = [];

    /// <summary>Value equality including the lists, so "nothing changed" is detectable.</summary>
    public bool SameAs(ArticleContent other) => Fingerprint() == other.Fingerprint();

    private string Fingerprint() => JsonSerializer.Serialize(this);
}

/// <summary>The resident-answer sections in the order residents read them, with their Dutch headings.</summary>
public static class ArticleSections
{
    public sealed record Section(string Key, string Heading, Func<ArticleContent, string?> Get);

    public static readonly IReadOnlyList<Section> All =
    [
        new("watIsHet", "Wat is het", c => c.WatIsHet),
        new("voorwaarden", "Voorwaarden", c => c.Voorwaarden),
        new("watNeemtUMee", "Wat neemt u mee", c => c.WatNeemtUMee),
        new("kosten", "Kosten", c => c.Kosten),
        new("hoeLangDuurtHet", "Hoe lang duurt het", c => c.HoeLangDuurtHet),
        new("aanvragen", "Aanvragen", c => c.Aanvragen),
    ];

    /// <summary>The sections that have text, as (heading, markdown).</summary>
    public static IEnumerable<(string Heading, string Markdown)> Filled(ArticleContent content) =>
        All.Select(s => (s.Heading, Text: s.Get(content))).Where(s => !string.IsNullOrWhiteSpace(s.Text)).Select(s => (s.Heading, s.Text!.Trim()));

    /// <summary>All sections as one Markdown text with a heading each: the resident answer as a whole.</summary>
    public static string ResidentAnswer(ArticleContent content) =>
        string.Join("\n\n", Filled(content).Select(s => $"### {s.Heading}\n\n{s.Markdown}"));
}

public static class ArticleLimits
{
    public const int Title = 200;
    public const int ExternalId = 100;
    public const int QuestionVariant = 300;
    public const int QuestionVariants = 30;
    public const int Keyword = 100;
    public const int Keywords = 50;
    public const int Section = 8000;
    public const int ShortAnswer = 500;
    public const int EmailText = 4000;
    public const int InternalNote = 4000;
    public const int LinkTitle = 200;
    public const int LinkUrl = 500;
    public const int Links = 20;
}

/// <summary>A shared answer in the kennisbank (Kennisartikel). The current content lives here; every save adds an ArticleVersion.</summary>
public class Article
{
    public int Id { get; set; }

    /// <summary>Stable key for import and export (e.g. "paspoort-aanvragen").</summary>
    public required string ExternalId { get; set; }

    public required string Title { get; set; }

    public int TopicId { get; set; }

    public Topic? Topic { get; set; }

    public int? TeamId { get; set; }

    public Team? Team { get; set; }

    public ArticleStatus Status { get; set; } = ArticleStatus.Concept;

    /// <summary>"Herzien vóór": the article must be checked by this date.</summary>
    public DateOnly? ReviewBefore { get; set; }

    public List<string> QuestionVariants { get; set; } = [];

    public List<string> Keywords { get; set; } = [];

    public string? WatIsHet { get; set; }

    public string? Voorwaarden { get; set; }

    public string? WatNeemtUMee { get; set; }

    public string? Kosten { get; set; }

    public string? HoeLangDuurtHet { get; set; }

    public string? Aanvragen { get; set; }

    /// <summary>For WhatsApp and chat: at most 500 characters.</summary>
    public string? ShortAnswer { get; set; }

    public string? EmailText { get; set; }

    /// <summary>Werkinstructie for agents. Never shown outside the workbench.</summary>
    public string? InternalNote { get; set; }

    public List<ArticleLink> Links { get; set; } = [];

    /// <summary>The number of the current version; the optimistic concurrency token of a save.</summary>
    public int Version { get; set; }

    public int? CurrentVersionId { get; set; }

    /// <summary>The kennisbeheerder who looks after the article; agents' feedback lands in their list.</summary>
    public string? OwnerId { get; set; }

    public string? OwnerName { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public string? UpdatedByName { get; set; }

    public ArticleContent ToContent() => new()
    {
        Title = Title,
        TopicId = TopicId,
        TeamId = TeamId,
        Status = Status,
        ReviewBefore = ReviewBefore,
        QuestionVariants = QuestionVariants.ToList(),
        Keywords = Keywords.ToList(),
        WatIsHet = WatIsHet,
        Voorwaarden = Voorwaarden,
        WatNeemtUMee = WatNeemtUMee,
        Kosten = Kosten,
        HoeLangDuurtHet = HoeLangDuurtHet,
        Aanvragen = Aanvragen,
        ShortAnswer = ShortAnswer,
        EmailText = EmailText,
        InternalNote = InternalNote,
        Links = Links.ToList(),
    };

    public void Apply(ArticleContent content)
    {
        Title = content.Title;
        TopicId = content.TopicId;
        TeamId = content.TeamId;
        Status = content.Status;
        ReviewBefore = content.ReviewBefore;
        QuestionVariants = content.QuestionVariants.ToList();
        Keywords = content.Keywords.ToList();
        WatIsHet = content.WatIsHet;
        Voorwaarden = content.Voorwaarden;
        WatNeemtUMee = content.WatNeemtUMee;
        Kosten = content.Kosten;
        HoeLangDuurtHet = content.HoeLangDuurtHet;
        Aanvragen = content.Aanvragen;
        ShortAnswer = content.ShortAnswer;
        EmailText = content.EmailText;
        InternalNote = content.InternalNote;
        Links = content.Links.ToList();
    }
}

/// <summary>One saved state of an article: a full snapshot, who saved it, when, and what changed.</summary>
public class ArticleVersion
{
    public int Id { get; set; }

    public int ArticleId { get; set; }

    public Article? Article { get; set; }

    public int Number { get; set; }

    /// <summary>The ArticleContent as JSON.</summary>
    public required string Snapshot { get; set; }

    public DateTime CreatedAt { get; set; }

    public required string CreatedById { get; set; }

    public required string CreatedByName { get; set; }

    /// <summary>"Nieuw", "Gewijzigd: Kosten, Status", "Teruggezet naar versie 3".</summary>
    public required string Summary { get; set; }

    public ArticleContent Content() => JsonSerializer.Deserialize<ArticleContent>(Snapshot, ArticleJson.Options)!;
}

public enum FeedbackKind
{
    KloptNiet = 1,
    Verouderd = 2,
    Onduidelijk = 3,
    MistIets = 4,
}

/// <summary>An agent's remark on an article; the owning kennisbeheerder closes it with a reply.</summary>
public class ArticleFeedback
{
    public int Id { get; set; }

    public int ArticleId { get; set; }

    public Article? Article { get; set; }

    /// <summary>The version the agent was reading.</summary>
    public int? ArticleVersionId { get; set; }

    public FeedbackKind Kind { get; set; }

    public string? Comment { get; set; }

    public required string AgentId { get; set; }

    public required string AgentName { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? ClosedAt { get; set; }

    public string? ClosedByName { get; set; }

    public string? Reply { get; set; }
}

/// <summary>A search that found nothing the agent could use: what residents ask that the kennisbank does not answer yet.</summary>
public class KnowledgeGap
{
    public long Id { get; set; }

    public required string Query { get; set; }

    public required string AgentId { get; set; }

    public Channel? Channel { get; set; }

    public int? TopicId { get; set; }

    public DateTime CreatedAt { get; set; }
}

public static class FeedbackLabels
{
    public static readonly FeedbackKind[] Kinds = [FeedbackKind.KloptNiet, FeedbackKind.Verouderd, FeedbackKind.Onduidelijk, FeedbackKind.MistIets];

    public static string Label(this FeedbackKind kind) => kind switch
    {
        FeedbackKind.KloptNiet => "Klopt niet",
        FeedbackKind.Verouderd => "Verouderd",
        FeedbackKind.Onduidelijk => "Onduidelijk",
        FeedbackKind.MistIets => "Mist iets",
        _ => kind.ToString(),
    };

    public static string Label(this ArticleStatus status) => status switch
    {
        ArticleStatus.Concept => "Concept",
        ArticleStatus.Gepubliceerd => "Gepubliceerd",
        ArticleStatus.Gearchiveerd => "Gearchiveerd",
        _ => status.ToString(),
    };
}

public static class ArticleJson
{
    /// <summary>camelCase, like the import format; used for snapshots and list columns.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}

internal sealed class ArticleConfiguration :
    IEntityTypeConfiguration<Article>, IEntityTypeConfiguration<ArticleVersion>, IEntityTypeConfiguration<ArticleFeedback>, IEntityTypeConfiguration<KnowledgeGap>
{
    public void Configure(EntityTypeBuilder<Article> builder)
    {
        builder.Property(a => a.ExternalId).HasMaxLength(ArticleLimits.ExternalId);
        builder.HasIndex(a => a.ExternalId).IsUnique();
        builder.Property(a => a.Title).HasMaxLength(ArticleLimits.Title);
        builder.Property(a => a.ShortAnswer).HasMaxLength(ArticleLimits.ShortAnswer);
        builder.Property(a => a.EmailText).HasMaxLength(ArticleLimits.EmailText);
        builder.Property(a => a.InternalNote).HasMaxLength(ArticleLimits.InternalNote);
        builder.Property(a => a.OwnerId).HasMaxLength(450);
        builder.Property(a => a.OwnerName).HasMaxLength(200);
        builder.Property(a => a.UpdatedByName).HasMaxLength(200);
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.Property(a => a.QuestionVariants).HasConversion(JsonConversion<List<string>>(), ListComparer<string>());
        builder.Property(a => a.Keywords).HasConversion(JsonConversion<List<string>>(), ListComparer<string>());
        builder.Property(a => a.Links).HasConversion(JsonConversion<List<ArticleLink>>(), ListComparer<ArticleLink>());
        builder.HasOne(a => a.Topic).WithMany().HasForeignKey(a => a.TopicId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(a => a.Team).WithMany().HasForeignKey(a => a.TeamId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(a => new { a.Status, a.ReviewBefore });
        builder.HasIndex(a => a.TeamId);
        builder.HasIndex(a => a.TopicId);
    }

    public void Configure(EntityTypeBuilder<ArticleVersion> builder)
    {
        builder.Property(v => v.CreatedById).HasMaxLength(450);
        builder.Property(v => v.CreatedByName).HasMaxLength(200);
        builder.Property(v => v.Summary).HasMaxLength(500);
        builder.HasOne(v => v.Article).WithMany().HasForeignKey(v => v.ArticleId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(v => new { v.ArticleId, v.Number }).IsUnique();
    }

    public void Configure(EntityTypeBuilder<ArticleFeedback> builder)
    {
        builder.Property(f => f.Comment).HasMaxLength(1000);
        builder.Property(f => f.Reply).HasMaxLength(1000);
        builder.Property(f => f.AgentId).HasMaxLength(450);
        builder.Property(f => f.AgentName).HasMaxLength(200);
        builder.Property(f => f.ClosedByName).HasMaxLength(200);
        builder.HasOne(f => f.Article).WithMany().HasForeignKey(f => f.ArticleId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(f => new { f.ArticleId, f.ClosedAt });
    }

    public void Configure(EntityTypeBuilder<KnowledgeGap> builder)
    {
        builder.Property(g => g.Query).HasMaxLength(ContactLimits.QuestionText);
        builder.Property(g => g.AgentId).HasMaxLength(450);
        builder.HasIndex(g => g.CreatedAt);
    }

    private static Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<T, string> JsonConversion<T>() where T : new() =>
        new(v => JsonSerializer.Serialize(v, ArticleJson.Options), v => JsonSerializer.Deserialize<T>(v, ArticleJson.Options) ?? new T());

    private static ValueComparer<List<T>> ListComparer<T>() =>
        new((a, b) => (a == null && b == null) || (a != null && b != null && a.SequenceEqual(b)),
            v => v.Aggregate(0, (h, x) => HashCode.Combine(h, x == null ? 0 : x.GetHashCode())),
            v => v.ToList());
}
