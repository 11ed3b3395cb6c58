using FluentValidation;
using Kcc.Workbench.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.KnowledgeBase;

/// <summary>Who saves: an employee, or the demo seeder acting as kb.demo.</summary>
public sealed record Actor(string Id, string Name);

/// <summary>
/// The one way an article changes: the content is applied, a version with a full snapshot is added, and the search
/// index is updated and an audit entry is written, all on the caller's context inside the caller's transaction.
/// Save, restore, archive and import use it.
/// </summary>
internal sealed class ArticleStore(ISearchEngine searchEngine, TimeProvider clock, Audit.IAuditLog audit)
{
    public async Task<Article> CreateAsync(KccDbContext db, string externalId, ArticleContent content, Actor actor, string summary, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var article = new Article
        {
            ExternalId = externalId,
            Title = content.Title,
            OwnerId = actor.Id,
            OwnerName = actor.Name,
            CreatedAt = now,
        };
        article.Apply(content);
        db.Articles.Add(article);
        await db.SaveChangesAsync(cancellationToken);
        await AddVersionAsync(db, article, content, actor, summary, "artikel.aangemaakt", now, cancellationToken);
        return article;
    }

    /// <summary>Adds version n+1. A concurrent save of the same version makes SaveChanges throw DbUpdateConcurrencyException.</summary>
    /// <param name="restoredFrom">The old version number put back, for the audit log.</param>
    public async Task UpdateAsync(
        KccDbContext db, Article article, ArticleContent content, Actor actor, string? summary, CancellationToken cancellationToken, int? restoredFrom = null)
    {
        var before = article.ToContent();
        article.Apply(content);
        var action = restoredFrom is not null ? "artikel.teruggezet"
            : content.Status == ArticleStatus.Gearchiveerd && before.Status != ArticleStatus.Gearchiveerd ? "artikel.gearchiveerd"
            : "artikel.gewijzigd";
        await AddVersionAsync(db, article, content, actor, summary ?? ArticleDiff.Summary(before, content), action, clock.GetUtcNow().UtcDateTime, cancellationToken);
    }

    private async Task AddVersionAsync(
        KccDbContext db, Article article, ArticleContent content, Actor actor, string summary, string auditAction, DateTime now, CancellationToken cancellationToken)
    {
        article.Version++;
        article.UpdatedAt = now;
        article.UpdatedByName = actor.Name;
        var version = new ArticleVersion
        {
            ArticleId = article.Id,
            Number = article.Version,
            Snapshot = System.Text.Json.JsonSerializer.Serialize(content, ArticleJson.Options),
            CreatedAt = now,
            CreatedById = actor.Id,
            CreatedByName = actor.Name,
            Summary = summary.Length > 500 ? summary[..499] + "…" : summary,
        };
        db.ArticleVersions.Add(version);
        await db.SaveChangesAsync(cancellationToken);
        article.CurrentVersionId = version.Id;
        // The version's summary names the changed fields, not their text; the title is shown from the article itself.
        audit.Record(db, actor.Id, actor.Name, auditAction, "Article", article.Id.ToString(Infrastructure.DutchFormat.Culture),
            $"Versie {article.Version.ToString(Infrastructure.DutchFormat.Culture)}: {version.Summary}");
        await db.SaveChangesAsync(cancellationToken);

        var topicName = await db.Topics.Where(t => t.Id == content.TopicId).Select(t => t.Name).FirstOrDefaultAsync(cancellationToken);
        await searchEngine.IndexAsync(db, SearchDocument.From(article.Id, content, topicName), cancellationToken);
    }

