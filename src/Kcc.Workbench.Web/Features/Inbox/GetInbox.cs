using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Inbox;

/// <summary>The inbox: conversations waiting for an answer per written channel, oldest first, and the ones I am answering.</summary>
public static class GetInbox
{
    public const int MaxPerChannel = 200;

    [AllowedFor(Roles.Frontoffice, Roles.Teamleider)]
    public sealed record Query : IRequest<Response>;

    public sealed record Item(
        long Id, Channel Channel, string Sender, bool PartyKnown, string? Subject, string Preview, DateTime WaitingSince, DateTime DueAt,
        ConversationStatus Status, string? AssigneeName, int Messages, bool HasProblem);

    public sealed record ChannelWaiting(Channel Channel, int Open, int Overdue, IReadOnlyList<Item> Items);

    public sealed record Response(IReadOnlyList<ChannelWaiting> Channels, IReadOnlyList<Item> Mine, DateTime Now);

    public static readonly Channel[] Channels = [Channel.Email, Channel.WhatsApp];

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, TimeProvider clock) : IRequestHandler<Query, Response>
    {
        public async Task<Response> Handle(Query request, CancellationToken cancellationToken)
        {
            var me = (await currentUser.GetPrincipalAsync()).RequireUserId();
            var now = clock.GetUtcNow().UtcDateTime;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var queues = new List<ChannelWaiting>();
            foreach (var channel in Channels)
            {
                var waiting = db.Set<Conversation>().Where(c => c.Status != ConversationStatus.Beantwoord && c.Channel == channel);
                var open = await waiting.CountAsync(cancellationToken);
                var overdue = await waiting.CountAsync(c => c.DueAt < now, cancellationToken);
                var items = await Project(waiting.OrderBy(c => c.WaitingSince).ThenBy(c => c.Id).Take(MaxPerChannel)).ToListAsync(cancellationToken);
                queues.Add(new ChannelWaiting(channel, open, overdue, items));
            }

            var mine = await Project(db.Set<Conversation>().Where(c => c.Status == ConversationStatus.InBehandeling && c.AssigneeId == me)
                .OrderBy(c => c.WaitingSince)).ToListAsync(cancellationToken);
            return new Response(queues, mine, now);
        }

        private static IQueryable<Item> Project(IQueryable<Conversation> conversations) => conversations.Select(c => new Item(
            c.Id,
            c.Channel,
            c.Party != null ? (c.Party.OrganisationName ?? ((c.Party.FirstNames ?? "") + " " + (c.Party.Prefix != null ? c.Party.Prefix + " " : "") + (c.Party.LastName ?? "")))
                : c.SenderName ?? c.Address,
            c.PartyId != null,
            c.Subject,
            c.Messages.Where(m => m.Direction == Direction.Inkomend).OrderByDescending(m => m.SentAt).Select(m => m.Body.Substring(0, 160)).FirstOrDefault() ?? "",
            c.WaitingSince,
            c.DueAt,
            c.Status,
            c.AssigneeName,
            c.Messages.Count,
            c.Messages.Any(m => m.Problem != null)));
    }
}
