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

    internal sealed class Handlers(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, TimeProvider clock)
        : IRequestHandler<Save, Result>, IRequestHandler<Load, string?>, IRequestHandler<Discard, Result>, IRequestHandler<GetDefaults, AgentDefaults>
    {
        public async Task<Result> Handle(Save request, CancellationToken cancellationToken)
        {
            if (request.Json.Length > MaxJsonLength)
            {
                return Result.Fail(nameof(Save.Json), "Het concept is te groot om te bewaren.");
            }

            var agentId = (await currentUser.GetPrincipalAsync()).RequireUserId();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var now = clock.GetUtcNow().UtcDateTime;
            var updated = await db.ContactDrafts.Where(d => d.AgentId == agentId)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Json, request.Json).SetProperty(d => d.UpdatedAt, now), cancellationToken);
            if (updated == 0)
            {
                db.ContactDrafts.Add(new ContactDraft { AgentId = agentId, Json = request.Json, UpdatedAt = now });
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
                catch (DbUpdateException)
                {
                    // A second tab inserted it first; the next keystroke updates it.
                }
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
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.ContactDrafts.Where(d => d.AgentId == agentId).ExecuteDeleteAsync(cancellationToken);
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
