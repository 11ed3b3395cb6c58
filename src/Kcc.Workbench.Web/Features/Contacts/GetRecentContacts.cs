using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kcc.Workbench.Web.Features.Contacts;

/// <summary>
/// What the contact form shows once a party is picked: their contacts of the last 30 days on every channel,
/// and per topic the latest question within the repeat window, so the form can warn "Herhaalcontact".
/// </summary>
public static class GetRecentContacts
{
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice)]
    public sealed record Query(int PartyId) : IRequest<Response>;

    public sealed record Response(IReadOnlyList<ContactView> Contacts, IReadOnlyDictionary<int, RepeatInfo> RepeatTopics, int RepeatWindowDays, int HistoryDays);

    public sealed record RepeatInfo(long ContactId, DateTime At, Channel Channel, string TopicName, Outcome Outcome);

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, TimeProvider clock, IOptions<ContactOptions> options, ICurrentUser currentUser)
        : IRequestHandler<Query, Response>
    {
        public async Task<Response> Handle(Query request, CancellationToken cancellationToken)
        {
            // The repeat warning is built from the visible contacts only: it names the topic and moment of the earlier contact.
            var access = await ContactAccess.ForAsync(currentUser);
            var settings = options.Value;
            var now = clock.GetUtcNow().UtcDateTime;
            var historyFrom = now.AddDays(-settings.HistoryDays);
            // Calendar days on Amsterdam's clock, as the dashboard counts repeats: a week across a change of summer time is a week.
            var repeatFrom = DutchFormat.FromLocal(DutchFormat.ToLocal(now).AddDays(-settings.RepeatWindowDays)).UtcDateTime;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var contacts = await db.Contacts.AsNoTracking().VisibleTo(db, access)
                .Where(c => c.PartyId == request.PartyId && c.StartedAt >= historyFrom)
                .OrderByDescending(c => c.StartedAt)
                .ToViewsAsync(db, cancellationToken);

            var repeats = new Dictionary<int, RepeatInfo>();
            foreach (var contact in contacts.Where(c => c.StartedAt >= repeatFrom))
            {
                foreach (var question in contact.Questions)
                {
                    repeats.TryAdd(question.TopicId, new RepeatInfo(contact.Id, contact.StartedAt, contact.Channel, question.TopicName, question.Outcome));
                }
            }

            return new Response(contacts, repeats, settings.RepeatWindowDays, settings.HistoryDays);
        }
    }
}
