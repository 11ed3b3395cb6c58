using System.Collections.Concurrent;
using Kcc.Workbench.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Topics;

/// <summary>
/// Which topic ids exist, for the check every contact save makes. Topics are added (UPL import) but never deleted, so
/// an id once found stays valid: only ids not seen before go to the database (also an id added on another server).
/// </summary>
public sealed class KnownTopics
{
    private readonly ConcurrentDictionary<int, bool> known = new();

    /// <summary>The ids among <paramref name="ids"/> that are not topics.</summary>
    public async Task<IReadOnlyList<int>> UnknownAsync(KccDbContext db, IReadOnlyCollection<int> ids, CancellationToken cancellationToken)
    {
        var unseen = ids.Where(id => !known.ContainsKey(id)).Distinct().ToList();
        if (unseen.Count == 0)
        {
            return [];
        }

        var found = await db.Topics.Where(t => unseen.Contains(t.Id)).Select(t => t.Id).ToListAsync(cancellationToken);
        foreach (var id in found)
        {
            known.TryAdd(id, true);
        }

        return unseen.Except(found).ToList();
    }
}
