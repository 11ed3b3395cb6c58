using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using Kcc.Workbench.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Kcc.Workbench.Web.Features.KnowledgeBase;

/// <summary>
/// The kennisbank index in SQLite FTS5: per article one row of stems computed in .NET (title; question variants,
/// keywords and topic name; body), kept in sync by the application in the same transaction as the article.
/// A query is built from the typed words:
/// <list type="bullet">
/// <item>stop words dropped, every other word folded and stemmed;</item>
/// <item>the last word, while still being typed, matches as a prefix (of the word and of its stem);</item>
/// <item>a word of five letters or more that is not in the index vocabulary also matches the vocabulary terms one edit
/// away (insert, delete, substitute or swap two neighbours), so "pasport" finds "paspoort";</item>
/// <item>first the articles matching all words (AND); when that leaves room, articles matching some of the words
/// (one of two words, at least two of three or more).</item>
/// </list>
/// Ranking is bm25 with column weights: title above question variants and keywords above body. Two ways to run it:
/// <see cref="RankInMemory"/> (the default) ranks in a memory copy of the FTS5 rows, kept current through a change log
/// the application writes in the same transaction; FTS5's own bm25() over MATCH costs about 1 µs per matching row, too
/// slow for words that occur in thousands of articles (see benchmarks/). Without it every query runs as FTS5 MATCH.
/// Both give the same ranking formula (FTS5's bm25: weighted term frequency over the whole row).
/// </summary>
public sealed class SqliteFts5SearchEngine : ISearchEngine, IDisposable
{
    public const double TitleWeight = 10.0;
    public const double VariantsWeight = 5.0;
    public const double BodyWeight = 1.0;

    /// <summary>Words shorter than this get no typo tolerance: too many short words are one edit apart.</summary>
    public const int TypoMinLength = 5;

    private const int MaxTypoCandidates = 6;

    private static readonly string RankExpression = string.Create(CultureInfo.InvariantCulture,
        $"bm25({KnowledgeBaseSql.SearchTable}, {TitleWeight:0.0}, {VariantsWeight:0.0}, {BodyWeight:0.0}, 0.0)");

    private readonly ConcurrentDictionary<string, Vocabulary> vocabularies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<SearchMemoryIndex>> memoryIndexes = new(StringComparer.Ordinal);

    /// <summary>Rank in the memory copy (fast) or with FTS5 MATCH and bm25() in SQLite.</summary>
    public bool RankInMemory { get; init; } = true;

    /// <summary>One typed word: any of its alternatives may match.</summary>
    internal sealed record TermGroup(IReadOnlyList<Alternative> Alternatives);

    /// <summary>A stem that must match exactly, or the beginning of one.</summary>
    internal sealed record Alternative(string Term, bool Prefix);

    /// <summary>What typo tolerance and prefix checks need to know about the indexed terms.</summary>
    internal interface IVocabulary
    {
        bool Contains(string term);

        bool HasPrefix(string prefix);

        IEnumerable<string> OneEditAway(string word, int max);

        IEnumerable<string> PrefixesOneEditAway(string prefix, int max);
    }

