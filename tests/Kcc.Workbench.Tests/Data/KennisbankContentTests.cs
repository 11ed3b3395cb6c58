using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Data.DemoData;

namespace Kcc.Workbench.Tests.Data;

/// <summary>
/// Checks the demo kennisbank (Data/DemoData/kennisbank-demo.json, format kcc-kennisbank/1) as content: every topic of the
/// shared list is covered, each article is complete enough for an agent and a resident, and nothing unsafe or sloppy slips in.
/// Reads the file as plain JSON so it does not depend on the kennisbank feature's own types.
/// </summary>
public partial class KennisbankContentTests
{
    private const string EmbeddedName = "Kcc.Workbench.Web.Data.DemoData.kennisbank-demo.json";

    // The "review overdue" overview is demonstrated against this date.
    private static readonly DateOnly DemoToday = new(2026, 11, 25);

    private static readonly string[] AllowedHosts =
    [
        "www.demodorp.nl", "demodorp.nl",
        "www.rijksoverheid.nl", "rijksoverheid.nl",
        "www.belastingdienst.nl", "belastingdienst.nl",
        "www.rdw.nl", "rdw.nl",
        "www.mijnoverheid.nl", "mijnoverheid.nl",
        "www.digid.nl", "digid.nl",
        "www.kvk.nl", "kvk.nl",
        "www.juridischloket.nl", "juridischloket.nl",
        "wetten.overheid.nl",
    ];

    private static readonly string[] Statuses = ["gepubliceerd", "concept"];

    private static readonly string[] SectionKeys = ["watIsHet", "voorwaarden", "watNeemtUMee", "kosten", "hoeLangDuurtHet", "aanvragen"];

    private static readonly Lazy<JsonDocument> Document = new(() => JsonDocument.Parse(File.ReadAllBytes(KennisbankFile())));

    private static JsonElement Root => Document.Value.RootElement;

    private static IEnumerable<JsonElement> Articles => Root.GetProperty("articles").EnumerateArray();

    [Fact]
    public void The_file_is_utf8_without_a_byte_order_mark_and_carries_the_format_marker()
    {
        var bytes = File.ReadAllBytes(KennisbankFile());
        Assert.False(bytes is [0xEF, 0xBB, 0xBF, ..], "The file starts with a UTF-8 BOM.");
        Assert.Equal("kcc-kennisbank/1", Root.GetProperty("format").GetString());
        Assert.InRange(Articles.Count(), 54, 65);
    }

    [Fact]
    public void The_web_project_embeds_the_file_as_a_resource()
    {
        var assembly = typeof(DemoTopics).Assembly;
        Assert.Contains(EmbeddedName, assembly.GetManifestResourceNames());

        using var stream = assembly.GetManifestResourceStream(EmbeddedName)!;
        using var embedded = JsonDocument.Parse(stream);
        Assert.Equal(Articles.Count(), embedded.RootElement.GetProperty("articles").GetArrayLength());
    }

    [Fact]
    public void Every_demo_topic_has_a_published_article_with_its_uri_and_team()
    {
        var topics = File.ReadAllLines(SharedData.Path("kennisbank-onderwerpen.csv")).Skip(1)
            .Where(line => line.Length > 0)
            .Select(line => line.Split(','))
            .Select(cells => (Name: cells[0], Uri: cells[1], Team: cells[2]))
            .ToList();
        Assert.Equal(54, topics.Count);

        var published = Articles
            .Where(a => Text(a, "status") == "gepubliceerd")
            .Select(a => (Uri: Text(a, "uplUri"), Team: Text(a, "team")))
            .ToHashSet();
        var withoutPublishedArticle = topics.Where(t => !published.Contains((t.Uri, t.Team))).Select(t => t.Name);
        Assert.Empty(withoutPublishedArticle);

        // And no article points at a product or team outside the list.
        var known = topics.Select(t => (t.Uri, t.Team)).ToHashSet();
        Assert.All(Articles, a => Assert.Contains((Text(a, "uplUri"), Text(a, "team")), known));
    }

    [Fact]
    public void External_ids_are_unique_kebab_case()
    {
        var ids = Articles.Select(a => Text(a, "externalId")).ToList();
        Assert.All(ids, id => Assert.Matches(KebabCase(), id));
        var duplicates = ids.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.Empty(duplicates);
    }

    [Fact]
    public void Articles_are_published_except_a_few_concepts_that_show_the_workflow()
    {
        var statuses = Articles.Select(a => Text(a, "status")).ToList();
        Assert.All(statuses, s => Assert.Contains(s, Statuses));
        Assert.InRange(statuses.Count(s => s == "concept"), 2, 3);
    }

