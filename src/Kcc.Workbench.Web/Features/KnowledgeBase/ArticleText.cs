using Ganss.Xss;
using Kcc.Workbench.Web.Features.Contacts;
using Markdig;

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

    /// <summary>The resident answer as plain text with the section headings, for reading aloud at the desk or on the phone.</summary>
    public static string ResidentAnswerPlain(ArticleContent content) =>
        string.Join("\n\n", ArticleSections.Filled(content).Select(s => $"{s.Heading}:\n{ToPlainText(s.Markdown)}"));

    /// <summary>
    /// The text that suits the channel: the short variant for WhatsApp and chat, the e-mail text for written channels,
    /// the sections for the desk and the phone. Falls back to what the article has.
    /// </summary>
    public static ChannelText ForChannel(ArticleContent content, Channel? channel)
    {
        var sections = ResidentAnswerPlain(content);
        var shortAnswer = content.ShortAnswer?.Trim();
        var email = content.EmailText?.Trim();
        var (label, text) = channel switch
        {
            Channel.WhatsApp or Channel.Chat => ("Kort antwoord (WhatsApp/chat)", First(shortAnswer, sections, email)),
            Channel.Email or Channel.Post or Channel.Website => ("E-mailtekst", First(email, sections, shortAnswer)),
            _ => ("Antwoord voor de inwoner", First(sections, shortAnswer, email)),
        };
        return new ChannelText(label, text.Length > ContactLimits.Answer ? text[..(ContactLimits.Answer - 1)] + "…" : text);
    }

    /// <summary>The sentence of the answer that best matches the query's stems, cut to about <paramref name="length"/> characters.</summary>
    public static string Snippet(ArticleContent content, string? query, int length = 180)
    {
        var plain = string.Join(" ", ArticleSections.Filled(content).Select(s => ToPlainText(s.Markdown)));
        if (plain.Length == 0)
        {
            plain = content.ShortAnswer ?? "";
        }

        plain = plain.Replace('\n', ' ');
        var stems = DutchText.Terms(query).ToHashSet(StringComparer.Ordinal);
        var sentences = SplitSentences(plain);
        var best = sentences
            .Select((s, i) => (Text: s, Index: i, Hits: DutchText.Terms(s).Count(stems.Contains)))
            .OrderByDescending(s => s.Hits).ThenBy(s => s.Index)
            .FirstOrDefault();
        var snippet = best.Text ?? plain;
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
