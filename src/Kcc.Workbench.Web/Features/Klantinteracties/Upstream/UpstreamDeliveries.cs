using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Klantinteracties.Upstream;

public sealed record UpstreamDeliveryRow(long Id, long ContactId, UpstreamStatus Status, int Attempts, DateTime CreatedAt, DateTime NextAttemptAt, string? LastError);

/// <summary>What the beheerder sees of the upstream outbox: counts per status and the deliveries still waiting or failed.</summary>
public static class GetUpstreamDeliveries
{
    [AllowedFor(Roles.Beheerder)]
    public sealed record Query : IRequest<Response>;

    public sealed record Response(int Waiting, int Failed, int Delivered, IReadOnlyList<UpstreamDeliveryRow> Open);

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory) : IRequestHandler<Query, Response>
    {
        public async Task<Response> Handle(Query request, CancellationToken cancellationToken)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var counts = await db.Set<UpstreamDelivery>().GroupBy(d => d.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
            var open = await db.Set<UpstreamDelivery>().Where(d => d.Status != UpstreamStatus.Afgeleverd)
                .OrderByDescending(d => d.Status).ThenBy(d => d.Id).Take(200)
                .Select(d => new UpstreamDeliveryRow(d.Id, d.ContactId, d.Status, d.Attempts, d.CreatedAt, d.NextAttemptAt, d.LastError)).ToListAsync(cancellationToken);
            return new Response(counts.GetValueOrDefault(UpstreamStatus.Wachtend), counts.GetValueOrDefault(UpstreamStatus.Mislukt), counts.GetValueOrDefault(UpstreamStatus.Afgeleverd), open);
        }
    }
}

/// <summary>A beheerder sends a failed (or waiting) delivery again now; what was created upstream already is not created twice.</summary>
public static class RetryUpstreamDelivery
{
    [AllowedFor(Roles.Beheerder)]
    public sealed record Command(long? DeliveryId) : IRequest<Result>;

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, TimeProvider clock, ICurrentUser currentUser, Audit.IAuditLog audit, UpstreamSignal signal)
        : IRequestHandler<Command, Result>
    {
        public async Task<Result> Handle(Command request, CancellationToken cancellationToken)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var deliveries = db.Set<UpstreamDelivery>().Where(d => d.Status != UpstreamStatus.Afgeleverd);
            if (request.DeliveryId is { } id)
            {
                deliveries = deliveries.Where(d => d.Id == id);
            }

            var changed = await deliveries.ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, UpstreamStatus.Wachtend).SetProperty(d => d.NextAttemptAt, now).SetProperty(d => d.Attempts, 0), cancellationToken);
            if (changed == 0)
            {
                return Result.Fail(nameof(Command.DeliveryId), "Er is niets om opnieuw te versturen.");
            }

            audit.Record(db, await currentUser.GetPrincipalAsync(), "upstream.opnieuw", "UpstreamDelivery", request.DeliveryId?.ToString(DutchFormat.Culture) ?? "alle", $"{changed} opnieuw in de wachtrij");
            await db.SaveChangesAsync(cancellationToken);
            signal.Wake();
            return Result.Ok();
        }
    }
}
