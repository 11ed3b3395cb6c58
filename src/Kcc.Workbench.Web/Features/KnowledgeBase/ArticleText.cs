using Ganss.Xss;
using Kcc.Workbench.Web.Features.Contacts;
using Markdig;
using Microsoft.Extensions.Caching.Memory;

namespace Kcc.Workbench.Web.Features.KnowledgeBase;

/// <summary>
/// Turns what a kennisbeheerder typed into what others see. Markdown becomes HTML with raw HTML switched off in Markdig
/// and the result passed through an allow-list sanitizer, so nothing typed can run script in an agent's browser or on
/// the website. Plain text versions feed the answer field, snippets and the API's short fields.
/// </summary>
public static class ArticleText
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseAutoLinks()
        .UseSoftlineBreakAsHardlineBreak()
        .Build();

    private static readonly MarkdownPipeline PlainPipeline = new MarkdownPipelineBuilder().DisableHtml().Build();

    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    /// <summary>Safe HTML for Markdown text: only basic tags, links only to http, https and mailto.</summary>
    public static string ToHtml(string? markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown))
        {
            return "";
        }

        return Sanitizer.Sanitize(Markdown.ToHtml(markdown, Pipeline));
    }

    /// <summary>Markdown without its markup, line breaks kept; what goes into an answer field or an e-mail.</summary>
    public static string ToPlainText(string? markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown))
        {
            return "";
        }

        var text = Markdown.ToPlainText(markdown, PlainPipeline);
        return string.Join('\n', text.Split('\n').Select(l => l.TrimEnd())).Trim();
    }

    /// <summary>The resident answer (all sections) as safe HTML with a heading per section.</summary>
    public static string ResidentAnswerHtml(ArticleContent content) => ToHtml(ArticleSections.ResidentAnswer(content));

    /// <summary>
    /// The text that suits the channel: the short variant for WhatsApp and chat, the e-mail text for written channels,
    /// the sections for the desk and the phone. Falls back to what the article has.
    /// </summary>
    public static ChannelText ForChannel(ArticleContent content, Channel? channel) => ForChannel(PreparedArticleText.From(content), channel);

    public static ChannelText ForChannel(PreparedArticleText prepared, Channel? channel)
    {
        var (label, text) = channel switch
        {
            Channel.WhatsApp or Channel.Chat => ("Kort antwoord (WhatsApp/chat)", First(prepared.ShortAnswer, prepared.Sections, prepared.EmailText)),
            Channel.Email or Channel.Post or Channel.Website => ("E-mailtekst", First(prepared.EmailText, prepared.Sections, prepared.ShortAnswer)),
            _ => ("Antwoord voor de inwoner", First(prepared.Sections, prepared.ShortAnswer, prepared.EmailText)),
        };
        return new ChannelText(label, text.Length > ContactLimits.Answer ? text[..(ContactLimits.Answer - 1)] + "…" : text);
    }

    /// <summary>The sentence of the answer that best matches the query's stems, cut to about <paramref name="length"/> characters.</summary>
    public static string Snippet(PreparedArticleText prepared, string? query, int length = 180)
    {
        var stems = DutchText.Terms(query).ToHashSet(StringComparer.Ordinal);
        var best = prepared.Sentences
            .Select((s, i) => (s.Text, Index: i, Hits: s.Terms.Count(stems.Contains)))
            .OrderByDescending(s => s.Hits).ThenBy(s => s.Index)
            .FirstOrDefault();
        var snippet = best.Text ?? prepared.Plain;
        if (snippet.Length <= length)
        {
            return snippet;
        }

        var cut = snippet.LastIndexOf(' ', length - 1);
        return snippet[..(cut > 40 ? cut : length)].TrimEnd(',', ';', ' ') + " …";
    }

    public static IReadOnlyList<string> SplitSentences(string text)
    {
        var result = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is '.' or '!' or '?' && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])))
            {
                Add(text[start..(i + 1)]);
                start = i + 1;
            }
        }

        Add(text[start..]);
        return result;

        void Add(string sentence)
        {
            sentence = sentence.Trim();
            if (sentence.Length > 0)
            {
                result.Add(sentence);
            }
        }
    }

    private static string First(params string?[] candidates) => candidates.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c)) ?? "";

    private static HtmlSanitizer CreateSanitizer()
    {
        var options = new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
                { "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h3", "h4", "blockquote", "code", "pre" },
            AllowedAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href" },
            AllowedSchemes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "http", "https", "mailto" },
            UriAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href" },
            AllowedCssProperties = new HashSet<string>(),
            AllowedAtRules = new HashSet<AngleSharp.Css.Dom.CssRuleType>(),
        };
        var sanitizer = new HtmlSanitizer(options);
        // A link in an answer opens outside the workbench and gets no access to it.
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement { TagName: "A" } link)
            {
                link.SetAttribute("rel", "noopener noreferrer");
                link.SetAttribute("target", "_blank");
            }
        };
        return sanitizer;
    }
}

public sealed record ChannelText(string Label, string Text);

/// <summary>
/// What a search result needs of an article's text: the sections as plain text and every sentence with its stems.
/// Turning Markdown into plain text and stemming each sentence is most of a search's cost, and a search while the agent
/// types runs on every pause; an article version's text never changes, so it is computed once per text and kept
/// (at most <see cref="CachedTexts"/> texts; unused for 12 hours, or the oldest when full, they go).
/// </summary>
public sealed class PreparedArticleText
{
    public const int CachedTexts = 4000;

    private static readonly MemoryCache Cache = new(new MemoryCacheOptions { SizeLimit = CachedTexts });

    private PreparedArticleText(ArticleContent content)
    {
        var filled = ArticleSections.Filled(content).Select(s => (s.Heading, Plain: ArticleText.ToPlainText(s.Markdown))).ToList();
        Sections = string.Join("\n\n", filled.Select(s => $"{s.Heading}:\n{s.Plain}"));
        var plain = string.Join(" ", filled.Select(s => s.Plain));
        Plain = (plain.Length == 0 ? content.ShortAnswer ?? "" : plain).Replace('\n', ' ');
        Sentences = [.. ArticleText.SplitSentences(Plain).Select(s => (s, DutchText.Terms(s).ToArray()))];
        ShortAnswer = content.ShortAnswer?.Trim();
        EmailText = content.EmailText?.Trim();
    }

    /// <summary>The resident answer as plain text with a heading per section.</summary>
    public string Sections { get; }

    /// <summary>The sections' text on one line (the short answer when there are none): what a snippet is cut from.</summary>
    public string Plain { get; }

    public IReadOnlyList<(string Text, string[] Terms)> Sentences { get; }

    public string? ShortAnswer { get; }

    public string? EmailText { get; }

    public static PreparedArticleText From(ArticleContent content) => new(content);

    /// <summary>
    /// The prepared text of this content, from the cache when the same text was prepared before. The key is the text
    /// itself (every field the result is made of), so a new version, or another database in the same process, can never
    /// be served an old text.
    /// </summary>
    public static PreparedArticleText For(ArticleContent content) =>
        Cache.GetOrCreate(
            (content.WatIsHet, content.Voorwaarden, content.WatNeemtUMee, content.Kosten, content.HoeLangDuurtHet, content.Aanvragen, content.ShortAnswer, content.EmailText),
            entry =>
            {
                entry.Size = 1;
                entry.SlidingExpiration = TimeSpan.FromHours(12);
                return new PreparedArticleText(content);
            })!;
}
