using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using CsvHelper;
using CsvHelper.Configuration;

namespace Kcc.Workbench.Web.Features.KnowledgeBase;

/// <summary>
/// The kennisbank exchange format, in JSON ("kcc-kennisbank/1") and its CSV equivalent; see docs/kennisbank-import.md.
/// Reading never throws on bad content: a bad file gets one Dutch message, a bad row its own.
/// </summary>
public static partial class ArticleFile
{
    public const string Format = "kcc-kennisbank/1";

    public static readonly string[] CsvColumns =
    [
        "externalId", "title", "uplUri", "team", "status", "reviewBefore", "questionVariants", "keywords",
        "watIsHet", "voorwaarden", "watNeemtUMee", "kosten", "hoeLangDuurtHet", "aanvragen",
        "shortAnswer", "emailText", "internalNote", "links",
    ];

    private static readonly string[] RequiredCsvColumns = ["externalId", "title", "uplUri"];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public sealed class Document
    {
        public string Format { get; set; } = ArticleFile.Format;

        public List<Record> Articles { get; set; } = [];
    }

    public sealed class Record
    {
        public string? ExternalId { get; set; }
        public string? Title { get; set; }
        public string? UplUri { get; set; }
        public string? Team { get; set; }
        public string? Status { get; set; }
        public string? ReviewBefore { get; set; }
        public List<string>? QuestionVariants { get; set; }
        public List<string>? Keywords { get; set; }
        public Sections? Sections { get; set; }
        public string? ShortAnswer { get; set; }
        public string? EmailText { get; set; }
        public string? InternalNote { get; set; }
        public List<Link>? Links { get; set; }
    }

    public sealed class Sections
    {
        public string? WatIsHet { get; set; }
        public string? Voorwaarden { get; set; }
        public string? WatNeemtUMee { get; set; }
        public string? Kosten { get; set; }
        public string? HoeLangDuurtHet { get; set; }
        public string? Aanvragen { get; set; }
    }

    public sealed class Link
    {
        public string? Title { get; set; }
        public string? Url { get; set; }
    }

    /// <summary>One article of the file; <see cref="Row"/> is the article's number in a JSON file, the line number in a CSV file.</summary>
    public sealed record Row(int Number, Record? Record, string? Error);

    public sealed record Parsed(string? Error, IReadOnlyList<Row> Rows)
    {
        public static Parsed Failed(string error) => new(error, []);
    }

    public static Parsed Read(byte[] content, string? fileName = null)
    {
        string text;
        try
        {
            var bytes = content.AsSpan();
            text = StrictUtf8.GetString(bytes.StartsWith(Encoding.UTF8.Preamble) ? bytes[Encoding.UTF8.Preamble.Length..] : bytes);
        }
        catch (DecoderFallbackException)
        {
            return Parsed.Failed("Het bestand is niet in UTF-8 opgeslagen. Sla het op als UTF-8 (in Excel: 'CSV UTF-8') en probeer het opnieuw.");
        }

        var trimmed = text.TrimStart();
        if (trimmed.Length == 0)
        {
            return Parsed.Failed("Het bestand is leeg.");
        }

        var isJson = fileName?.EndsWith(".json", StringComparison.OrdinalIgnoreCase) == true || trimmed[0] == '{';
        return isJson ? ReadJson(text) : ReadCsv(text);
    }

    private static Parsed ReadJson(string text)
    {
        Document? document;
        try
        {
            document = JsonSerializer.Deserialize<Document>(text, Json);
        }
        catch (JsonException exception)
        {
            var where = exception.LineNumber is { } line ? $" (regel {line + 1})" : "";
            return Parsed.Failed($"Het bestand is geen geldige JSON{where}. Er is niets geïmporteerd. Controleer komma's en aanhalingstekens, of exporteer opnieuw.");
        }

        if (document is null || !string.Equals(document.Format, Format, StringComparison.Ordinal))
        {
            return Parsed.Failed($"Dit is geen kennisbankbestand: \"format\" moet \"{Format}\" zijn. Er is niets geïmporteerd.");
        }

        return new Parsed(null, document.Articles.Select((r, i) => new Row(i + 1, r, null)).ToList());
    }

    private static Parsed ReadCsv(string text)
    {
        var firstLine = text.AsSpan(0, Math.Max(0, text.IndexOf('\n', StringComparison.Ordinal)) is var end and > 0 ? end : text.Length);
        var delimiter = firstLine.Count(';') > firstLine.Count(',') ? ";" : ",";
        var badRows = new HashSet<int>();
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter,
            BadDataFound = args => badRows.Add(args.Context.Parser?.Row ?? 0),
        };
        using var reader = new StringReader(text);
        using var parser = new CsvParser(reader, configuration);
        if (!parser.Read())
        {
            return Parsed.Failed("Het bestand is leeg.");
        }

