using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Routing;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Klantinteracties;

/// <summary>
/// PATCH /internetaken/{uuid} with status verwerkt: a back-office system completes the task with its result (in
/// toelichting), through <see cref="CompleteTask"/> exactly as the task page does (log line, audit, the routing agent's
/// bell). Other changes to a task stay with the workbench.
/// </summary>
public static class CompleteInterneTaak
{
    [AllowedFor(Roles.Backoffice, Roles.Teamleider)]
    public sealed record Command : IRequest<Result<long>>
    {
        /// <summary>From the route, not the body.</summary>
        [System.Text.Json.Serialization.JsonIgnore]
        public Guid Uuid { get; init; }

        public string? Status { get; init; }

        public string? Toelichting { get; init; }
    }

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, IMediator mediator) : IRequestHandler<Command, Result<long>>
    {
        public const string NotFound = "uuid";

        public async Task<Result<long>> Handle(Command request, CancellationToken cancellationToken)
        {
            var user = await currentUser.GetPrincipalAsync();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var id = KiIds.TryRead(request.Uuid, KiIds.Internetaak, out var t) ? t : -1;
            var task = await db.InternalTasks.WithVisibleContact(db, ContactAccess.For(user)).Where(x => x.Id == id)
                .Select(x => new { x.Id, x.Version, x.Status }).FirstOrDefaultAsync(cancellationToken);
            if (task is null)
            {
                return Result<long>.Fail(NotFound, "Deze interne taak bestaat niet.");
            }

            if (request.Status is not ("verwerkt" or "te_verwerken" or null))
            {
                return Result<long>.Fail("status", "Kies te_verwerken of verwerkt.");
            }

            if (request.Status != "verwerkt")
            {
                return task.Status == InternalTaskStatus.Verwerkt
                    ? Result<long>.Fail("status", "Deze taak is al afgerond; een afgeronde taak gaat niet terug naar te_verwerken.")
                    : Result<long>.Fail("status", "Via deze koppeling kan een taak alleen worden afgerond: stuur status verwerkt met het resultaat in toelichting.");
            }

            var result = await mediator.Send(new CompleteTask.Command(task.Id, task.Version, request.Toelichting), cancellationToken);
            return result.Succeeded
                ? Result<long>.Ok(task.Id)
                : Result<long>.Fail(result.Errors.ToDictionary(e => e.Key switch { "Result" => "toelichting", "TaskId" or "Version" => "status", _ => e.Key }, e => e.Value));
        }
    }
}
