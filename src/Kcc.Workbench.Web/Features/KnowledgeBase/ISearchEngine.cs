using Kcc.Workbench.Web.Data;

namespace Kcc.Workbench.Web.Features.KnowledgeBase;

/// <summary>
/// The full-text engine behind the kennisbank, kept small so a PostgreSQL implementation (tsvector with the 'dutch'
/// configuration) can take its place. Indexing runs on the caller's context and transaction: an article and its index
/// entry are saved together or not at all.
/// </summary>
public interface ISearchEngine
{
    /// <summary>Adds or replaces the article's entry.</summary>
    Task IndexAsync(KccDbContext db, SearchDocument document, CancellationToken cancellationToken);

    /// <summary>Best matches first; only articles whose status is in <see cref="SearchQuery.Statuses"/>.</summary>
    Task<IReadOnlyList<SearchHit>> SearchAsync(KccDbContext db, SearchQuery query, CancellationToken cancellationToken);
}

/// <summary>What an article contributes to the index, as typed: the engine does its own folding and stemming.</summary>
public sealed record SearchDocument(int ArticleId, ArticleStatus Status, string Title, IReadOnlyList<string> VariantsAndKeywords, string Body)
{
    public static SearchDocument From(int articleId, ArticleContent content, string? topicName) => new(
        articleId,
        content.Status,
        content.Title,
        [.. content.QuestionVariants, .. content.Keywords, .. topicName is null ? Array.Empty<string>() : [topicName]],
        string.Join("\n", ArticleSections.Filled(content).Select(s => s.Markdown).Append(content.ShortAnswer ?? "")));
}

/// <param name="Text">As typed; the last word counts as a prefix unless the text ends with a space or punctuation.</param>
/// <param name="TopicArticles">The articles of the question's topic: they come first, unless the text plainly names
/// another product (a specific word in another article's title that none of these articles has in its title,
/// variants or keywords). With no searchable word in the text they are the result; when the text has words but none
/// occurs in any article, nothing is found (a knowledge gap), topic or not. Null or empty: no topic.</param>
public sealed record SearchQuery(string Text, IReadOnlyCollection<ArticleStatus> Statuses, int Top = 10, IReadOnlyCollection<int>? TopicArticles = null);

/// <summary>Higher score is better.</summary>
public sealed record SearchHit(int ArticleId, double Score);