        var header = (parser.Record ?? []).Select(h => h.Trim()).ToArray();
        var index = CsvColumns.ToDictionary(c => c, c => Array.FindIndex(header, h => string.Equals(h, c, StringComparison.OrdinalIgnoreCase)));
        var missing = RequiredCsvColumns.Where(c => index[c] < 0).ToList();
        if (missing.Count > 0)
        {
            return Parsed.Failed($"De eerste rij mist de kolom(men) {string.Join(", ", missing)}. Er is niets geïmporteerd. " +
                "De eerste rij noemt de kolommen, bijvoorbeeld externalId;title;uplUri;team;status;…");
        }

        var rows = new List<Row>();
        while (parser.Read())
        {
            var row = parser.Row;
            var cells = parser.Record ?? [];
            if (cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            if (badRows.Contains(row))
            {
                rows.Add(new Row(row, null, "De rij is geen geldige CSV: controleer de aanhalingstekens."));
                continue;
            }

            string? Cell(string column) => index[column] is var i and >= 0 && i < cells.Length && cells[i].Trim().Length > 0 ? cells[i].Trim() : null;
            rows.Add(new Row(row, new Record
            {
                ExternalId = Cell("externalId"),
                Title = Cell("title"),
                UplUri = Cell("uplUri"),
                Team = Cell("team"),
                Status = Cell("status"),
                ReviewBefore = Cell("reviewBefore"),
                QuestionVariants = SplitList(Cell("questionVariants")),
                Keywords = SplitList(Cell("keywords")),
                Sections = new Sections
                {
                    WatIsHet = Cell("watIsHet"),
                    Voorwaarden = Cell("voorwaarden"),
                    WatNeemtUMee = Cell("watNeemtUMee"),
                    Kosten = Cell("kosten"),
                    HoeLangDuurtHet = Cell("hoeLangDuurtHet"),
                    Aanvragen = Cell("aanvragen"),
                },
                ShortAnswer = Cell("shortAnswer"),
                EmailText = Cell("emailText"),
                InternalNote = Cell("internalNote"),
                Links = SplitList(Cell("links")).Select(ParseLink).ToList(),
            }, null));
        }

        return new Parsed(null, rows);
    }

    /// <summary>"a|b|c" → [a, b, c]; a literal | is written \|.</summary>
    public static List<string> SplitList(string? value)
    {
        var items = new List<string>();
        if (string.IsNullOrEmpty(value))
        {
            return items;
        }

        var current = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length && value[i + 1] == '|')
            {
                current.Append('|');
                i++;
            }
            else if (value[i] == '|')
            {
                items.Add(current.ToString().Trim());
                current.Clear();
            }
            else
            {
                current.Append(value[i]);
            }
        }

        items.Add(current.ToString().Trim());
        return items.Where(i => i.Length > 0).ToList();
    }

    public static string JoinList(IEnumerable<string> items) => string.Join("|", items.Select(i => i.Replace("|", "\\|", StringComparison.Ordinal)));

    /// <summary>A CSV link is Markdown-style: [Afspraak maken](https://www.demodorp.nl/afspraak); a bare address is its own title.</summary>
    private static Link ParseLink(string text)
    {
        var match = MarkdownLink().Match(text);
        return match.Success ? new Link { Title = match.Groups[1].Value.Trim(), Url = match.Groups[2].Value.Trim() } : new Link { Title = text, Url = text };
    }

    public static byte[] WriteJson(IEnumerable<Record> records) =>
        JsonSerializer.SerializeToUtf8Bytes(new Document { Articles = records.ToList() }, Json);

    /// <summary>Semicolons and a byte-order mark, so Dutch Excel opens it as it is.</summary>
    public static byte[] WriteCsv(IEnumerable<Record> records)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = ";" }))
        {
            foreach (var column in CsvColumns)
            {
                csv.WriteField(column);
            }

            csv.NextRecord();
            foreach (var r in records)
            {
                string?[] fields =
                [
                    r.ExternalId, r.Title, r.UplUri, r.Team, r.Status, r.ReviewBefore, JoinList(r.QuestionVariants ?? []), JoinList(r.Keywords ?? []),
                    r.Sections?.WatIsHet, r.Sections?.Voorwaarden, r.Sections?.WatNeemtUMee, r.Sections?.Kosten, r.Sections?.HoeLangDuurtHet, r.Sections?.Aanvragen,
                    r.ShortAnswer, r.EmailText, r.InternalNote, JoinList((r.Links ?? []).Select(l => $"[{l.Title}]({l.Url})")),
                ];
                foreach (var field in fields)
                {
                    csv.WriteField(field ?? "");
                }

                csv.NextRecord();
            }
        }

        return [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(writer.ToString())];
    }

    public static string StatusName(ArticleStatus status) => status.Label().ToLowerInvariant();

    public static ArticleStatus? ParseStatus(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" => ArticleStatus.Concept,
        "concept" => ArticleStatus.Concept,
        "gepubliceerd" => ArticleStatus.Gepubliceerd,
        "gearchiveerd" => ArticleStatus.Gearchiveerd,
        _ => null,
    };

    [GeneratedRegex(@"^\[(.*)\]\((\S+)\)$")]
    private static partial Regex MarkdownLink();
}
