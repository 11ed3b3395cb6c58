using System.Buffers;
using System.Data.Common;

namespace Kcc.Workbench.Web.Features.KnowledgeBase;

/// <summary>
/// A memory copy of the ArticleSearch FTS5 rows with the same bm25 as FTS5's bm25() (weighted term frequency over the
/// row, k1 = 1.2, b = 0.75, idf = ln((N − n + 0.5) / (n + 0.5)), at least 1e-6), computed over plain arrays.
/// SQLite stays the source of truth: the copy loads the FTS5 rows once, then before each search reads the change log
/// (ArticleSearchChanges, written in the same transaction as the article) and reloads the rows that changed, so it only
/// ever reflects committed data, also with several app processes on one database.
/// </summary>
internal sealed class SearchMemoryIndex : SqliteFts5SearchEngine.IVocabulary, IDisposable
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    /// <summary>A two-letter prefix can match thousands of terms; beyond this many, the most frequent ones count.</summary>
    private const int MaxPrefixTerms = 2000;

    private static readonly double[] Weights = [SqliteFts5SearchEngine.TitleWeight, SqliteFts5SearchEngine.VariantsWeight, SqliteFts5SearchEngine.BodyWeight];

    private readonly ReaderWriterLockSlim gate = new(LockRecursionPolicy.NoRecursion);
    private readonly SemaphoreSlim catchUp = new(1, 1);
    private readonly Dictionary<string, List<Posting>> postings = new(StringComparer.Ordinal);
    private readonly Dictionary<int, int> slotOfArticle = [];
    private readonly List<Doc?> docs = [];
    private string[] sortedTerms = [];
    private bool termsStale;
    private long totalTokens;
    private int liveDocs;
    private long lastChange = -1;

    // Per slot, rebuilt after each change: the hot loop reads plain arrays, not records.
    private int[] slotStatus = [];
    private double[] slotNorm = [];

    private readonly record struct Posting(int Slot, double WeightedFrequency);

    private sealed record Doc(int ArticleId, int Status, int Length, string[] Terms);

    /// <summary>How long a change committed by another process may go unseen; changes made through this process are seen at once.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(250);

    private volatile bool changedHere;
    private long lastCheck;

    /// <summary>This process just wrote to the index: the next search reads the change log without waiting for the interval.</summary>
    public void MarkChanged() => changedHere = true;

    /// <summary>Loads everything the first time, then only the rows in the change log after the last one seen.</summary>
    public async Task CatchUpAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        if (lastChange >= 0 && !changedHere && System.Diagnostics.Stopwatch.GetElapsedTime(Interlocked.Read(ref lastCheck)) < CheckInterval)
        {
            return;
        }

        await catchUp.WaitAsync(cancellationToken);
        try
        {
            changedHere = false;
            Interlocked.Exchange(ref lastCheck, System.Diagnostics.Stopwatch.GetTimestamp());
            if (lastChange < 0)
            {
                var upTo = Convert.ToInt64(await ScalarAsync(connection, transaction, $"SELECT coalesce(max(Id), 0) FROM {KnowledgeBaseSql.ChangeTable}", cancellationToken) ?? 0L,
                    System.Globalization.CultureInfo.InvariantCulture);
                var rows = await ReadRowsAsync(connection, transaction, null, cancellationToken);
                Apply(rows, []);
                lastChange = upTo;
                return;
            }

            var changed = new HashSet<int>();
            var newest = lastChange;
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = $"SELECT Id, ArticleId FROM {KnowledgeBaseSql.ChangeTable} WHERE Id > $last ORDER BY Id";
                var last = command.CreateParameter();
                last.ParameterName = "$last";
                last.Value = lastChange;
                command.Parameters.Add(last);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    newest = reader.GetInt64(0);
                    changed.Add(reader.GetInt32(1));
                }
            }

            if (changed.Count > 0)
            {
                var rows = await ReadRowsAsync(connection, transaction, changed, cancellationToken);
                Apply(rows, changed);
                lastChange = newest;
            }
        }
        finally
        {
            catchUp.Release();
        }
    }

    public IReadOnlyList<SearchHit> Search(IReadOnlyList<SqliteFts5SearchEngine.TermGroup> groups, IReadOnlyCollection<ArticleStatus> statuses, int top)
    {
        gate.EnterReadLock();
        try
        {
            return Rank(groups, statuses.Select(s => (int)s).ToHashSet(), top);
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    private List<SearchHit> Rank(IReadOnlyList<SqliteFts5SearchEngine.TermGroup> groups, HashSet<int> statuses, int top)
    {
        var slots = docs.Count;
        if (slots == 0 || liveDocs == 0)
        {
            return [];
        }

        var scores = ArrayPool<double>.Shared.Rent(slots);
        var matched = ArrayPool<int>.Shared.Rent(slots);
        var lastGroup = ArrayPool<int>.Shared.Rent(slots);
        var phraseMark = ArrayPool<int>.Shared.Rent(slots);
        var touched = new List<int>();
        try
        {
            Array.Clear(scores, 0, slots);
            Array.Clear(matched, 0, slots);
            Array.Fill(lastGroup, -1, 0, slots);
            Array.Clear(phraseMark, 0, slots);
            var allowed = new bool[4];
            foreach (var status in statuses.Where(s => s is >= 0 and < 4))
            {
                allowed[status] = true;
            }

            var phrase = 0;
            for (var g = 0; g < groups.Count; g++)
            {
                foreach (var alternative in groups[g].Alternatives)
                {
                    // One FTS5 phrase: an exact term, or every term with this beginning.
                    var lists = alternative.Prefix ? PrefixLists(alternative.Term) : postings.TryGetValue(alternative.Term, out var list) ? [list] : [];
                    if (lists.Count == 0)
                    {
                        continue;
                    }

                    phrase++;
                    var hitDocs = lists.Count == 1 ? lists[0].Count : CountDistinct(lists, phraseMark, phrase);
                    var idf = Math.Log((liveDocs - hitDocs + 0.5) / (hitDocs + 0.5));
                    idf = idf <= 0 ? 1e-6 : idf;
                    var idfK = idf * (K1 + 1);
                    foreach (var l in lists)
                    {
                        foreach (var p in l)
                        {
                            var slot = p.Slot;
                            if (!allowed[slotStatus[slot]])
                            {
                                continue;
                            }

                            var f = p.WeightedFrequency;
                            scores[slot] += idfK * f / (f + slotNorm[slot]);
                            if (lastGroup[slot] != g)
                            {
                                if (lastGroup[slot] == -1)
                                {
                                    touched.Add(slot);
                                }

                                lastGroup[slot] = g;
                                matched[slot]++;
                            }
                        }
                    }
                }
            }

            var all = groups.Count;
            var some = all <= 2 ? 1 : 2;
            var best = new PriorityQueue<int, (bool All, double Score)>(top + 1, Comparer<(bool All, double Score)>.Create((a, b) =>
                a.All != b.All ? a.All.CompareTo(b.All) : a.Score.CompareTo(b.Score)));
            foreach (var slot in touched)
            {
                if (matched[slot] < some)
                {
                    continue;
                }

                best.Enqueue(slot, (matched[slot] == all, scores[slot]));
                if (best.Count > top)
                {
                    best.Dequeue();
                }
            }

            var hits = new List<SearchHit>(best.Count);
            while (best.TryDequeue(out var slot, out var key))
            {
                hits.Add(new SearchHit(docs[slot]!.ArticleId, key.Score));
            }

            hits.Reverse();
            return hits;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scores);
            ArrayPool<int>.Shared.Return(matched);
            ArrayPool<int>.Shared.Return(lastGroup);
            ArrayPool<int>.Shared.Return(phraseMark);
        }
    }

    /// <summary>Rows matching any of several terms (a prefix), each counted once: the n of the phrase's idf.</summary>
    private static int CountDistinct(List<List<Posting>> lists, int[] mark, int phrase)
    {
        var count = 0;
        foreach (var l in lists)
        {
            foreach (var p in l)
            {
                if (mark[p.Slot] != phrase)
                {
                    mark[p.Slot] = phrase;
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>
    /// The posting lists of the terms that start with <paramref name="prefix"/>. The weighted frequencies of one row
    /// over several of these terms are not merged here; a row with two such terms scores a little higher, as in FTS5.
    /// </summary>
    private List<List<Posting>> PrefixLists(string prefix)
    {
        var terms = SortedTerms();
        var start = Array.BinarySearch(terms, prefix, StringComparer.Ordinal);
        start = start < 0 ? ~start : start;
        var lists = new List<List<Posting>>();
        for (var i = start; i < terms.Length && terms[i].StartsWith(prefix, StringComparison.Ordinal); i++)
        {
            lists.Add(postings[terms[i]]);
        }

        return lists.Count <= MaxPrefixTerms ? lists : lists.OrderByDescending(l => l.Count).Take(MaxPrefixTerms).ToList();
    }

    public bool Contains(string term)
    {
        gate.EnterReadLock();
        try
        {
            return postings.ContainsKey(term);
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    public bool HasPrefix(string prefix)
    {
        var terms = ReadSortedTerms();
        var index = Array.BinarySearch(terms, prefix, StringComparer.Ordinal);
        index = index < 0 ? ~index : index;
        return index < terms.Length && terms[index].StartsWith(prefix, StringComparison.Ordinal);
    }

    public IEnumerable<string> OneEditAway(string word, int max) =>
        ReadSortedTerms().Where(t => Math.Abs(t.Length - word.Length) <= 1 && SqliteFts5SearchEngine.Vocabulary.WithinOneEdit(word, t)).Take(max).ToList();

    public IEnumerable<string> PrefixesOneEditAway(string prefix, int max)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var term in ReadSortedTerms())
        {
            for (var length = prefix.Length - 1; length <= prefix.Length + 1; length++)
            {
                if (length >= 2 && term.Length >= length && SqliteFts5SearchEngine.Vocabulary.WithinOneEdit(prefix, term.AsSpan(0, length)) && found.Add(term[..length]) && found.Count == max)
                {
                    return found;
                }
            }
        }

        return found;
    }

    private string[] ReadSortedTerms()
    {
        gate.EnterReadLock();
        try
        {
            return SortedTerms();
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <summary>Callers hold at least a read lock; a rebuild after changes happens once, by whoever needs it first.</summary>
    private string[] SortedTerms()
    {
        if (termsStale)
        {
            lock (postings)
            {
                if (termsStale)
                {
                    sortedTerms = postings.Keys.Order(StringComparer.Ordinal).ToArray();
                    termsStale = false;
                }
            }
        }

        return sortedTerms;
    }

    private sealed record Row(int ArticleId, int Status, string[][] Columns);

    private void Apply(List<Row> rows, IReadOnlyCollection<int> changed)
    {
        gate.EnterWriteLock();
        try
        {
            foreach (var articleId in changed)
            {
                Remove(articleId);
            }

            foreach (var row in rows)
            {
                Remove(row.ArticleId);
                Add(row);
            }

            termsStale = true;
            RebuildSlotArrays();
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    /// <summary>bm25's length normalisation per row, k1 × (1 − b + b × length / average length), and each row's status.</summary>
    private void RebuildSlotArrays()
    {
        var average = liveDocs == 0 ? 1 : (double)totalTokens / liveDocs;
        slotStatus = new int[docs.Count];
        slotNorm = new double[docs.Count];
        for (var slot = 0; slot < docs.Count; slot++)
        {
            if (docs[slot] is { } doc)
            {
                slotStatus[slot] = doc.Status is >= 0 and < 4 ? doc.Status : 0;
                slotNorm[slot] = K1 * (1 - B + (B * doc.Length / average));
            }
        }
    }

    private void Add(Row row)
    {
        var frequencies = new Dictionary<string, double>(StringComparer.Ordinal);
        var length = 0;
        for (var c = 0; c < row.Columns.Length; c++)
        {
            foreach (var term in row.Columns[c])
            {
                frequencies[term] = frequencies.GetValueOrDefault(term) + Weights[c];
                length++;
            }
        }

        var slot = docs.Count;
        docs.Add(new Doc(row.ArticleId, row.Status, length, [.. frequencies.Keys]));
        slotOfArticle[row.ArticleId] = slot;
        foreach (var (term, frequency) in frequencies)
        {
            if (!postings.TryGetValue(term, out var list))
            {
                postings[term] = list = [];
            }

            list.Add(new Posting(slot, frequency));
        }

        totalTokens += length;
        liveDocs++;
    }

    private void Remove(int articleId)
    {
        if (!slotOfArticle.Remove(articleId, out var slot))
        {
            return;
        }

        var doc = docs[slot]!;
        foreach (var term in doc.Terms)
        {
            var list = postings[term];
            list.RemoveAll(p => p.Slot == slot);
            if (list.Count == 0)
            {
                postings.Remove(term);
            }
        }

        docs[slot] = null;
        totalTokens -= doc.Length;
        liveDocs--;
    }

    private static async Task<List<Row>> ReadRowsAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyCollection<int>? only, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT rowid, status, title, variants, body FROM {KnowledgeBaseSql.SearchTable}" +
            (only is null ? "" : $" WHERE rowid IN ({string.Join(",", only)})");
        var rows = new List<Row>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new Row(
                reader.GetInt32(0),
                reader.GetInt32(1),
                [Split(reader.GetString(2)), Split(reader.GetString(3)), Split(reader.GetString(4))]));
        }

        return rows;
    }

    public void Dispose()
    {
        gate.Dispose();
        catchUp.Dispose();
    }

    private static string[] Split(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
