using System.Globalization;
using System.Text;
using Lucene.Net.Tartarus.Snowball.Ext;

namespace Kcc.Workbench.Web.Features.KnowledgeBase;

/// <summary>
/// Dutch text as the search engine sees it: diacritics folded (reünie = reunie), lower case, split on anything that is
/// not a letter or digit, stop words dropped, and words reduced to their Snowball stem (aanvragen → aanvrag), so
/// "paspoorten" finds "paspoort". The same steps run on the articles and on the query.
/// </summary>
public static class DutchText
{
    /// <summary>The Snowball project's Dutch stop list (the one Lucene's DutchAnalyzer uses), folded.</summary>
    public static readonly IReadOnlySet<string> StopWords = new HashSet<string>(StringComparer.Ordinal)
    {
        "de", "en", "van", "ik", "te", "dat", "die", "in", "een", "hij", "het", "niet", "zijn", "is", "was", "op", "aan", "met", "als", "voor",
        "had", "er", "maar", "om", "hem", "dan", "zou", "of", "wat", "mijn", "men", "dit", "zo", "door", "over", "ze", "zich", "bij", "ook", "tot",
        "je", "mij", "uit", "der", "daar", "haar", "naar", "heb", "hoe", "heeft", "hebben", "deze", "u", "want", "nog", "zal", "me", "zij", "nu",
        "ge", "geen", "omdat", "iets", "worden", "toch", "al", "waren", "veel", "meer", "doen", "toen", "moet", "ben", "zonder", "kan", "hun",
        "dus", "alles", "onder", "ja", "eens", "hier", "wie", "werd", "altijd", "doch", "wordt", "wezen", "kunnen", "ons", "zelf", "tegen", "na",
        "reeds", "wil", "kon", "niets", "uw", "iemand", "geweest", "andere",
    };

    /// <summary>
    /// Words that carry no subject in a resident's question (question words, modal verbs, greetings, fillers): left
    /// out of a search, not of the index. "Hoe kan ik mijn paspoort verlengen, graag even" searches "paspoort verlengen".
    /// Folded forms; words that are also a subject ("alleen", "kosten", "nieuw") are not here.
    /// </summary>
    public static readonly IReadOnlySet<string> FillerWords = new HashSet<string>(StringComparer.Ordinal)
    {
        "waar", "wanneer", "waarom", "welke", "welk", "hoeveel", "hoelang", "waarvoor", "waarmee", "waarover",
        "kun", "kunt", "mag", "mogen", "moeten", "moest", "wilt", "willen", "wou", "zouden", "zullen", "gaan", "ga", "gaat",
        "kom", "komt", "komen", "doe", "doet", "gedaan", "weet", "weten", "word", "krijg", "krijgt", "krijgen", "heeft", "hebt",
        "graag", "even", "eigenlijk", "gewoon", "precies", "echt", "heel", "erg", "nou", "misschien", "zomaar", "dan", "daarvoor",
        "daarmee", "daarover", "daar", "ergens", "iets", "allemaal", "alle", "wel", "mee", "we", "wij", "jullie", "onze", "mezelf",
        "hallo", "goedemorgen", "goedemiddag", "goedenavond", "beste", "dag", "bedankt", "dank", "alvast", "alstublieft", "aub",
        "oke", "ok", "haha", "vraag", "vragen", "vroeg", "bellen", "bel", "belde", "terecht", "regelen", "nodig",
    };

    // The Snowball stemmer keeps state per call; one per thread keeps it allocation-free and safe.
    [ThreadStatic]
    private static DutchStemmer? stemmer;

    /// <summary>Lower case without diacritics; every run of other characters becomes one space.</summary>
    public static string Fold(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                if (pendingSpace && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                pendingSpace = false;
                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                pendingSpace = true;
            }
        }

        return builder.ToString();
    }

    /// <summary>Folded words, stop words included, in order.</summary>
    public static string[] Words(string? text) => Fold(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static bool IsStopWord(string foldedWord) => StopWords.Contains(foldedWord);

    public static bool IsFiller(string foldedWord) => FillerWords.Contains(foldedWord);

    /// <summary>The Snowball stem of one folded word. Digits and very short words stay as they are.</summary>
    public static string Stem(string foldedWord)
    {
        if (foldedWord.Length < 3 || char.IsDigit(foldedWord[0]))
        {
            return foldedWord;
        }

        var s = stemmer ??= new DutchStemmer();
        s.SetCurrent(foldedWord);
        s.Stem();
        return s.Current;
    }

    /// <summary>The stems of a text, stop words left out: what goes into the index.</summary>
    public static IEnumerable<string> Terms(string? text)
    {
        foreach (var word in Words(text))
        {
            if (!IsStopWord(word))
            {
                yield return Stem(word);
            }
        }
    }

    /// <summary>The indexed form of a text: its stems separated by spaces.</summary>
    public static string ToIndexText(string? text) => string.Join(' ', Terms(text));

    /// <summary>Damerau-Levenshtein (optimal string alignment) distance, but gives up above <paramref name="max"/>.</summary>
    public static int EditDistance(string a, string b, int max = 1)
    {
        if (Math.Abs(a.Length - b.Length) > max)
        {
            return max + 1;
        }

        var previous2 = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMin = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, previous2[j - 2] + 1);
                }

                current[j] = value;
                rowMin = Math.Min(rowMin, value);
            }

            if (rowMin > max)
            {
                return max + 1;
            }

            (previous2, previous, current) = (previous, current, previous2);
        }

        return previous[b.Length];
    }

    /// <summary>Damerau distance ≤ 1 without allocating: one substitution, insertion, deletion or swap of neighbours.</summary>
    public static bool WithinOneEdit(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.Length == b.Length)
        {
            var first = -1;
            for (var i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                {
                    if (first < 0)
                    {
                        first = i;
                    }
                    else if (i == first + 1 && a[first] == b[i] && a[i] == b[first] && a[(i + 1)..].SequenceEqual(b[(i + 1)..]))
                    {
                        return true;
                    }
                    else
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        if (Math.Abs(a.Length - b.Length) != 1)
        {
            return false;
        }

        var longer = a.Length > b.Length ? a : b;
        var shorter = a.Length > b.Length ? b : a;
        var skip = 0;
        while (skip < shorter.Length && longer[skip] == shorter[skip])
        {
            skip++;
        }

        return longer[(skip + 1)..].SequenceEqual(shorter[skip..]);
    }
}
