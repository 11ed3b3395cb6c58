using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Parties;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kcc.Workbench.Web.Features.Privacy;

public sealed record AnonymisationReport(int Parties, int Contacts, int Questions);

/// <summary>
/// Removes personal data — names, identifiers, addresses, contact details, free text — and keeps what the
/// statistics need (channel, topic, outcome, times, the link between a party's contacts), so dashboards over past
/// years stay right. Used by the daily retention job and by an AVG art. 17 request.
/// </summary>
public sealed class Anonymiser(IDbContextFactory<KccDbContext> dbFactory, TimeProvider clock, IOptions<RetentionOptions> options)
{
    public const string Placeholder = "[geanonimiseerd]";

    /// <summary>Everything past its retention term. Idempotent: anonymised data is not touched again.</summary>
    public async Task<AnonymisationReport> AnonymiseExpiredAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var contactLimit = now.AddYears(-options.Value.ContactYears);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var contacts = await db.Contacts.CountAsync(c => c.EndedAt < contactLimit && c.Questions.Any(q => q.Text != Placeholder), cancellationToken);
        var questions = await db.Questions
            .Where(q => q.Contact!.EndedAt < contactLimit && q.Text != Placeholder)
            .ExecuteUpdateAsync(s => s.SetProperty(q => q.Text, Placeholder).SetProperty(q => q.Answer, (string?)null), cancellationToken);

        // A party whose last contact ended before the term (and that was registered before it) is anonymised.
        var expiredParties = await db.Parties
            .Where(p => p.AnonymisedAt == null && p.CreatedAt < contactLimit && !db.Contacts.Any(c => c.PartyId == p.Id && c.EndedAt >= contactLimit))
            .Select(p => p.Id)
            .ToListAsync(cancellationToken);
        var parties = await AnonymisePartiesAsync(db, expiredParties, now, cancellationToken);

        await transaction.CommitAsync(cancellationToken);
        return new AnonymisationReport(parties, contacts, questions);
    }

    /// <summary>AVG art. 17: the party and the free text of all their contacts, now.</summary>
    public async Task<AnonymisationReport> AnonymisePartyAsync(int partyId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var questions = await db.Questions
            .Where(q => q.Contact!.PartyId == partyId && q.Text != Placeholder)
            .ExecuteUpdateAsync(s => s.SetProperty(q => q.Text, Placeholder).SetProperty(q => q.Answer, (string?)null), cancellationToken);
        var contacts = await db.Contacts.CountAsync(c => c.PartyId == partyId, cancellationToken);
        var parties = await AnonymisePartiesAsync(db, [partyId], now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AnonymisationReport(parties, contacts, questions);
    }

    private static async Task<int> AnonymisePartiesAsync(KccDbContext db, List<int> partyIds, DateTime now, CancellationToken cancellationToken)
    {
        var total = 0;
        foreach (var chunk in partyIds.Chunk(500))
        {
            await db.PartyContactDetails.Where(d => chunk.Contains(d.PartyId)).ExecuteDeleteAsync(cancellationToken);
            total += await db.Parties.Where(p => chunk.Contains(p.Id)).ExecuteUpdateAsync(s => s
                .SetProperty(p => p.FirstNames, (string?)null)
                .SetProperty(p => p.Prefix, (string?)null)
                .SetProperty(p => p.LastName, p => p.Kind == PartyKind.Person ? "Geanonimiseerd" : null)
                .SetProperty(p => p.OrganisationName, p => p.Kind == PartyKind.Organisation ? "Geanonimiseerd" : null)
                .SetProperty(p => p.Bsn, (string?)null)
                .SetProperty(p => p.DateOfBirth, (DateOnly?)null)
                .SetProperty(p => p.KvkNumber, (string?)null)
                .SetProperty(p => p.BranchNumber, (string?)null)
                .SetProperty(p => p.Street, (string?)null)
                .SetProperty(p => p.HouseNumber, (int?)null)
                .SetProperty(p => p.HouseNumberAddition, (string?)null)
                .SetProperty(p => p.Postcode, (string?)null)
                .SetProperty(p => p.City, (string?)null)
                .SetProperty(p => p.SearchName, "")
                .SetProperty(p => p.AnonymisedAt, now)
                .SetProperty(p => p.Version, p => p.Version + 1), cancellationToken);
        }

        return total;
    }
}
