using System.Globalization;

namespace Kcc.Workbench.Web.Features.KnowledgeBase;

/// <summary>The difference between two versions of an article, per field, with a line diff for the texts.</summary>
public static class ArticleDiff
{
    public enum LineKind
    {
        Same,
        Removed,
        Added,
    }

    public sealed record Line(LineKind Kind, string Text);

    public sealed record FieldChange(string Field, string Old, string New, IReadOnlyList<Line> Lines);

    /// <summary>Every field as text, in the editor's order. Topic and team are shown by name when the caller knows them.</summary>
    public static IReadOnlyList<(string Field, string Text)> Fields(ArticleContent c, Func<int, string>? topicName = null, Func<int?, string>? teamName = null) =>
    [
        ("Titel", c.Title),
        ("Onderwerp", topicName?.Invoke(c.TopicId) ?? c.TopicId.ToString(CultureInfo.InvariantCulture)),
        ("Team", teamName?.Invoke(c.TeamId) ?? c.TeamId?.ToString(CultureInfo.InvariantCulture) ?? ""),
        ("Status", c.Status.Label()),
        ("Herzien vóór", c.ReviewBefore?.ToString("d MMM yyyy", Infrastructure.DutchFormat.Culture).Replace(".", "", StringComparison.Ordinal) ?? ""),
        ("Vraagvarianten", string.Join("\n", c.QuestionVariants)),
        ("Trefwoorden", string.Join("\n", c.Keywords)),
        .. ArticleSections.All.Select(s => (s.Heading, s.Get(c) ?? "")),
        ("Kort antwoord", c.ShortAnswer ?? ""),
        ("E-mailtekst", c.EmailText ?? ""),
        ("Werkinstructie", c.InternalNote ?? ""),
        ("Links", string.Join("\n", c.Links.Select(l => $"{l.Title} ({l.Url})"))),
    ];

    public static IReadOnlyList<FieldChange> Compare(ArticleContent older, ArticleContent newer, Func<int, string>? topicName = null, Func<int?, string>? teamName = null)
    {
        var before = Fields(older, topicName, teamName);
        var after = Fields(newer, topicName, teamName);
        var changes = new List<FieldChange>();
        for (var i = 0; i < before.Count; i++)
        {
            var (field, old) = before[i];
            var now = after[i].Text;
            if (!string.Equals(Normalize(old), Normalize(now), StringComparison.Ordinal))
            {
                changes.Add(new FieldChange(field, old, now, LineDiff(old, now)));
            }
        }

        return changes;
    }

    /// <summary>"Gewijzigd: Kosten, Status (gepubliceerd)": what a version's history line says.</summary>
    public static string Summary(ArticleContent older, ArticleContent newer)
    {
        var fields = Compare(older, newer).Select(c => c.Field == "Status" ? $"Status ({newer.Status.Label().ToLowerInvariant()})" : c.Field).ToList();
        return fields.Count == 0 ? "Opgeslagen zonder wijzigingen" : "Gewijzigd: " + string.Join(", ", fields);
    }

    /// <summary>A longest-common-subsequence line diff; articles are short, so the quadratic table is small.</summary>
    public static IReadOnlyList<Line> LineDiff(string? older, string? newer)
    {
        var a = Split(older);
        var b = Split(newer);
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var lines = new List<Line>();
        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] == b[y])
            {
                lines.Add(new Line(LineKind.Same, a[x++]));
                y++;
            }
            else if (lcs[x + 1, y] >= lcs[x, y + 1])
            {
                lines.Add(new Line(LineKind.Removed, a[x++]));
            }
            else
            {
                lines.Add(new Line(LineKind.Added, b[y++]));
            }
        }

        lines.AddRange(a[x..].Select(l => new Line(LineKind.Removed, l)));
        lines.AddRange(b[y..].Select(l => new Line(LineKind.Added, l)));
        return lines;
    }

    private static string[] Split(string? text) =>
        string.IsNullOrEmpty(text) ? [] : text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
}
