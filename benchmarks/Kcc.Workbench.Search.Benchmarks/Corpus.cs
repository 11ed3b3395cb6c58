using System.Text.Json;
using Kcc.Workbench.Web.Data.DemoData;
using Kcc.Workbench.Web.Features.KnowledgeBase;

namespace Kcc.Workbench.Search.Benchmarks;

/// <summary>A generated article: what both engines index.</summary>
internal sealed record GeneratedArticle(int Id, string Title, string Variants, string Body);

/// <summary>
/// 10,000 Dutch-like kennisbank articles from a fixed seed: the demo articles are the templates (their words, sentence
/// lengths and section structure), mixed with a municipal word list and Dutch compounds, drawn with a Zipf
/// distribution so that common words are common and posting lists have realistic lengths.
/// </summary>
internal static class Corpus
{
    private static readonly string[] MunicipalWords =
    [
        "aanvraag", "afspraak", "gemeente", "gemeentehuis", "inwoner", "paspoort", "identiteitskaart", "rijbewijs", "verhuizing", "adres",
        "uittreksel", "geboorte", "huwelijk", "partnerschap", "overlijden", "vergunning", "parkeren", "parkeervergunning", "afval", "container",
        "grofvuil", "belasting", "aanslag", "kwijtschelding", "bezwaar", "klacht", "melding", "straat", "lantaarnpaal", "boom", "bomen", "groen",
        "uitkering", "bijstand", "schulden", "hulp", "zorg", "jeugd", "wonen", "woning", "huur", "koop", "bouwen", "verbouwen", "tuin", "schutting",
        "evenement", "feest", "markt", "standplaats", "horeca", "terras", "alcohol", "hond", "kat", "dieren", "ongedierte", "ratten", "muizen",
        "school", "leerlingenvervoer", "vervoer", "scootmobiel", "rolstoel", "taxi", "kosten", "tarief", "betalen", "termijn", "werkdagen", "weken",
        "formulier", "digid", "website", "telefoon", "balie", "brief", "mail", "pasfoto", "handtekening", "vingerafdruk", "kind", "ouders",
        "ophalen", "brengen", "aanvragen", "verlengen", "wijzigen", "opzeggen", "melden", "doorgeven", "inschrijven", "uitschrijven", "stemmen",
        "verkiezingen", "stempas", "volmacht", "nationaliteit", "naturalisatie", "verklaring", "gedrag", "ondernemer", "bedrijf", "kvk", "subsidie",
        "regeling", "voorwaarden", "inkomen", "vermogen", "spoed", "gratis", "korting", "minima", "pas", "zwembad", "sport", "bibliotheek", "cultuur",
    ];

    private static readonly string[] Compounds = ["vergunning", "aanvraag", "belasting", "regeling", "kaart", "pas", "loket", "formulier", "melding", "kosten", "termijn", "bewijs"];

    private static readonly string[] FunctionWords =
        ["de", "het", "een", "u", "uw", "en", "of", "met", "voor", "bij", "van", "op", "in", "te", "is", "kunt", "moet", "wilt", "dan", "als", "niet", "geen", "ook", "dat", "die"];

    public static List<GeneratedArticle> Generate(int count, int seed)
    {
        var random = new Random(seed);
        var templates = DemoTemplates();
        var words = MunicipalWords
            .Concat(templates.SelectMany(t => DutchText.Words(t.Title + " " + t.Body + " " + t.Variants)).Where(w => w.Length > 3 && !DutchText.IsStopWord(w)))
            .Concat(MunicipalWords.SelectMany(w => Compounds.Select(c => w + c)).Where((_, i) => i % 3 == 0))
            .Distinct(StringComparer.Ordinal)
            .OrderBy(_ => random.Next())
            .ToArray();
        // Zipf: the word at rank r is drawn with weight 1/r.
        var cumulative = new double[words.Length];
        var total = 0.0;
        for (var r = 0; r < words.Length; r++)
        {
            total += 1.0 / (r + 1);
            cumulative[r] = total;
        }

        string Word()
        {
            var x = random.NextDouble() * total;
            var index = Array.BinarySearch(cumulative, x);
            return words[index < 0 ? ~index : index];
        }

        string Sentence(int min, int max)
        {
            var n = random.Next(min, max + 1);
            var parts = new List<string>(n);
            for (var i = 0; i < n; i++)
            {
                parts.Add(random.NextDouble() < 0.35 ? FunctionWords[random.Next(FunctionWords.Length)] : Word());
            }

            var s = string.Join(' ', parts);
            return char.ToUpperInvariant(s[0]) + s[1..] + ".";
        }

        var articles = new List<GeneratedArticle>(count);
        for (var id = 1; id <= count; id++)
        {
            var template = templates[random.Next(templates.Count)];
            var title = random.NextDouble() < 0.3 ? template.Title + " " + Word() : Sentence(2, 4).TrimEnd('.');
            var variants = string.Join(" \n ", Enumerable.Range(0, random.Next(2, 5)).Select(_ => Sentence(5, 10)).Concat(Enumerable.Range(0, random.Next(3, 7)).Select(_ => Word())));
            var body = string.Join("\n", Enumerable.Range(0, random.Next(4, 7)).Select(_ => string.Join(' ', Enumerable.Range(0, random.Next(2, 5)).Select(_ => Sentence(6, 14)))));
            articles.Add(new GeneratedArticle(id, title, variants, body));
        }

        return articles;
    }

    /// <summary>The embedded demo kennisbank (whatever it holds) as templates.</summary>
    private static List<GeneratedArticle> DemoTemplates()
    {
        using var stream = typeof(DemoKennisbank).Assembly.GetManifestResourceStream(DemoKennisbank.ResourceName)!;
        using var json = JsonDocument.Parse(stream);
        return json.RootElement.GetProperty("articles").EnumerateArray().Select((a, i) => new GeneratedArticle(
            i,
            a.GetProperty("title").GetString() ?? "",
            string.Join(" \n ", a.TryGetProperty("questionVariants", out var v) ? v.EnumerateArray().Select(x => x.GetString()) : []),
            a.TryGetProperty("sections", out var s) ? string.Join("\n", s.EnumerateObject().Select(p => p.Value.GetString())) : "")).ToList();
    }
}
