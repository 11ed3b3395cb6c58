using System.Collections.Concurrent;
using System.Data.Common;
using Kcc.Workbench.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Kcc.Workbench.Web.Features.KnowledgeBase;

/// <summary>
/// The kennisbank index in SQLite FTS5: per article one row of stems computed in .NET (title; question variants,
/// keywords and topic name; body), kept in sync by the application in the same transaction as the article, and ranked
/// in a memory copy of those rows (<see cref="SearchMemoryIndex"/>), kept current through a change log the application
/// writes in the same transaction. FTS5's own bm25() over MATCH costs about 1 µs per matching row, too slow for the
/// any-word matching a long question needs (see benchmarks/). A query is built from the typed words:
/// <list type="bullet">
/// <item>stop words and filler ("hoe", "kan", "mijn", "graag", "even") dropped, every other word folded and stemmed;</item>
/// <item>the last word, while still being typed, matches as a prefix (of the word and of its stem);</item>
/// <item>a word of five letters or more that is not in the index vocabulary also matches the vocabulary terms one edit
/// away (insert, delete, substitute or swap two neighbours), so "pasport" finds "paspoort";</item>
/// <item>an article matching any of the words is a candidate; the ranking (bm25 with column weights, a bonus for words
/// in the title and the variants, times the share of the question covered, the chosen topic first) is described
/// at <see cref="SearchMemoryIndex"/>.</item>
/// </list>
/// </summary>
public sealed class SqliteFts5SearchEngine : ISearchEngine, IDisposable
{
    public const double TitleWeight = 10.0;
    public const double VariantsWeight = 5.0;
    public const double BodyWeight = 1.0;

    /// <summary>Words shorter than this get no typo tolerance: too many short words are one edit apart.</summary>
    public const int TypoMinLength = 5;

    private const int MaxTypoCandidates = 6;

    private readonly ConcurrentDictionary<string, Lazy<SearchMemoryIndex>> memoryIndexes = new(StringComparer.Ordinal);

    /// <summary>One typed word: any of its alternatives may match.</summary>
    internal sealed record TermGroup(IReadOnlyList<Alternative> Alternatives);

    /// <summary>A stem that must match exactly, or the beginning of one; a typo correction counts for less.</summary>
    internal sealed record Alternative(string Term, bool Prefix, bool Typo = false);

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
        // PostgreSQL: the change log's ids are handed out and committed one transaction at a time (see
        // CommitOrderInterceptor), so a memory copy that reads "above the last id" on another server misses nothing.
        var commitOrder = db.Database.IsNpgsql() ? $"SELECT pg_advisory_xact_lock({Data.PostgreSql.AdvisoryLocks.SearchChanges}); " : "";
        await using var command = CreateCommand(db, connection,
            commitOrder +
            $"DELETE FROM {KnowledgeBaseSql.SearchTable} WHERE rowid = @id; " +
            $"INSERT INTO {KnowledgeBaseSql.SearchTable} (rowid, title, variants, body, status) VALUES (@id, @title, @variants, @body, @status); " +
            $"INSERT INTO {KnowledgeBaseSql.ChangeTable} (ArticleId) VALUES (@id);");
        Add(command, "@id", document.ArticleId);
        Add(command, "@title", title);
        Add(command, "@variants", variants);
        Add(command, "@body", body);
        Add(command, "@status", (int)document.Status);
        await command.ExecuteNonQueryAsync(cancellationToken);

        if (memoryIndexes.TryGetValue(IndexKey(connection), out var index) && index.IsValueCreated)
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
        var index = memoryIndexes.GetOrAdd(IndexKey(connection), _ => new Lazy<SearchMemoryIndex>(() => new SearchMemoryIndex())).Value;
        await index.CatchUpAsync(connection, db.Database.CurrentTransaction?.GetDbTransaction(), cancellationToken);
        var groups = BuildTermGroups(query.Text, index);
        return groups.Count == 0 && (query.TopicArticles is null || query.TopicArticles.Count == 0) ? [] : index.Search(groups, query);
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
            if (DutchText.IsStopWord(word) || DutchText.IsFiller(word))
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
                    alternatives.AddRange(typos.Select(p => new Alternative(p, true, Typo: true)));
                }
            }
            else
            {
                alternatives.Add(new Alternative(stem, false));
                if (word.Length >= TypoMinLength && !vocabulary.Contains(stem))
                {
                    // A short stem of a longer word ("polen" → "pol") is one edit from too many unrelated stems.
                    if (stem.Length >= TypoMinLength)
                    {
                        alternatives.AddRange(vocabulary.OneEditAway(stem, MaxTypoCandidates).Select(t => new Alternative(t, false, Typo: true)));
                    }

                    if (word != stem && !vocabulary.Contains(word))
                    {
                        alternatives.AddRange(vocabulary.OneEditAway(word, MaxTypoCandidates).Select(t => new Alternative(t, false, Typo: true)));
                    }
                }
            }

            var distinct = alternatives.DistinctBy(a => (a.Term, a.Prefix)).ToList();
            if (seen.Add(string.Join("|", distinct)))
            {
                groups.Add(new TermGroup(distinct));
            }
        }

        return groups;
    }

    /// <summary>One memory copy per database: a SQLite file, or a PostgreSQL database on a server.</summary>
    private static string IndexKey(DbConnection connection) => connection.DataSource + "/" + connection.Database;

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
}
