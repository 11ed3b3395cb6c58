namespace Kcc.Workbench.Web.Features.KnowledgeBase;

/// <summary>
/// What the editor binds to: ArticleContent with its lists as plain text, one item per line, so a kennisbeheerder
/// edits question variants, keywords and links as text.
/// </summary>
public sealed class ArticleEditModel
{
    public string Title { get; set; } = "";
    public Topics.TopicOption? Topic { get; set; }
    public int? TeamId { get; set; }
    public ArticleStatus Status { get; set; } = ArticleStatus.Concept;
    public DateTime? ReviewBefore { get; set; }
    public string? QuestionVariants { get; set; }
    public string? Keywords { get; set; }
    public string? WatIsHet { get; set; }
    public string? Voorwaarden { get; set; }
    public string? WatNeemtUMee { get; set; }
    public string? Kosten { get; set; }
    public string? HoeLangDuurtHet { get; set; }
    public string? Aanvragen { get; set; }
    public string? ShortAnswer { get; set; }
    public string? EmailText { get; set; }
    public string? InternalNote { get; set; }

    /// <summary>One link per line: "Afspraak maken | https://www.demodorp.nl/afspraak".</summary>
    public string? Links { get; set; }

    public static ArticleEditModel From(ArticleContent c, Topics.TopicOption? topic) => new()
    {
        Title = c.Title,
        Topic = topic,
        TeamId = c.TeamId,
        Status = c.Status,
        ReviewBefore = c.ReviewBefore?.ToDateTime(TimeOnly.MinValue),
        QuestionVariants = string.Join("\n", c.QuestionVariants),
        Keywords = string.Join("\n", c.Keywords),
        WatIsHet = c.WatIsHet,
        Voorwaarden = c.Voorwaarden,
        WatNeemtUMee = c.WatNeemtUMee,
        Kosten = c.Kosten,
        HoeLangDuurtHet = c.HoeLangDuurtHet,
        Aanvragen = c.Aanvragen,
        ShortAnswer = c.ShortAnswer,
        EmailText = c.EmailText,
        InternalNote = c.InternalNote,
        Links = string.Join("\n", c.Links.Select(l => $"{l.Title} | {l.Url}")),
    };

    public ArticleContent ToContent() => new()
    {
        Title = Title,
        TopicId = Topic?.Id ?? 0,
        TeamId = TeamId,
        Status = Status,
        ReviewBefore = ReviewBefore is { } date ? DateOnly.FromDateTime(date) : null,
        QuestionVariants = Lines(QuestionVariants),
        Keywords = Lines(Keywords).SelectMany(l => l.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList(),
        WatIsHet = WatIsHet,
        Voorwaarden = Voorwaarden,
        WatNeemtUMee = WatNeemtUMee,
        Kosten = Kosten,
        HoeLangDuurtHet = HoeLangDuurtHet,
        Aanvragen = Aanvragen,
        ShortAnswer = ShortAnswer,
        EmailText = EmailText,
        InternalNote = InternalNote,
        Links = Lines(Links).Select(ParseLink).ToList(),
    };

    /// <summary>The resident answer as it would be saved, for the preview and the readability estimate.</summary>
    public string ResidentAnswerPlain() =>
        string.Join("\n", new[] { WatIsHet, Voorwaarden, WatNeemtUMee, Kosten, HoeLangDuurtHet, Aanvragen }.Select(ArticleText.ToPlainText).Where(t => t.Length > 0));

    private static List<string> Lines(string? text) =>
        (text ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();

    private static ArticleLink ParseLink(string line)
    {
        var bar = line.LastIndexOf('|');
        return bar < 0 ? new ArticleLink(line, line) : new ArticleLink(line[..bar].Trim(), line[(bar + 1)..].Trim());
    }
}
