using System.Text;

namespace Kcc.Workbench.Web.Features.KnowledgeBase;

/// <summary>
/// An estimate of how easy the resident answer reads, with the Dutch Flesch-Douma formula:
/// 206,835 − 0,93 × (words per sentence) − 77 × (syllables per word). Syllables are counted as vowel groups, where
/// Dutch diphthongs and long vowels (ij, ei, oe, ou, au, ui, eu, ie, aa, ee, oo, uu; aai, ooi, oei, ieu, eeu) count once
/// and a diaeresis starts a new syllable (re-ü-nie). It is an estimate: B1 is about words and structure as well,
/// so the editor also marks long sentences and long words, which a writer can act on.
/// </summary>
public static class Readability
{
    /// <summary>Flesch-Douma 60 and up reads as "normaal" to "makkelijk": about B1. Below it the editor warns.</summary>
    public const double B1Threshold = 60;

    /// <summary>B1 writing advice: at most 15 words in a sentence.</summary>
    public const int LongSentenceWords = 15;

    /// <summary>Words of five syllables or more are hard for B1 readers (identiteitskaart is one).</summary>
    public const int LongWordSyllables = 5;

    private static readonly string[] Clusters = ["aai", "ooi", "oei", "ieu", "eeu", "ij", "ei", "oe", "ou", "au", "ui", "eu", "ie", "aa", "ee", "oo", "uu"];

    public sealed record Report(double Score, int Sentences, int Words, int Syllables, IReadOnlyList<string> LongSentences, IReadOnlyList<string> LongWords)
    {
        public bool IsEmpty => Words == 0;

        public bool AboveB1 => !IsEmpty && Score < B1Threshold;

        public string Level => IsEmpty ? "Nog geen tekst" : Score switch
        {
            >= 80 => "Makkelijk (A2)",
            >= B1Threshold => "Begrijpelijk (B1)",
            >= 45 => "Moeilijker dan B1 (B2)",
            _ => "Moeilijk (C1)",
        };
    }

    public static Report Analyse(string? plainText)
    {
        var sentences = ArticleText.SplitSentences((plainText ?? "").Replace('\n', ' '))
            .Select(s => (Text: s, Words: Words(s)))
            .Where(s => s.Words.Count > 0)
            .ToList();
        var words = sentences.SelectMany(s => s.Words).ToList();
        if (words.Count == 0)
        {
            return new Report(0, 0, 0, 0, [], []);
        }

        var syllables = words.Sum(Syllables);
        var score = 206.835 - (0.93 * words.Count / sentences.Count) - (77.0 * syllables / words.Count);
        var longSentences = sentences.Where(s => s.Words.Count > LongSentenceWords).Select(s => s.Text).ToList();
        var longWords = words.Where(w => Syllables(w) >= LongWordSyllables)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return new Report(Math.Round(score, 1), sentences.Count, words.Count, syllables, longSentences, longWords);
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
