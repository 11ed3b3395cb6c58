using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Contacts;

/// <summary>Contacts by party, period (Amsterdam dates), channel, topic and outcome; newest first, paged.</summary>
public static class SearchContacts
{
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice, Roles.Teamleider, Roles.Beheerder)]
    public sealed record Query : IRequest<Response>
    {
        /// <summary>Name, BSN, phone, e-mail, postcode: the same text FindParties understands.</summary>
        public string? Party { get; init; }
        public DateOnly? From { get; init; }
        public DateOnly? To { get; init; }
        public Channel? Channel { get; init; }
        public int? TopicId { get; init; }
        public Outcome? Outcome { get; init; }
        public int Page { get; init; }
        public int PageSize { get; init; } = 50;
    }

    /// <summary>"Mijn contacten": the signed-in agent's contacts of today.</summary>
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice)]
    public sealed record MyContactsToday : IRequest<Response>;

    public sealed record Response(IReadOnlyList<ContactView> Contacts, int Total, string? Message = null);

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, IMediator mediator, ICurrentUser currentUser, TimeProvider clock)
        : IRequestHandler<Query, Response>, IRequestHandler<MyContactsToday, Response>
    {
        public async Task<Response> Handle(Query request, CancellationToken cancellationToken)
        {
            if (request.From is { } f && request.To is { } t && t < f)
            {
                return new Response([], 0, "De einddatum ligt vóór de begindatum.");
            }

            if (OutOfRange(request.From) || OutOfRange(request.To))
            {
                return new Response([], 0, "Kies een datum tussen 1 januari 2000 en 31 december 2099.");
            }

            var access = await ContactAccess.ForAsync(currentUser);
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var contacts = db.Contacts.AsNoTracking().VisibleTo(db, access);
            if (!string.IsNullOrWhiteSpace(request.Party))
            {
                var found = await mediator.Send(new FindParties.Query(request.Party, 50), cancellationToken);
                if (found.Matches.Count == 0)
                {
                    return new Response([], 0, found.Hint ?? "Geen inwoner gevonden.");
                }

                var partyIds = found.Matches.Select(m => m.Id).ToList();
                contacts = contacts.Where(c => c.PartyId != null && partyIds.Contains(c.PartyId.Value));
            }

            if (request.From is { } from)
            {
                var fromUtc = DutchFormat.FromLocal(from.ToDateTime(TimeOnly.MinValue)).UtcDateTime;
                contacts = contacts.Where(c => c.StartedAt >= fromUtc);
            }

            if (request.To is { } to)
            {
                var toUtc = DutchFormat.FromLocal(to.AddDays(1).ToDateTime(TimeOnly.MinValue)).UtcDateTime;
                contacts = contacts.Where(c => c.StartedAt < toUtc);
            }

            if (request.Channel is { } channel)
            {
                contacts = contacts.Where(c => c.Channel == channel);
            }

            if (request.TopicId is { } topicId)
            {
                contacts = contacts.Where(c => c.Questions.Any(q => q.TopicId == topicId));
            }

            if (request.Outcome is { } outcome)
            {
                contacts = contacts.Where(c => c.Questions.Any(q => q.Outcome == outcome));
            }

            var pageSize = Math.Clamp(request.PageSize, 1, 200);
            var total = await contacts.CountAsync(cancellationToken);
            var page = await contacts.OrderByDescending(c => c.StartedAt)
                .Skip(Math.Clamp(request.Page, 0, 10_000) * pageSize).Take(pageSize)
                .ToViewsAsync(db, cancellationToken);
            return new Response(page, total);
        }

        private static bool OutOfRange(DateOnly? date) => date is { } d && (d.Year < 2000 || d.Year > 2099);

        public async Task<Response> Handle(MyContactsToday request, CancellationToken cancellationToken)
        {
            var access = await ContactAccess.ForAsync(currentUser);
            var agentId = access.UserId;
            var today = DutchFormat.ToLocal(clock.GetUtcNow()).Date;
            var fromUtc = DutchFormat.FromLocal(today).UtcDateTime;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var contacts = await db.Contacts.AsNoTracking().VisibleTo(db, access)
                .Where(c => c.AgentId == agentId && c.StartedAt >= fromUtc)
                .OrderByDescending(c => c.StartedAt)
                .ToViewsAsync(db, cancellationToken);
            return new Response(contacts, contacts.Count);
        }
    }
}
