using System.Text.Json;
using Kcc.Workbench.Web.Data.DemoData;
using Kcc.Workbench.Web.Features.KnowledgeBase;

namespace Kcc.Workbench.Search.Benchmarks;

/// <summary>The demo kennisbank and the test suite's evaluation set (linked into the output as zoekvragen-inwoners.json).</summary>
internal static class Evaluation
{
    internal sealed record DemoArticle(string ExternalId, string TopicName, SearchDocument Document);

    internal sealed record Question(string Text, string? Topic, string Expected);

    public static List<Question> Questions()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "zoekvragen-inwoners.json")));
        return json.RootElement.GetProperty("vragen").EnumerateArray()
            .Select(q => new Question(q.GetProperty("vraag").GetString()!, q.GetProperty("onderwerp").GetString(), q.GetProperty("verwacht").GetString()!))
            .ToList();
    }

    /// <summary>Every article of the embedded demo kennisbank as the app indexes it (SearchDocument.From, with the topic's name).</summary>
    public static List<DemoArticle> DemoArticles()
    {
        using var stream = typeof(DemoKennisbank).Assembly.GetManifestResourceStream(DemoKennisbank.ResourceName)!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var topics = DemoTopics.All.ToDictionary(t => t.Uri, t => t.Name);
        return ArticleFile.Read(buffer.ToArray()).Rows.Where(r => r.Record is not null).Select((r, i) =>
        {
            var a = r.Record!;
            var content = new ArticleContent
            {
                Title = a.Title ?? "",
                Status = a.Status == "gepubliceerd" ? ArticleStatus.Gepubliceerd : ArticleStatus.Concept,
                QuestionVariants = a.QuestionVariants ?? [],
                Keywords = a.Keywords ?? [],
                WatIsHet = a.Sections?.WatIsHet,
                Voorwaarden = a.Sections?.Voorwaarden,
                WatNeemtUMee = a.Sections?.WatNeemtUMee,
                Kosten = a.Sections?.Kosten,
                HoeLangDuurtHet = a.Sections?.HoeLangDuurtHet,
                Aanvragen = a.Sections?.Aanvragen,
                ShortAnswer = a.ShortAnswer,
            };
            var topic = topics[a.UplUri!];
            return new DemoArticle(a.ExternalId!, topic, SearchDocument.From(i + 1, content, topic));
        }).ToList();
    }
}