    public async Task IndexAsync(KccDbContext db, SearchDocument document, CancellationToken cancellationToken)
    {
        var title = DutchText.ToIndexText(document.Title);
        var variants = DutchText.ToIndexText(string.Join(" \n ", document.VariantsAndKeywords));
        var body = DutchText.ToIndexText(document.Body);
        var connection = await OpenAsync(db, cancellationToken);
        await using var command = CreateCommand(db, connection,
            $"DELETE FROM {KnowledgeBaseSql.SearchTable} WHERE rowid = $id; " +
            $"INSERT INTO {KnowledgeBaseSql.SearchTable} (rowid, title, variants, body, status) VALUES ($id, $title, $variants, $body, $status); " +
            $"INSERT INTO {KnowledgeBaseSql.ChangeTable} (ArticleId) VALUES ($id);");
        Add(command, "$id", document.ArticleId);
        Add(command, "$title", title);
        Add(command, "$variants", variants);
        Add(command, "$body", body);
        Add(command, "$status", (int)document.Status);
        await command.ExecuteNonQueryAsync(cancellationToken);

        if (vocabularies.TryGetValue(connection.DataSource, out var vocabulary))
        {
            vocabulary.AddRange($"{title} {variants} {body}".Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        if (memoryIndexes.TryGetValue(connection.DataSource, out var index) && index.IsValueCreated)
        {
            index.Value.MarkChanged();
        }
    }

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(KccDbContext db, SearchQuery query, CancellationToken cancellationToken)
    {
        if (query.Statuses.Count == 0 || query.Top <= 0)
        {
            return [];
        }

        var connection = await OpenAsync(db, cancellationToken);
        if (RankInMemory)
        {
            var index = memoryIndexes.GetOrAdd(connection.DataSource, _ => new Lazy<SearchMemoryIndex>(() => new SearchMemoryIndex())).Value;
            await index.CatchUpAsync(connection, db.Database.CurrentTransaction?.GetDbTransaction(), cancellationToken);
            var memoryGroups = BuildTermGroups(query.Text, index);
            return memoryGroups.Count == 0 ? [] : index.Search(memoryGroups, query.Statuses, query.Top);
        }

        var vocabulary = await VocabularyAsync(db, connection, cancellationToken);
        var groups = BuildTermGroups(query.Text, vocabulary).Select(ToMatch).ToList();
        if (groups.Count == 0)
        {
            return [];
        }

        var statuses = string.Join(",", query.Statuses.Select(s => ((int)s).ToString(CultureInfo.InvariantCulture)));
        var hits = await RunAsync(db, connection, string.Join(" AND ", groups), statuses, query.Top, cancellationToken);
        if (hits.Count < query.Top && groups.Count > 1)
        {
            var seen = hits.Select(h => h.ArticleId).ToHashSet();
            var partial = await RunAsync(db, connection, PartialMatch(groups), statuses, query.Top + hits.Count, cancellationToken);
            hits.AddRange(partial.Where(h => !seen.Contains(h.ArticleId)).Take(query.Top - hits.Count));
        }

        return hits;
    }

    public void Dispose()
    {
        foreach (var index in memoryIndexes.Values.Where(l => l.IsValueCreated))
        {
            index.Value.Dispose();
        }
    }

    /// <summary>The typed words as term groups: "pasport aanvrage" → (pasport | paspoort) and (aanvrage* | aanvrag*).</summary>
    internal static List<TermGroup> BuildTermGroups(string text, IVocabulary vocabulary)
    {
        var words = DutchText.Words(text);
        var lastIsPrefix = text.Length > 0 && char.IsLetterOrDigit(text[^1]);
        var groups = new List<TermGroup>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < words.Length; i++)
        {
            var word = words[i];
            if (DutchText.IsStopWord(word))
            {
                continue;
            }

            var stem = DutchText.Stem(word);
            var isPrefix = lastIsPrefix && i == words.Length - 1;
            var alternatives = new List<Alternative>();
            if (isPrefix)
            {
                if (word.Length < 2)
                {
                    continue;
                }

                alternatives.AddRange(new[] { word, stem }.Distinct().Where(p => p.Length >= 2).Select(p => new Alternative(p, true)));
                if (word.Length >= TypoMinLength && !vocabulary.HasPrefix(word) && !vocabulary.HasPrefix(stem))
                {
                    // The stem too: "hondebelasting" is one edit from the stem "hondenbelast", not from a beginning of it.
                    var typos = vocabulary.PrefixesOneEditAway(word, MaxTypoCandidates)
                        .Concat(stem == word ? [] : vocabulary.PrefixesOneEditAway(stem, MaxTypoCandidates));
                    alternatives.AddRange(typos.Select(p => new Alternative(p, true)));
                }
            }
            else
            {
                alternatives.Add(new Alternative(stem, false));
                if (word.Length >= TypoMinLength && !vocabulary.Contains(stem))
                {
                    alternatives.AddRange(vocabulary.OneEditAway(stem, MaxTypoCandidates).Select(t => new Alternative(t, false)));
                    if (word != stem && !vocabulary.Contains(word))
                    {
                        alternatives.AddRange(vocabulary.OneEditAway(word, MaxTypoCandidates).Select(t => new Alternative(t, false)));
                    }
                }
            }

            var distinct = alternatives.Distinct().ToList();
            if (seen.Add(string.Join("|", distinct)))
            {
                groups.Add(new TermGroup(distinct));
            }
        }

        return groups;
    }

    /// <summary>A term group as an FTS5 expression: <c>("pasport" OR "paspoort")</c>, <c>"aanvrag"*</c>.</summary>
    internal static string ToMatch(TermGroup group)
    {
        var parts = group.Alternatives.Select(a => Quote(a.Term) + (a.Prefix ? "*" : "")).ToList();
        return parts.Count == 1 ? parts[0] : "(" + string.Join(" OR ", parts) + ")";
    }

    /// <summary>
    /// Articles that match some of the words: any one of two words, or at least two of three or more, so one common
    /// word ("mee", "nieuw") in a long question does not drag in every article that happens to contain it.
    /// </summary>
    internal static string PartialMatch(IReadOnlyList<string> groups)
    {
        if (groups.Count <= 2)
        {
            return string.Join(" OR ", groups);
        }

        var used = groups.Take(6).ToList();
        var pairs = new List<string>();
        for (var i = 0; i < used.Count; i++)
        {
            for (var j = i + 1; j < used.Count; j++)
            {
                pairs.Add($"({used[i]} AND {used[j]})");
            }
        }

        return string.Join(" OR ", pairs);
    }

    private static string Quote(string term) => "\"" + term.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task<List<SearchHit>> RunAsync(KccDbContext db, DbConnection connection, string match, string statuses, int top, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(db, connection,
            $"SELECT rowid, {RankExpression} AS rank FROM {KnowledgeBaseSql.SearchTable} " +
            $"WHERE {KnowledgeBaseSql.SearchTable} MATCH $match AND status IN ({statuses}) ORDER BY rank LIMIT $top");
        Add(command, "$match", match);
        Add(command, "$top", top);
        var hits = new List<SearchHit>(top);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            hits.Add(new SearchHit(reader.GetInt32(0), -reader.GetDouble(1)));
        }

        return hits;
    }

