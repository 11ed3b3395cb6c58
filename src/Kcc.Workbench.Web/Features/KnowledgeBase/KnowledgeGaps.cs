using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.KnowledgeBase;

public sealed record KnowledgeGapGroup(string Query, int Count, DateTime LastAt, IReadOnlyList<string> Channels, string? TopicName, int? TopicId = null);

/// <summary>
/// What residents asked that the kennisbank did not answer: searches that found nothing and were not followed by an
/// article the agent used. Recorded by LogContact when the contact is saved (see there); listed here for the team lead.
/// </summary>
public static class KnowledgeGaps
{
    [AllowedFor(Roles.Teamleider, Roles.Kennisbeheerder)]
    public sealed record List(int Days = 30, int Max = 100) : IRequest<IReadOnlyList<KnowledgeGapGroup>>;

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, TimeProvider clock) : IRequestHandler<List, IReadOnlyList<KnowledgeGapGroup>>
    {
        public async Task<IReadOnlyList<KnowledgeGapGroup>> Handle(List request, CancellationToken cancellationToken)
        {
            var since = clock.GetUtcNow().UtcDateTime.AddDays(-Math.Clamp(request.Days, 1, 366));
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            return await GroupAsync(db, db.KnowledgeGaps.AsNoTracking().Where(g => g.CreatedAt >= since), Math.Clamp(request.Max, 1, 1000), cancellationToken);
        }
    }

    /// <summary>The newest 10,000 gaps of <paramref name="gaps"/>, grouped per question and the most asked first.</summary>
    internal static async Task<IReadOnlyList<KnowledgeGapGroup>> GroupAsync(KccDbContext db, IQueryable<KnowledgeGap> gaps, int max, CancellationToken cancellationToken)
    {
        // Gaps past their retention term have lost their text: they still count as rows, but there is no question to show.
        var rows = await gaps.Where(g => g.Query != Privacy.Anonymiser.Placeholder).OrderByDescending(g => g.CreatedAt).Take(10_000)
            .Select(g => new { g.Query, g.Channel, g.CreatedAt, g.TopicId, Topic = db.Topics.Where(t => t.Id == g.TopicId).Select(t => t.Name).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        // The same question typed slightly differently ("Paspoort kwijt!" / "paspoort kwijt") counts as one.
        return rows.GroupBy(g => string.Join(' ', DutchText.Terms(g.Query)))
            .Select(g => new KnowledgeGapGroup(
                g.First().Query, g.Count(), g.Max(x => x.CreatedAt),
                g.Where(x => x.Channel is not null).Select(x => Contacts.ContactLabels.Label(x.Channel!.Value)).Distinct().ToList(),
                g.Select(x => x.Topic).FirstOrDefault(t => t is not null),
                g.Select(x => x.TopicId).FirstOrDefault(t => t is not null)))
            .OrderByDescending(g => g.Count).ThenByDescending(g => g.LastAt)
            .Take(max)
            .ToList();
    }
}
