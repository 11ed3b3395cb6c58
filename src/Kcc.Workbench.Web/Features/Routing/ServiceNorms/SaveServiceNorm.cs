using FluentValidation;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Routing.ServiceNorms;

/// <summary>
/// Sets a norm: the default of a kind (no topic), or a topic's own term for routed questions. New tasks get the
/// new term; tasks already promised keep their date.
/// </summary>
public static class SaveServiceNorm
{
    [AllowedFor(Roles.Beheerder)]
    public sealed record Command(NormKind Kind, int? TopicId, int Amount, NormUnit Unit) : IRequest<Result>;

    internal sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Kind).IsInEnum().WithMessage("Kies de soort norm.");
            RuleFor(c => c.Unit).IsInEnum().WithMessage("Kies werkdagen of kantooruren.");
            RuleFor(c => c.TopicId).Null().When(c => c.Kind != NormKind.DoorgezetteVraag)
                .WithMessage("Alleen doorgezette vragen hebben een termijn per onderwerp.");
            RuleFor(c => c.Amount).InclusiveBetween(1, NormLimits.MaxWorkingDays).When(c => c.Unit == NormUnit.Werkdagen)
                .WithMessage($"Vul een termijn in van 1 tot {NormLimits.MaxWorkingDays} werkdagen.");
            RuleFor(c => c.Amount).InclusiveBetween(1, NormLimits.MaxOfficeHours).When(c => c.Unit == NormUnit.Kantooruren)
                .WithMessage($"Vul een termijn in van 1 tot {NormLimits.MaxOfficeHours} kantooruren.");
        }
    }

    /// <summary>"DoorgezetteVraag/12": the kind, and the topic for a topic's own term.</summary>
    internal static string AuditId(NormKind kind, int? topicId) =>
        topicId is { } id ? $"{kind}/{id.ToString(DutchFormat.Culture)}" : kind.ToString();

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, TimeProvider clock, Audit.IAuditLog audit)
        : IRequestHandler<Command, Result>
    {
        public async Task<Result> Handle(Command request, CancellationToken cancellationToken)
        {
            var user = await currentUser.GetPrincipalAsync();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            if (request.TopicId is { } topicId && !await db.Topics.AnyAsync(t => t.Id == topicId, cancellationToken))
            {
                return Result.Fail(nameof(Command.TopicId), "Dit onderwerp bestaat niet. Kies een onderwerp uit de lijst.");
            }

            var norm = await db.ServiceNorms.FirstOrDefaultAsync(n => n.Kind == request.Kind && n.TopicId == request.TopicId, cancellationToken);
            var before = norm is null ? "geen eigen termijn" : NormKinds.Term(norm.Amount, norm.Unit);
            if (norm is null)
            {
                norm = new ServiceNorm { Kind = request.Kind, TopicId = request.TopicId };
                db.ServiceNorms.Add(norm);
            }

            norm.Amount = request.Amount;
            norm.Unit = request.Unit;
            norm.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            norm.UpdatedByName = user.DisplayName();
            var topic = request.TopicId is { } id ? await db.Topics.Where(t => t.Id == id).Select(t => t.Name).FirstAsync(cancellationToken) : null;
            audit.Record(db, user, "servicenorm.gewijzigd", "ServiceNorm", AuditId(request.Kind, request.TopicId),
                $"{request.Kind.Label()}{(topic is null ? "" : $" ({topic})")}: {before} → {NormKinds.Term(request.Amount, request.Unit)}");
            await db.SaveChangesAsync(cancellationToken);
            return Result.Ok();
        }
    }
}
