using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Contacts;

/// <summary>The agent's unsaved contact form, stored as JSON so a reload or dropped connection loses nothing.</summary>
public static class ContactDrafts
{
    /// <summary>Generous, but bounded: a draft is at most 20 questions of 5,000 characters plus party fields.</summary>
    public const int MaxJsonLength = 200_000;

    [AllowedFor(Roles.Frontoffice, Roles.Backoffice)]
    public sealed record Save(string Json) : IRequest<Result>;

    [AllowedFor(Roles.Frontoffice, Roles.Backoffice)]
    public sealed record Load : IRequest<string?>;

    [AllowedFor(Roles.Frontoffice, Roles.Backoffice)]
    public sealed record Discard : IRequest<Result>;

    /// <summary>What a new form starts with: the agent's remembered channel.</summary>
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice)]
    public sealed record GetDefaults : IRequest<AgentDefaults>;

    public sealed record AgentDefaults(Channel Channel);

    internal sealed class Handlers(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, TimeProvider clock, WriteBatcher writer)
        : IRequestHandler<Save, Result>, IRequestHandler<Load, string?>, IRequestHandler<Discard, Result>, IRequestHandler<GetDefaults, AgentDefaults>
    {
        public async Task<Result> Handle(Save request, CancellationToken cancellationToken)
        {
            if (request.Json.Length > MaxJsonLength)
            {
                return Result.Fail(nameof(Save.Json), "Het concept is te groot om te bewaren.");
            }

            var agentId = (await currentUser.GetPrincipalAsync()).RequireUserId();
            var now = clock.GetUtcNow().UtcDateTime;
            // Through the group commit that contact saves use: a draft shares their transaction and fsync instead of
            // competing with them for SQLite's one writer.
            try
            {
                await writer.WriteAsync<bool>(async (db, ct) =>
                {
                    var updated = await db.ContactDrafts.Where(d => d.AgentId == agentId)
                        .ExecuteUpdateAsync(s => s.SetProperty(d => d.Json, request.Json).SetProperty(d => d.UpdatedAt, now), ct);
                    if (updated == 0)
                    {
                        db.ContactDrafts.Add(new ContactDraft { AgentId = agentId, Json = request.Json, UpdatedAt = now });
                    }

                    return () => true;
                }, cancellationToken);
            }
            catch (DbUpdateException)
            {
                // A second tab of the same agent inserted it first; the next change updates it.
            }

            return Result.Ok();
        }

        public async Task<string?> Handle(Load request, CancellationToken cancellationToken)
        {
            var agentId = (await currentUser.GetPrincipalAsync()).RequireUserId();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            return await db.ContactDrafts.Where(d => d.AgentId == agentId).Select(d => d.Json).FirstOrDefaultAsync(cancellationToken);
        }

        public async Task<Result> Handle(Discard request, CancellationToken cancellationToken)
        {
            var agentId = (await currentUser.GetPrincipalAsync()).RequireUserId();
            // Through the same queue as Save: a draft save still waiting in the group commit lands before this delete,
            // not after it (which would bring a thrown-away draft back).
            await writer.WriteAsync<bool>(async (db, ct) =>
            {
                await db.ContactDrafts.Where(d => d.AgentId == agentId).ExecuteDeleteAsync(ct);
                return () => true;
            }, cancellationToken);
            return Result.Ok();
        }

        public async Task<AgentDefaults> Handle(GetDefaults request, CancellationToken cancellationToken)
        {
            var agentId = (await currentUser.GetPrincipalAsync()).RequireUserId();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var channel = await db.Users.Where(u => u.Id == agentId).Select(u => u.DefaultChannel).FirstOrDefaultAsync(cancellationToken);
            return new AgentDefaults(channel ?? Channel.Telefoon);
        }
    }
}
