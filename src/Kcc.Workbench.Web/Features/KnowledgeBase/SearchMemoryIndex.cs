using System.Buffers;
using System.Data.Common;

namespace Kcc.Workbench.Web.Features.KnowledgeBase;

/// <summary>
/// A memory copy of the ArticleSearch FTS5 rows, ranked over plain arrays with bm25 (weighted term frequency over the
/// row as FTS5's bm25() does it: title 10, variants 5, body 1; k1 = 1.2, b = 0.75; Lucene's idf) and the rules at
/// <see cref="Rank"/>.
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

    /// <summary>Term groups beyond this many (a pasted e-mail) do not count; a question has far fewer after stop words.</summary>
    private const int MaxGroups = 64;

    // The weights below were chosen on the evaluation set (tests/.../zoekvragen-inwoners.json); neighbouring values
    // (title 1–2, variants 2–3, title share 2–4) give the same top-1, so they are not tuned to single questions.

    /// <summary>Per question word found in the title: this many times its idf on top of bm25.</summary>
    private const double TitleBonus = 2.0;

    /// <summary>Per question word found in the question variants or keywords (the kennisbeheerder's synonyms).</summary>
    private const double VariantsBonus = 2.0;

    /// <summary>On top of <see cref="TitleBonus"/>, times the share of the title the question covers: "Afvalstoffenheffing" is all title.</summary>
    private const double TitleShareBonus = 2.0;

    /// <summary>An article covering none of the question's weight keeps this share of its score; one covering all keeps all.</summary>
    private const double CoverageFloor = 0.3;

    /// <summary>A word matched through a typo correction counts for this share of its idf.</summary>
    private const double TypoWeight = 0.8;

    /// <summary>Share of a title's weight (idf) the question must carry to name that article's product.</summary>
    private const double NamesTitleShare = 0.5;

    /// <summary>idf above which a word is specific enough to name a product: in fewer than about a quarter of the articles.</summary>
    private const double NamesProductIdf = 1.0;


    private const byte TitleField = 1;
    private const byte VariantsField = 2;

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
    private int[] slotTitleTerms = [];

    private readonly record struct Posting(int Slot, double WeightedFrequency, byte Fields);

    private sealed record Doc(int ArticleId, int Status, int Length, string[] Terms, string[] TitleTerms);

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
                command.CommandText = $"SELECT Id, ArticleId FROM {KnowledgeBaseSql.ChangeTable} WHERE Id > @last ORDER BY Id";
                var last = command.CreateParameter();
                last.ParameterName = "@last";
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

    public IReadOnlyList<SearchHit> Search(IReadOnlyList<SqliteFts5SearchEngine.TermGroup> groups, SearchQuery query)
    {
        gate.EnterReadLock();
        try
        {
            return Rank(groups, query);
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <summary>
    /// Any-word ranking: every article that matches at least one term group is a candidate. Its score is bm25 (weighted
    /// term frequency over the row) plus a bonus per group found in the title or the question variants and keywords,
    /// times a factor for how much of the question it covers (idf-weighted share of the groups it matches), so an
    /// article that answers the whole question beats one that shares a single common word. With a topic, the topic's
    /// articles come first, and so do articles whose title names a product the topic's articles do not mention
    /// ("plainly names another product"); within each tier, the score decides.
    /// </summary>
    private List<SearchHit> Rank(IReadOnlyList<SqliteFts5SearchEngine.TermGroup> allGroups, SearchQuery query)
    {
        var slots = docs.Count;
        var top = query.Top;
        if (slots == 0 || liveDocs == 0)
        {
            return [];
        }

        var groups = allGroups.Count <= MaxGroups ? allGroups : allGroups.Take(MaxGroups).ToList();
        var scores = ArrayPool<double>.Shared.Rent(slots);
        var matched = ArrayPool<ulong>.Shared.Rent(slots);
        var inTitle = ArrayPool<ulong>.Shared.Rent(slots);
        var inVariants = ArrayPool<ulong>.Shared.Rent(slots);
        var phraseMark = ArrayPool<int>.Shared.Rent(slots);
        var topicMark = ArrayPool<bool>.Shared.Rent(slots);
        var touched = new List<int>();
        var topicSlots = new List<int>();
        try
        {
            Array.Clear(scores, 0, slots);
            Array.Clear(matched, 0, slots);
            Array.Clear(inTitle, 0, slots);
            Array.Clear(inVariants, 0, slots);
            Array.Clear(phraseMark, 0, slots);
            Array.Clear(topicMark, 0, slots);
            var allowed = new bool[4];
            foreach (var status in query.Statuses.Select(s => (int)s).Where(s => s is >= 0 and < 4))
            {
                allowed[status] = true;
            }

            foreach (var articleId in query.TopicArticles ?? [])
            {
                if (slotOfArticle.TryGetValue(articleId, out var slot) && allowed[slotStatus[slot]])
                {
                    topicMark[slot] = true;
                    topicSlots.Add(slot);
                }
            }

            var groupIdf = new double[groups.Count];
            ulong namedByTopic = 0;
            ulong exact = 0;
            var phrase = 0;
            for (var g = 0; g < groups.Count; g++)
            {
                var bit = 1UL << g;
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
                    var idf = Idf(hitDocs);
                    if (alternative.Typo)
                    {
                        idf *= TypoWeight;
                    }
                    else
                    {
                        exact |= bit;
                    }

                    groupIdf[g] = Math.Max(groupIdf[g], idf);
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
                            if (matched[slot] == 0)
                            {
                                touched.Add(slot);
                            }

                            matched[slot] |= bit;
                            if ((p.Fields & TitleField) != 0)
                            {
                                inTitle[slot] |= bit;
                            }

                            if ((p.Fields & VariantsField) != 0)
                            {
                                inVariants[slot] |= bit;
                            }

                            if (topicMark[slot] && (p.Fields & (TitleField | VariantsField)) != 0)
                            {
                                namedByTopic |= bit;
                            }
                        }
                    }
                }
            }

            var totalIdf = groupIdf.Sum();
            // A question whose words match no article at all finds nothing, topic or not: that is a knowledge gap.
            if (touched.Count == 0 && (groups.Count > 0 || topicSlots.Count == 0))
            {
                return [];
            }

            // Groups specific enough to name a product (in fewer than about a quarter of the articles) that no article
            // of the chosen topic has in its title, variants or keywords.
            ulong otherProduct = 0;
            for (var g = 0; g < groups.Count; g++)
            {
                if (groupIdf[g] >= NamesProductIdf && (namedByTopic & (1UL << g)) == 0 && (exact & (1UL << g)) != 0)
                {
                    otherProduct |= 1UL << g;
                }
            }

            var hasTopic = topicSlots.Count > 0;
            // First pass over every candidate; the best few are then checked for compound words (below).
            var pool = top + CompoundPool;
            var best = new PriorityQueue<int, (bool First, double Score)>(pool + 1, Order);
            (bool First, double Score) Evaluate(int slot, ulong title)
            {
                var score = Score(scores[slot], matched[slot] | title, title, inVariants[slot], slotTitleTerms[slot], groupIdf, totalIdf);
                var boosted = hasTopic && (topicMark[slot] || ((title & otherProduct) != 0 && NamesTitle(slot, title, groupIdf)));
                return (boosted, score);
            }

            void Offer(int slot, (bool First, double Score) key)
            {
                best.Enqueue(slot, key);
                if (best.Count > pool)
                {
                    best.Dequeue();
                }
            }

            foreach (var slot in touched)
            {
                Offer(slot, Evaluate(slot, inTitle[slot]));
            }

            // The topic's articles that share no word with the question still come first: the agent chose the topic.
            foreach (var slot in topicSlots)
            {
                if (matched[slot] == 0)
                {
                    Offer(slot, (true, -slot * 1e-9));
                }
            }

            // Dutch glues words together: "identiteitskaart" names the title "ID-kaart aanvragen", "geboorteaangifte"
            // the title "Geboorte aangeven". A group whose term begins or ends with a title word (or the other way round)
            // counts as found in the title.
            var ranked = new List<(int Slot, (bool First, double Score) Key)>(best.Count);
            while (best.TryDequeue(out var slot, out var key))
            {
                if (matched[slot] != 0)
                {
                    var title = inTitle[slot] | CompoundTitleMatches(slot, groups, inTitle[slot]);
                    key = title == inTitle[slot] ? key : Evaluate(slot, title);
                }

                ranked.Add((slot, key));
            }

            ranked.Sort((x, y) => Order.Compare(y.Key, x.Key));
            return ranked.Take(top).Select(r => new SearchHit(docs[r.Slot]!.ArticleId, r.Key.Score)).ToList();
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scores);
            ArrayPool<ulong>.Shared.Return(matched);
            ArrayPool<ulong>.Shared.Return(inTitle);
            ArrayPool<ulong>.Shared.Return(inVariants);
            ArrayPool<int>.Shared.Return(phraseMark);
            ArrayPool<bool>.Shared.Return(topicMark);
        }
    }

    /// <summary>
    /// bm25's idf as Lucene computes it, ln(1 + (N − n + 0.5) / (n + 0.5)): never negative, so a word in most articles
    /// ("aanvragen") still counts a little (FTS5's ln((N − n + 0.5) / (n + 0.5)) drops it to nothing).
    /// </summary>
    private double Idf(int n) => Math.Log(1 + ((liveDocs - n + 0.5) / (n + 0.5)));

    private static readonly Comparer<(bool First, double Score)> Order = Comparer<(bool First, double Score)>.Create((a, b) =>
        a.First != b.First ? a.First.CompareTo(b.First) : a.Score.CompareTo(b.Score));

    /// <summary>Candidates beyond the requested top that are checked for compound words before the final order.</summary>
    private const int CompoundPool = 20;

    /// <summary>Shortest title word (or query term) that counts as part of a compound.</summary>
    private const int CompoundPartLength = 5;

    /// <summary>Whether <paramref name="whole"/> is <paramref name="part"/> glued to another word of four letters or more.</summary>
    private static bool IsCompoundPart(string part, string whole) =>
        part.Length >= CompoundPartLength && whole.Length >= part.Length + 4 &&
        (whole.StartsWith(part, StringComparison.Ordinal) || whole.EndsWith(part, StringComparison.Ordinal));

    /// <summary>Groups not found in the title as such, but glued to a title word: "identiteitskaart" and "kaart".</summary>
    private ulong CompoundTitleMatches(int slot, IReadOnlyList<SqliteFts5SearchEngine.TermGroup> groups, ulong inTitle)
    {
        ulong found = 0;
        var titleTerms = docs[slot]!.TitleTerms;
        for (var g = 0; g < groups.Count; g++)
        {
            if ((inTitle & (1UL << g)) != 0)
            {
                continue;
            }

            foreach (var alternative in groups[g].Alternatives)
            {
                var term = alternative.Term;
                if (term.Length >= CompoundPartLength && titleTerms.Any(t => IsCompoundPart(t, term) || IsCompoundPart(term, t)))
                {
                    found |= 1UL << g;
                    break;
                }
            }
        }

        return found;
    }

    /// <summary>
    /// Whether the question names this article's product: the groups found in its title carry most of the title's
    /// weight (idf), so "rijbewijs verlengen" names "Rijbewijs verlengen" and "kwijtschelding" names "Kwijtschelding
    /// gemeentelijke belastingen", but "overleden" alone does not name "Overlijden aangeven".
    /// </summary>
    private bool NamesTitle(int slot, ulong inTitle, double[] groupIdf)
    {
        double matchedWeight = 0;
        for (var g = 0; g < groupIdf.Length; g++)
        {
            if ((inTitle & (1UL << g)) != 0)
            {
                matchedWeight += groupIdf[g];
            }
        }

        double titleWeight = 0;
        foreach (var term in docs[slot]!.TitleTerms)
        {
            var n = postings.TryGetValue(term, out var list) ? list.Count : 0;
            titleWeight += Idf(n);
        }

        return titleWeight > 0 && matchedWeight / titleWeight >= NamesTitleShare;
    }

    /// <summary>bm25 plus field bonuses, scaled by the idf-weighted share of the question's groups the article matches.</summary>
    private static double Score(double bm25, ulong matched, ulong inTitle, ulong inVariants, int titleTerms, double[] groupIdf, double totalIdf)
    {
        double covered = 0, title = 0, variants = 0;
        for (var g = 0; g < groupIdf.Length; g++)
        {
            var bit = 1UL << g;
            if ((matched & bit) != 0)
            {
                covered += groupIdf[g];
            }

            if ((inTitle & bit) != 0)
            {
                title += groupIdf[g];
            }

            if ((inVariants & bit) != 0)
            {
                variants += groupIdf[g];
            }
        }

        var coverage = totalIdf <= 0 ? 1 : covered / totalIdf;
        var titleShare = Math.Min(1.0, (double)System.Numerics.BitOperations.PopCount(inTitle) / titleTerms);
        var text = bm25 + (title * (TitleBonus + (TitleShareBonus * titleShare))) + (VariantsBonus * variants);
        return text * (CoverageFloor + ((1 - CoverageFloor) * coverage));
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
        ReadSortedTerms().Where(t => Math.Abs(t.Length - word.Length) <= 1 && DutchText.WithinOneEdit(word, t)).Take(max).ToList();

    public IEnumerable<string> PrefixesOneEditAway(string prefix, int max)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var term in ReadSortedTerms())
        {
            for (var length = prefix.Length - 1; length <= prefix.Length + 1; length++)
            {
                if (length >= 2 && term.Length >= length && DutchText.WithinOneEdit(prefix, term.AsSpan(0, length)) && found.Add(term[..length]) && found.Count == max)
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
        slotTitleTerms = new int[docs.Count];
        for (var slot = 0; slot < docs.Count; slot++)
        {
            if (docs[slot] is { } doc)
            {
                slotStatus[slot] = doc.Status is >= 0 and < 4 ? doc.Status : 0;
                slotNorm[slot] = K1 * (1 - B + (B * doc.Length / average));
                slotTitleTerms[slot] = Math.Max(1, doc.TitleTerms.Length);
            }
        }
    }

    private void Add(Row row)
    {
        var frequencies = new Dictionary<string, (double Frequency, byte Fields)>(StringComparer.Ordinal);
        var length = 0;
        for (var c = 0; c < row.Columns.Length; c++)
        {
            foreach (var term in row.Columns[c])
            {
                var (frequency, fields) = frequencies.GetValueOrDefault(term);
                frequencies[term] = (frequency + Weights[c], (byte)(fields | (1 << c)));
                length++;
            }
        }

        var slot = docs.Count;
        docs.Add(new Doc(row.ArticleId, row.Status, length, [.. frequencies.Keys], [.. row.Columns[0].Distinct(StringComparer.Ordinal)]));
        slotOfArticle[row.ArticleId] = slot;
        foreach (var (term, (frequency, fields)) in frequencies)
        {
            if (!postings.TryGetValue(term, out var list))
            {
                postings[term] = list = [];
            }

            list.Add(new Posting(slot, frequency, fields));
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
