using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Routing.ServiceNorms;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Inbox;

/// <summary>
/// First-reply time per written channel for the dashboard: from the resident's first message to our first reply,
/// for conversations first answered in the period, beside the channel's service norm (e-mail 2 working days,
/// WhatsApp 4 office hours by default): how many were answered within it, and how many still wait past it now.
/// </summary>
public static class GetFirstReplyTimes
{
    [AllowedFor(Roles.Teamleider, Roles.Beheerder)]
    public sealed record Query(DateOnly From, DateOnly To) : IRequest<IReadOnlyList<Row>>;

    public sealed record Row(Channel Channel, string Norm, int Answered, double AverageHours, double P90Hours, int WithinNorm, int WaitingPastNorm);

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, InboxNorms norms, PromisedDates promisedDates, TimeProvider clock)
        : IRequestHandler<Query, IReadOnlyList<Row>>
    {
        public async Task<IReadOnlyList<Row>> Handle(Query request, CancellationToken cancellationToken)
        {
            // A period outside any data (year 1, say) is clamped, not an error: the table is then simply empty.
            static DateOnly Clamp(DateOnly day) => day < new DateOnly(2000, 1, 1) ? new DateOnly(2000, 1, 1) : day > new DateOnly(2100, 1, 1) ? new DateOnly(2100, 1, 1) : day;
            var from = DutchFormat.FromLocal(Clamp(request.From).ToDateTime(TimeOnly.MinValue)).UtcDateTime;
            var to = DutchFormat.FromLocal(Clamp(request.To).AddDays(1).ToDateTime(TimeOnly.MinValue)).UtcDateTime;
            var now = clock.GetUtcNow().UtcDateTime;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var rows = new List<Row>();
            foreach (var channel in GetInbox.Channels)
            {
                var (amount, unit) = await norms.NormAsync(db, channel, cancellationToken);
                var answered = await db.Set<Conversation>().AsNoTracking()
                    .Where(c => c.Channel == channel && c.FirstReplyAt >= from && c.FirstReplyAt < to)
                    .Select(c => new { FirstReplyAt = c.FirstReplyAt!.Value, FirstMessage = c.Messages.Where(m => m.Direction == Direction.Inkomend).Min(m => (DateTime?)m.SentAt) })
                    .ToListAsync(cancellationToken);
                var measured = answered.Where(a => a.FirstMessage is not null && a.FirstReplyAt >= a.FirstMessage).ToList();
                var hours = measured.Select(a => (a.FirstReplyAt - a.FirstMessage!.Value).TotalHours).Order().ToList();
                var within = measured.Count(a => a.FirstReplyAt <= promisedDates.Apply(a.FirstMessage!.Value, amount, unit));
                var waiting = await db.Set<Conversation>().CountAsync(c => c.Channel == channel && c.FirstReplyAt == null && c.Status != ConversationStatus.Beantwoord && c.DueAt < now, cancellationToken);
                rows.Add(new Row(channel, NormKinds.Term(amount, unit), hours.Count, hours.Count == 0 ? 0 : hours.Average(),
                    hours.Count == 0 ? 0 : hours[Math.Max(0, (int)Math.Ceiling(0.9 * hours.Count) - 1)], within, waiting));
            }

            return rows;
        }
    }
}
