using System.Text.Json.Serialization;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Klantinteracties;

/// <summary>
/// POST /onderwerpobjecten: the UPL product a klantcontact was about. Each of our questions has exactly one topic, so
/// this sets it: the topic it already has is the existing onderwerpobject (200); another known UPL product changes the
/// question's topic (201, audited), as KISS writes the onderwerpobject after the klantcontact.
/// </summary>
public static class SetOnderwerpobject
{
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice)]
    public sealed record Command : IRequest<Result<KiWritten>>
    {
        [JsonRequired]
        public KiRef Klantcontact { get; init; } = new();

        /// <summary>Only null: a klantcontact as the subject of another is not something we keep.</summary>
        public KiRef? WasKlantcontact { get; init; }

        [JsonRequired]
        public OnderwerpobjectidentificatorInput Onderwerpobjectidentificator { get; init; } = new();
    }

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, Audit.IAuditLog audit) : IRequestHandler<Command, Result<KiWritten>>
    {
        public async Task<Result<KiWritten>> Handle(Command request, CancellationToken cancellationToken)
        {
            if (request.WasKlantcontact is not null)
            {
                return Result<KiWritten>.Fail("wasKlantcontact", "Wij bewaren als onderwerp alleen een product uit de UPL; laat wasKlantcontact leeg.");
            }

            var identificator = request.Onderwerpobjectidentificator;
            if (!identificator.IsUpl())
            {
                return Result<KiWritten>.Fail("onderwerpobjectidentificator.codeRegister", OnderwerpobjectidentificatorInput.OnlyUpl);
            }

            var user = await currentUser.GetPrincipalAsync();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var store = new KiStore(db, ContactAccess.For(user));
            var questionId = KiIds.TryRead(request.Klantcontact.Uuid, KiIds.Klantcontact, out var q) ? q : -1;
            var question = await store.VisibleQuestions.Where(x => x.Id == questionId).Select(x => new { x.Id, x.ContactId, x.TopicId }).FirstOrDefaultAsync(cancellationToken);
            if (question is null)
            {
                return Result<KiWritten>.Fail("klantcontact.uuid", "Dit klantcontact bestaat hier niet.");
            }

            var uri = identificator.ObjectId?.Trim() ?? "";
            var topic = uri.Length == 0 ? null : await db.Topics.Where(t => t.Uri == uri).Select(t => new { t.Id, t.Name }).FirstOrDefaultAsync(cancellationToken);
            if (topic is null)
            {
                return Result<KiWritten>.Fail("onderwerpobjectidentificator.objectId", "Dit onderwerp kennen wij niet. Geef de UPL-URI van een onderwerp (product) van de gemeente.");
            }

            var uuid = KiIds.For(KiIds.Onderwerpobject, question.Id);
            if (topic.Id == question.TopicId)
            {
                return Result<KiWritten>.Ok(new KiWritten(uuid, false));
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Questions.Where(x => x.Id == question.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.TopicId, topic.Id), cancellationToken);
            audit.Record(db, user, "vraag.onderwerpgewijzigd", "Contact", question.ContactId.ToString(DutchFormat.Culture),
                $"Onderwerp van vraag {question.Id.ToString(DutchFormat.Culture)} gewijzigd in {topic.Name} via de Klantinteracties API");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Result<KiWritten>.Ok(new KiWritten(uuid, true));
        }
    }
}
