using System.Text;

namespace Kcc.Workbench.Web.Features.KnowledgeBase;

/// <summary>
/// An estimate of how easy the resident answer reads, with the Dutch Flesch-Douma formula:
/// 206,835 − 0,93 × (words per sentence) − 77 × (syllables per word). Syllables are counted as vowel groups, where
/// Dutch diphthongs and long vowels (ij, ei, oe, ou, au, ui, eu, ie, aa, ee, oo, uu; aai, ooi, oei, ieu, eeu) count once
/// and a diaeresis starts a new syllable (re-ü-nie). It is an estimate: B1 is about words and structure as well,
/// so every sentence of more than <see cref="LongSentenceWords"/> words and every officialese word from
/// ambtelijke-woorden.txt is flagged with its reason and the plain alternative, and a text with such a sentence is not
/// labelled B1 whatever its score. List items (Markdown bullets, one per line) are units of their own and need no
/// full stop; so is every other line.
/// </summary>
public static class Readability
{
    /// <summary>Flesch-Douma 60 and up reads as "normaal" to "makkelijk": about B1. Below it the editor warns.</summary>
    public const double B1Threshold = 60;

    /// <summary>B1 writing advice: a sentence of more than 20 words is too long for many readers.</summary>
    public const int LongSentenceWords = 20;

    public const string OfficialWordsResource = "Kcc.Workbench.Web.Features.KnowledgeBase.ambtelijke-woorden.txt";

    /// <summary>Words of five syllables or more are hard for B1 readers (identiteitskaart is one).</summary>
    public const int LongWordSyllables = 5;

    private static readonly string[] Clusters = ["aai", "ooi", "oei", "ieu", "eeu", "ij", "ei", "oe", "ou", "au", "ui", "eu", "ie", "aa", "ee", "oo", "uu"];

    /// <summary>An officialese word or phrase as found in the text, with the plain alternative.</summary>
    public sealed record OfficialWord(string Found, string Alternative);

    /// <summary>A sentence to rewrite, as written, with why: too long, officialese words.</summary>
    public sealed record Flag(string Sentence, int Words, IReadOnlyList<OfficialWord> OfficialWords)
    {
        public bool TooLong => Words > LongSentenceWords;

        /// <summary>The reasons in the editor's words: "27 woorden (meer dan 20)", "‘teneinde’: schrijf ‘om’".</summary>
        public IEnumerable<string> Reasons =>
            (TooLong ? [$"{Words} woorden (meer dan {LongSentenceWords})"] : Array.Empty<string>())
                .Concat(OfficialWords.Select(o => $"‘{o.Found}’: schrijf ‘{o.Alternative}’"));
    }

    public sealed record Report(double Score, int Sentences, int Words, int Syllables, IReadOnlyList<string> LongSentences, IReadOnlyList<string> LongWords,
        IReadOnlyList<Flag> Flags)
    {
        public bool IsEmpty => Words == 0;

        /// <summary>Warn the writer: the score is below B1, or some sentence must be rewritten.</summary>
        public bool AboveB1 => !IsEmpty && (Score < B1Threshold || Flags.Count > 0);

        public string Level => IsEmpty ? "Nog geen tekst" : Score switch
        {
            >= B1Threshold when Flags.Count > 0 => $"Nog niet B1: {Flags.Count} {(Flags.Count == 1 ? "zin" : "zinnen")} herschrijven",
            >= 80 => "Makkelijk (A2)",
            >= B1Threshold => "Begrijpelijk (B1)",
            >= 45 => "Moeilijker dan B1 (B2)",
            _ => "Moeilijk (C1)",
        };
    }