    /// <summary>"Paspoort aanvragen" → "paspoort-aanvragen", with -2, -3… when taken.</summary>
    public static async Task<string> NewExternalIdAsync(KccDbContext db, string title, CancellationToken cancellationToken)
    {
        var slug = string.Join('-', DutchText.Words(title));
        if (slug.Length == 0)
        {
            slug = "artikel";
        }

        slug = slug.Length > 80 ? slug[..80].TrimEnd('-') : slug;
        var taken = (await db.Articles.Where(a => a.ExternalId == slug || a.ExternalId.StartsWith(slug + "-")).Select(a => a.ExternalId).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        var candidate = slug;
        for (var n = 2; taken.Contains(candidate); n++)
        {
            candidate = $"{slug}-{n}";
        }

        return candidate;
    }
}

/// <summary>The rules for article content, shared by the editor and the import (Dutch messages, per field).</summary>
public sealed class ArticleContentValidator : AbstractValidator<ArticleContent>
{
    public ArticleContentValidator()
    {
        RuleFor(c => c.Title).NotEmpty().WithMessage("Vul een titel in.")
            .MaximumLength(ArticleLimits.Title).WithMessage($"De titel is te lang: hoogstens {ArticleLimits.Title} tekens.");
        RuleFor(c => c.TopicId).GreaterThan(0).WithMessage("Kies het onderwerp (UPL-product) van het artikel.");
        RuleFor(c => c.Status).IsInEnum().WithMessage("Kies een status: concept, gepubliceerd of gearchiveerd.");
        RuleFor(c => c.QuestionVariants).Must(v => v.Count <= ArticleLimits.QuestionVariants)
            .WithMessage($"Hoogstens {ArticleLimits.QuestionVariants} vraagvarianten.");
        RuleForEach(c => c.QuestionVariants).MaximumLength(ArticleLimits.QuestionVariant)
            .WithMessage($"Een vraagvariant is te lang: hoogstens {ArticleLimits.QuestionVariant} tekens.");
        RuleFor(c => c.Keywords).Must(v => v.Count <= ArticleLimits.Keywords).WithMessage($"Hoogstens {ArticleLimits.Keywords} trefwoorden.");
        RuleForEach(c => c.Keywords).MaximumLength(ArticleLimits.Keyword).WithMessage($"Een trefwoord is te lang: hoogstens {ArticleLimits.Keyword} tekens.");
        foreach (var section in ArticleSections.All)
        {
            RuleFor(c => section.Get(c)).MaximumLength(ArticleLimits.Section).OverridePropertyName(Pascal(section.Key))
                .WithMessage($"{section.Heading} is te lang: hoogstens {ArticleLimits.Section} tekens.");
        }

        RuleFor(c => c.ShortAnswer).MaximumLength(ArticleLimits.ShortAnswer)
            .WithMessage(c => $"Het korte antwoord is te lang: {c.ShortAnswer!.Length} tekens, hoogstens {ArticleLimits.ShortAnswer}. WhatsApp en chat vragen om een kort bericht.");
        RuleFor(c => c.EmailText).MaximumLength(ArticleLimits.EmailText).WithMessage($"De e-mailtekst is te lang: hoogstens {ArticleLimits.EmailText} tekens.");
        RuleFor(c => c.InternalNote).MaximumLength(ArticleLimits.InternalNote).WithMessage($"De werkinstructie is te lang: hoogstens {ArticleLimits.InternalNote} tekens.");
        RuleFor(c => c.Links).Must(l => l.Count <= ArticleLimits.Links).WithMessage($"Hoogstens {ArticleLimits.Links} links.");
        RuleForEach(c => c.Links).ChildRules(link =>
        {
            link.RuleFor(l => l.Title).NotEmpty().WithMessage("Geef elke link een titel.")
                .MaximumLength(ArticleLimits.LinkTitle).WithMessage($"Een linktitel is te lang: hoogstens {ArticleLimits.LinkTitle} tekens.");
            link.RuleFor(l => l.Url).Must(IsSafeUrl).WithMessage("Een link moet beginnen met https://, http:// of mailto:.")
                .MaximumLength(ArticleLimits.LinkUrl).WithMessage($"Een linkadres is te lang: hoogstens {ArticleLimits.LinkUrl} tekens.");
        });
        RuleFor(c => c)
            .Must(c => c.Status != ArticleStatus.Gepubliceerd || ArticleSections.Filled(c).Any())
            .WithName(nameof(ArticleContent.WatIsHet)).OverridePropertyName(nameof(ArticleContent.WatIsHet))
            .WithMessage("Een gepubliceerd artikel heeft een antwoord voor de inwoner: vul minstens één onderdeel in, bijvoorbeeld Wat is het.");
    }

    public static bool IsSafeUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeMailto);

    private static string Pascal(string key) => char.ToUpperInvariant(key[0]) + key[1..];
}
