using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Inbox;

/// <summary>
/// Taking conversations, as in the team queue: a conditional UPDATE that only matches while nobody has the
/// conversation, so two agents never get the same one (works the same on SQLite and PostgreSQL).
/// </summary>
public static class ClaimConversation
{
    public const string QueueField = "Inbox";
    private const int MaxAttempts = 25;

    /// <summary>"Volgende pakken": the open conversation of the channel (or any written channel) that waits longest.</summary>
    [AllowedFor(Roles.Frontoffice)]
    public sealed record TakeNext(Channel? Channel = null) : IRequest<Result<long>>;

    /// <summary>Opens one conversation from the list to answer it: takes it when free, or it is already mine.</summary>
    [AllowedFor(Roles.Frontoffice)]
    public sealed record Take(long ConversationId) : IRequest<Result<long>>;

    /// <summary>Puts my conversation back in the inbox unanswered.</summary>
    [AllowedFor(Roles.Frontoffice)]
    public sealed record Release(long ConversationId) : IRequest<Result>;

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, TimeProvider clock, ILiveUpdates live)
        : IRequestHandler<TakeNext, Result<long>>, IRequestHandler<Take, Result<long>>, IRequestHandler<Release, Result>
    {
        public async Task<Result<long>> Handle(TakeNext request, CancellationToken cancellationToken)
        {
            var user = await currentUser.GetPrincipalAsync();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var open = db.Set<Conversation>().Where(c => c.Status == ConversationStatus.Open && c.AssigneeId == null);
                if (request.Channel is { } channel)
                {
                    open = open.Where(c => c.Channel == channel);
                }

                var candidate = await open.OrderBy(c => c.WaitingSince).ThenBy(c => c.Id).Select(c => (long?)c.Id).FirstOrDefaultAsync(cancellationToken);
                if (candidate is not { } id)
                {
                    return Result<long>.Fail(QueueField, "Er wachten geen berichten meer in de inbox.");
                }

                if (await TryClaimAsync(db, id, user.RequireUserId(), user.DisplayName(), cancellationToken))
                {
                    live.InboxChanged();
                    return Result<long>.Ok(id);
                }

                // A colleague took it between our read and our update: the next one.
            }

            return Result<long>.Fail(QueueField, "Het lukte niet om een gesprek te pakken omdat collega's tegelijk pakten. Probeer het nog eens.");
        }

        public async Task<Result<long>> Handle(Take request, CancellationToken cancellationToken)
        {
            var user = await currentUser.GetPrincipalAsync();
            var me = user.RequireUserId();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var current = await db.Set<Conversation>().Where(c => c.Id == request.ConversationId)
                .Select(c => new { c.Status, c.AssigneeId, c.AssigneeName }).FirstOrDefaultAsync(cancellationToken);
            if (current is null)
            {
                return Result<long>.Fail(QueueField, "Dit gesprek bestaat niet.");
            }

            if (current.AssigneeId == me || current.Status == ConversationStatus.Beantwoord)
            {
                // Mine already, or answered: open it to read.
                return Result<long>.Ok(request.ConversationId);
            }

            if (await TryClaimAsync(db, request.ConversationId, me, user.DisplayName(), cancellationToken))
            {
                live.InboxChanged();
                return Result<long>.Ok(request.ConversationId);
            }

            var holder = await db.Set<Conversation>().Where(c => c.Id == request.ConversationId).Select(c => c.AssigneeName).FirstOrDefaultAsync(cancellationToken);
            return Result<long>.Fail(QueueField, $"{holder ?? "Een collega"} beantwoordt dit gesprek al. Kies een ander gesprek.");
        }

        public async Task<Result> Handle(Release request, CancellationToken cancellationToken)
        {
            var me = (await currentUser.GetPrincipalAsync()).RequireUserId();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var now = clock.GetUtcNow().UtcDateTime;
            var released = await db.Set<Conversation>()
                .Where(c => c.Id == request.ConversationId && c.AssigneeId == me && c.Status == ConversationStatus.InBehandeling)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.Status, ConversationStatus.Open)
                    .SetProperty(c => c.AssigneeId, (string?)null)
                    .SetProperty(c => c.AssigneeName, (string?)null)
                    .SetProperty(c => c.ClaimedAt, (DateTime?)null)
                    .SetProperty(c => c.Version, c => c.Version + 1)
                    .SetProperty(c => c.UpdatedAt, now), cancellationToken);
            if (released == 0)
            {
                return Result.Fail(QueueField, "Dit gesprek is niet (meer) van u.");
            }

            live.InboxChanged();
            return Result.Ok();
        }

        private async Task<bool> TryClaimAsync(KccDbContext db, long id, string me, string myName, CancellationToken cancellationToken)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var taken = await db.Set<Conversation>()
                .Where(c => c.Id == id && c.AssigneeId == null && c.Status == ConversationStatus.Open)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.Status, ConversationStatus.InBehandeling)
                    .SetProperty(c => c.AssigneeId, me)
                    .SetProperty(c => c.AssigneeName, myName)
                    .SetProperty(c => c.ClaimedAt, now)
                    .SetProperty(c => c.Version, c => c.Version + 1)
                    .SetProperty(c => c.UpdatedAt, now), cancellationToken);
            return taken == 1;
        }
    }
}