    public static Report Analyse(string? plainText)
    {
        var sentences = (plainText ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(line => ArticleText.SplitSentences(ListItemText(line)))
            .Select(s => (Text: s.Trim(), Words: Words(s)))
            .Where(s => s.Words.Count > 0)
            .ToList();
        var words = sentences.SelectMany(s => s.Words).ToList();
        if (words.Count == 0)
        {
            return new Report(0, 0, 0, 0, [], [], []);
        }

        var syllables = words.Sum(Syllables);
        var score = 206.835 - (0.93 * words.Count / sentences.Count) - (77.0 * syllables / words.Count);
        var longSentences = sentences.Where(s => s.Words.Count > LongSentenceWords).Select(s => s.Text).ToList();
        var longWords = words.Where(w => Syllables(w) >= LongWordSyllables)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var flags = sentences
            .Select(s => new Flag(s.Text, s.Words.Count, FindOfficialWords(s.Text)))
            .Where(f => f.TooLong || f.OfficialWords.Count > 0)
            .ToList();
        return new Report(Math.Round(score, 1), sentences.Count, words.Count, syllables, longSentences, longWords, flags);
    }

    /// <summary>The officialese words and phrases of <see cref="OfficialWords"/> in one sentence, in order, each once.</summary>
    public static IReadOnlyList<OfficialWord> FindOfficialWords(string sentence)
    {
        var words = DutchText.Words(sentence);
        var found = new List<OfficialWord>();
        for (var i = 0; i < words.Length; i++)
        {
            // The longest form starting here: "dient u te" before "dient u".
            var match = OfficialWords.Value
                .Where(e => e.Words.Length <= words.Length - i && e.Words.AsSpan().SequenceEqual(words.AsSpan(i, e.Words.Length)))
                .MaxBy(e => e.Words.Length);
            if (match is not null)
            {
                if (!found.Any(f => f.Alternative == match.Alternative && string.Equals(f.Found, match.Form, StringComparison.Ordinal)))
                {
                    found.Add(new OfficialWord(match.Form, match.Alternative));
                }

                i += match.Words.Length - 1;
            }
        }

        return found;
    }

    private sealed record OfficialEntry(string Form, string[] Words, string Alternative);

    /// <summary>The list in ambtelijke-woorden.txt (embedded): one line per word, "vorm|vorm = alternatief".</summary>
    private static readonly Lazy<IReadOnlyList<OfficialEntry>> OfficialWords = new(() =>
    {
        using var stream = typeof(Readability).Assembly.GetManifestResourceStream(OfficialWordsResource)
            ?? throw new InvalidOperationException($"Embedded resource {OfficialWordsResource} is missing.");
        using var reader = new StreamReader(stream);
        var entries = new List<OfficialEntry>();
        while (reader.ReadLine() is { } line)
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (line.StartsWith('#') || equals < 0)
            {
                continue;
            }

            var alternative = line[(equals + 1)..].Trim();
            foreach (var form in line[..equals].Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                entries.Add(new OfficialEntry(form, DutchText.Words(form), alternative));
            }
        }

        return entries;
    });

    /// <summary>The entries of the officialese list, for the editor's help text and for tests.</summary>
    public static IReadOnlyList<(string Form, string Alternative)> OfficialWordList => [.. OfficialWords.Value.Select(e => (e.Form, e.Alternative))];

    /// <summary>A Markdown list item's text without its bullet or number: "- Neem uw pasfoto mee" → "Neem uw pasfoto mee".</summary>
    private static string ListItemText(string line)
    {
        var trimmed = line.TrimStart();
        if (trimmed.Length > 1 && trimmed[0] is '-' or '*' or '•' && trimmed[1] == ' ')
        {
            return trimmed[2..];
        }

        var digits = 0;
        while (digits < trimmed.Length && char.IsDigit(trimmed[digits]))
        {
            digits++;
        }

        return digits > 0 && digits + 1 < trimmed.Length && trimmed[digits] is '.' or ')' && trimmed[digits + 1] == ' ' ? trimmed[(digits + 2)..] : trimmed;
    }

    /// <summary>Syllables of one word, estimated from its vowel groups.</summary>
    public static int Syllables(string word)
    {
        var lower = word.ToLowerInvariant();
        var count = 0;
        var i = 0;
        while (i < lower.Length)
        {
            if (!IsVowel(lower[i]))
            {
                i++;
                continue;
            }

            // A vowel group; a vowel with a diaeresis starts a new one (reünie, geïnd); clusters count once.
            var group = new StringBuilder().Append(Fold(lower[i++]));
            while (i < lower.Length && (IsPlainVowel(lower[i]) || (lower[i] == 'j' && group[^1] == 'i')))
            {
                group.Append(Fold(lower[i++]));
            }

            count += CountGroup(group.ToString());
        }

        return Math.Max(1, count);
    }

    private static int CountGroup(string group)
    {
        var count = 0;
        var i = 0;
        while (i < group.Length)
        {
            var cluster = Clusters.FirstOrDefault(c => string.CompareOrdinal(group, i, c, 0, c.Length) == 0);
            i += cluster?.Length ?? 1;
            count++;
        }

        return count;
    }

    private static bool IsPlainVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y' or 'á' or 'é' or 'í' or 'ó' or 'ú' or 'à' or 'è' or 'ò' or 'â' or 'ê' or 'ô';

    private static bool IsVowel(char c) => IsPlainVowel(c) || c is 'ä' or 'ë' or 'ï' or 'ö' or 'ü';

    private static char Fold(char c) => DutchText.Fold(c.ToString()) is { Length: 1 } f ? f[0] : c;

    private static List<string> Words(string sentence) =>
        sentence.Split([' ', '\t', ',', ';', ':', '(', ')', '"', '“', '”', '.', '!', '?', '/'], StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w.Any(char.IsLetter))
            .ToList();
}