    [Fact]
    public void Every_article_has_a_title_and_at_least_three_question_variants_and_three_keywords()
    {
        Assert.All(Articles, a =>
        {
            var id = Text(a, "externalId");
            Assert.False(string.IsNullOrWhiteSpace(Text(a, "title")), id);
            var variants = Strings(a.GetProperty("questionVariants"));
            var keywords = Strings(a.GetProperty("keywords"));
            Assert.True(variants.Count >= 3, $"{id}: {variants.Count} question variants");
            Assert.True(keywords.Count >= 3, $"{id}: {keywords.Count} keywords");
            Assert.All(variants.Concat(keywords), s => Assert.False(string.IsNullOrWhiteSpace(s), id));
            Assert.Equal(variants.Count, variants.Distinct(StringComparer.OrdinalIgnoreCase).Count());
            Assert.Equal(keywords.Count, keywords.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        });
    }

    [Fact]
    public void Every_short_answer_fits_a_chat_message()
    {
        Assert.All(Articles, a =>
        {
            var shortAnswer = Text(a, "shortAnswer");
            Assert.False(string.IsNullOrWhiteSpace(shortAnswer), Text(a, "externalId"));
            Assert.True(shortAnswer.Length <= 500, $"{Text(a, "externalId")}: shortAnswer has {shortAnswer.Length} characters");
        });
    }

    [Fact]
    public void Every_article_says_what_it_is_and_what_to_do()
    {
        Assert.All(Articles, a =>
        {
            var id = Text(a, "externalId");
            var sections = a.GetProperty("sections");
            var keys = sections.EnumerateObject().Select(p => p.Name).ToList();
            Assert.All(keys, key => Assert.Contains(key, SectionKeys));
            Assert.All(sections.EnumerateObject(), p => Assert.False(string.IsNullOrWhiteSpace(p.Value.GetString()), $"{id}: empty section {p.Name}"));
            Assert.Contains("watIsHet", keys);
            Assert.True(keys.Contains("aanvragen") || keys.Count >= 2, $"{id}: says what it is but not what to do");
        });
    }

    [Fact]
    public void Every_article_has_an_email_text_and_an_internal_note_for_agents()
    {
        Assert.All(Articles, a =>
        {
            var id = Text(a, "externalId");
            Assert.False(string.IsNullOrWhiteSpace(Text(a, "internalNote")), $"{id}: no internal note");
            var email = Text(a, "emailText");
            Assert.StartsWith("Beste ", email);
            Assert.Contains("Met vriendelijke groet", email);
        });
    }

    [Fact]
    public void Links_are_https_and_point_to_the_demo_municipality_or_national_sites()
    {
        Assert.All(Articles, a =>
        {
            var id = Text(a, "externalId");
            foreach (var link in a.GetProperty("links").EnumerateArray())
            {
                Assert.False(string.IsNullOrWhiteSpace(Text(link, "title")), id);
                var url = Text(link, "url");
                Assert.True(Uri.TryCreate(url, UriKind.Absolute, out var uri), $"{id}: {url} is not a URL");
                Assert.Equal(Uri.UriSchemeHttps, uri.Scheme);
                Assert.Contains(uri.Host, AllowedHosts);
                if (!uri.Host.EndsWith("demodorp.nl", StringComparison.Ordinal))
                {
                    // National sites: top-level addresses only, never invented deep links.
                    Assert.Equal("/", uri.AbsolutePath);
                }
            }
        });
    }

    [Fact]
    public void No_text_field_contains_html()
    {
        Assert.All(Articles, a =>
        {
            var id = Text(a, "externalId");
            foreach (var text in AllStrings(a))
            {
                Assert.DoesNotContain("<script", text, StringComparison.OrdinalIgnoreCase);
                Assert.False(HtmlTag().IsMatch(text), $"{id}: HTML in \"{text[..Math.Min(60, text.Length)]}\"");
            }
        });
    }

    [Fact]
    public void Review_dates_are_valid_and_some_are_overdue_so_the_overview_has_content()
    {
        var dates = Articles.Select(a => (Id: Text(a, "externalId"), Date: DateOnly.ParseExact(Text(a, "reviewBefore"), "yyyy-MM-dd", CultureInfo.InvariantCulture))).ToList();
        Assert.All(dates, d => Assert.InRange(d.Date, new DateOnly(2026, 10, 1), new DateOnly(2027, 12, 31)));
        Assert.InRange(dates.Count(d => d.Date < DemoToday), 3, 5);
    }

    [Fact]
    public void Amounts_are_written_dutch_style()
    {
        Assert.All(Articles, a =>
        {
            var id = Text(a, "externalId");
            var texts = a.GetProperty("sections").EnumerateObject().Select(p => p.Value.GetString()!)
                .Append(Text(a, "shortAnswer")).Append(Text(a, "emailText"));
            foreach (var text in texts)
            {
                for (var i = text.IndexOf('€', StringComparison.Ordinal); i >= 0; i = text.IndexOf('€', i + 1))
                {
                    Assert.True(DutchAmount().Match(text, i) is { Success: true } m && m.Index == i,
                        $"{id}: amount not written Dutch-style at \"{text.Substring(i, Math.Min(16, text.Length - i))}\"");
                }
            }
        });
    }

    private static string Text(JsonElement element, string property) => element.GetProperty(property).GetString() ?? "";

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString() ?? "").ToList();

    private static IEnumerable<string> AllStrings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Array => element.EnumerateArray().SelectMany(AllStrings),
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => AllStrings(p.Value)),
        _ => [],
    };

    private static string KennisbankFile()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Kcc.Workbench.sln")))
            {
                return Path.Combine(folder.FullName, "src", "Kcc.Workbench.Web", "Data", "DemoData", "kennisbank-demo.json");
            }
        }

        throw new DirectoryNotFoundException($"No folder above {AppContext.BaseDirectory} contains Kcc.Workbench.sln.");
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex KebabCase();

    [GeneratedRegex(@"<\s*/?\s*[a-zA-Z!][^>]*>")]
    private static partial Regex HtmlTag();

    // "€ 84,05", "€ 1.075,00", "€ 350.000": a space, groups of three with dots, optionally two decimals after a comma.
    [GeneratedRegex(@"€ \d{1,3}(\.\d{3})*(,\d{2})?(?![\d.,]\d)")]
    private static partial Regex DutchAmount();
}