    private async Task<Vocabulary> VocabularyAsync(KccDbContext db, DbConnection connection, CancellationToken cancellationToken)
    {
        if (vocabularies.TryGetValue(connection.DataSource, out var vocabulary))
        {
            return vocabulary;
        }

        var terms = new List<string>();
        await using (var command = CreateCommand(db, connection, $"SELECT term FROM {KnowledgeBaseSql.VocabularyTable}"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                terms.Add(reader.GetString(0));
            }
        }

        return vocabularies.GetOrAdd(connection.DataSource, _ => new Vocabulary(terms));
    }

    private static async Task<DbConnection> OpenAsync(KccDbContext db, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        return connection;
    }

    private static DbCommand CreateCommand(KccDbContext db, DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>
    /// Every term in the index, for typo tolerance and for knowing whether a typed prefix can match at all.
    /// A term of an article that later changed stays until restart: it costs an alternative that matches nothing.
    /// </summary>
    internal sealed class Vocabulary : IVocabulary
    {
        private readonly Lock gate = new();
        private readonly HashSet<string> terms;
        private string[] sorted;
        private bool sortedIsStale;

        public Vocabulary(IEnumerable<string> initial)
        {
            terms = new HashSet<string>(initial, StringComparer.Ordinal);
            sorted = terms.Order(StringComparer.Ordinal).ToArray();
        }

        public void AddRange(IEnumerable<string> newTerms)
        {
            lock (gate)
            {
                foreach (var term in newTerms)
                {
                    sortedIsStale |= terms.Add(term);
                }
            }
        }

        public bool Contains(string term)
        {
            lock (gate)
            {
                return terms.Contains(term);
            }
        }

        public bool HasPrefix(string prefix)
        {
            var all = Sorted();
            var index = Array.BinarySearch(all, prefix, StringComparer.Ordinal);
            if (index >= 0)
            {
                return true;
            }

            index = ~index;
            return index < all.Length && all[index].StartsWith(prefix, StringComparison.Ordinal);
        }

        /// <summary>Terms within one edit of <paramref name="word"/>, in alphabetical order.</summary>
        public IEnumerable<string> OneEditAway(string word, int max)
        {
            var found = 0;
            foreach (var term in Sorted())
            {
                if (Math.Abs(term.Length - word.Length) <= 1 && WithinOneEdit(word, term))
                {
                    yield return term;
                    if (++found == max)
                    {
                        yield break;
                    }
                }
            }
        }

        /// <summary>Beginnings of terms within one edit of a typed beginning: "identiteitsk" with a typo still finds "identiteitskaart".</summary>
        public IEnumerable<string> PrefixesOneEditAway(string prefix, int max)
        {
            var found = new HashSet<string>(StringComparer.Ordinal);
            foreach (var term in Sorted())
            {
                for (var length = prefix.Length - 1; length <= prefix.Length + 1; length++)
                {
                    if (length >= 2 && term.Length >= length && WithinOneEdit(prefix, term.AsSpan(0, length)) && found.Add(term[..length]))
                    {
                        if (found.Count == max)
                        {
                            return found;
                        }
                    }
                }
            }

            return found;
        }

        private string[] Sorted()
        {
            lock (gate)
            {
                if (sortedIsStale)
                {
                    sorted = terms.Order(StringComparer.Ordinal).ToArray();
                    sortedIsStale = false;
                }

                return sorted;
            }
        }

        /// <summary>Damerau distance ≤ 1 without allocating: one substitution, insertion, deletion or swap of neighbours.</summary>
        internal static bool WithinOneEdit(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
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
}
