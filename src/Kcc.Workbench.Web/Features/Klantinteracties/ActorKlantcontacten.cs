using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Integrations;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kcc.Workbench.Web.Features.Klantinteracties;

/// <summary>
/// Actorklantcontacten: the actor who had each klantcontact, which is our contact's agent (an employee, or the
/// integration client that logged it). One per question; its uuid is derived from the question's id.
/// </summary>
public static class GetActorKlantcontacten
{
    [AllowedFor(Roles.Klantinteracties)]
    public sealed record Query(KiList List) : IRequest<KiPage>;

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, IOptionsMonitor<IntegrationOptions> integrations) : IRequestHandler<Query, KiPage>
    {
        public async Task<KiPage> Handle(Query request, CancellationToken cancellationToken)
        {
            var list = request.List ?? KiList.None;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var store = new KiStore(db, await ContactAccess.ForAsync(currentUser));
            var questions = store.VisibleQuestions;
            if (list.Uuid is { } uuid)
            {
                var id = KiIds.TryRead(uuid, KiIds.ActorKlantcontact, out var a) ? a : -1;
                questions = questions.Where(q => q.Id == id);
            }

            if (list.UuidFilter("klantcontact__uuid") is { } klantcontact)
            {
                var id = KiIds.TryRead(klantcontact, KiIds.Klantcontact, out var k) ? k : -1;
                questions = questions.Where(q => q.Id == id);
            }

            if (list.UuidFilter("actor__uuid") is { } actorUuid)
            {
                // Actor uuids are name hashes: find the actor, then its agent id (a team has no contacts).
                var actor = (await GetActoren.AllAsync(db, integrations.CurrentValue, cancellationToken)).FirstOrDefault(a => a.Uuid == actorUuid);
                var agentId = actor?.AgentId;
                questions = agentId is null ? questions.Where(_ => false) : questions.Where(q => q.Contact!.AgentId == agentId);
            }

            var count = await questions.CountAsync(cancellationToken);
            var rows = await questions.OrderByDescending(q => q.Id).Skip(list.Skip).Take(list.PageSize)
                .Select(q => new { q.Id, q.Contact!.AgentId, q.Contact.AgentName }).ToListAsync(cancellationToken);
            var map = new KiMapping(list.BaseUrl);
            return new KiPage(count, [.. rows.Select(r => map.ActorKlantcontact(r.Id, ActorRow.ForAgent(r.AgentId, r.AgentName)))]);
        }
    }
}

/// <summary>
/// POST /actorklantcontacten, as KISS writes it after the klantcontact: the employee who had the contact. The contact's
/// own agent again is the existing link (200). A contact that this integration client logged itself (as an upstream
/// Open Klant receives KISS's writes) becomes the named employee's contact (201, audited). Anything else is refused:
/// a contact an employee logged keeps its agent.
/// </summary>
public static class LinkActor
{
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice)]
    public sealed record Command : IRequest<Result<KiWritten>>
    {
        [System.Text.Json.Serialization.JsonRequired]
        public KiRef Actor { get; init; } = new();

        [System.Text.Json.Serialization.JsonRequired]
        public KiRef Klantcontact { get; init; } = new();
    }

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, IOptionsMonitor<IntegrationOptions> integrations, Audit.IAuditLog audit)
        : IRequestHandler<Command, Result<KiWritten>>
    {
        public async Task<Result<KiWritten>> Handle(Command request, CancellationToken cancellationToken)
        {
            var user = await currentUser.GetPrincipalAsync();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var store = new KiStore(db, ContactAccess.For(user));
            var questionId = KiIds.TryRead(request.Klantcontact.Uuid, KiIds.Klantcontact, out var q) ? q : -1;
            var question = await store.VisibleQuestions.Where(x => x.Id == questionId)
                .Select(x => new { x.Id, x.ContactId, x.Contact!.AgentId, x.Contact.AgentName }).FirstOrDefaultAsync(cancellationToken);
            if (question is null)
            {
                return Result<KiWritten>.Fail("klantcontact.uuid", "Dit klantcontact bestaat hier niet.");
            }

            // The contact's own agent is its actor even when that account is gone since.
            var uuid = KiIds.For(KiIds.ActorKlantcontact, question.Id);
            if (ActorRow.ForAgent(question.AgentId, question.AgentName).Uuid == request.Actor.Uuid)
            {
                return Result<KiWritten>.Ok(new KiWritten(uuid, false));
            }

            var actor = (await GetActoren.AllAsync(db, integrations.CurrentValue, cancellationToken)).FirstOrDefault(a => a.Uuid == request.Actor.Uuid);
            if (actor is null)
            {
                return Result<KiWritten>.Fail("actor.uuid", "Deze actor bestaat hier niet. Zoek de actor op via /actoren.");
            }

            var userId = user.RequireUserId();
            if (actor.Kind != "medewerker" || question.AgentId != userId || !userId.StartsWith("api:", StringComparison.Ordinal))
            {
                return Result<KiWritten>.Fail("actor", actor.Kind != "medewerker"
                    ? "Een klantcontact hoort hier bij een medewerker of bij de koppeling die het vastlegde, niet bij een team."
                    : "Dit klantcontact hoort al bij een medewerker of een andere koppeling; alleen een klantcontact dat u zelf vastlegde kan aan een medewerker worden gekoppeld.");
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var employeeId = actor.AgentId!;
            var changed = await db.Contacts.Where(c => c.Id == question.ContactId && c.AgentId == userId)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.AgentId, employeeId).SetProperty(c => c.AgentName, actor.Name), cancellationToken);
            if (changed == 0)
            {
                return Result<KiWritten>.Fail("actor", "Dit klantcontact is intussen aan een andere medewerker gekoppeld.");
            }

            audit.Record(db, user, "contact.medewerkergekoppeld", "Contact", question.ContactId.ToString(DutchFormat.Culture),
                $"Medewerker {actor.Name} gekoppeld via de Klantinteracties API");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Result<KiWritten>.Ok(new KiWritten(uuid, true));
        }
    }
}
