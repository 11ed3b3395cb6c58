using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Routing.ServiceNorms;

/// <summary>The norms screen: the default per kind, the topics with a term of their own, and the office calendar they count in.</summary>
public static class GetServiceNorms
{
    [AllowedFor(Roles.Beheerder)]
    public sealed record Query : IRequest<Response>;

    public sealed record KindNorm(NormKind Kind, int Amount, NormUnit Unit, int DefaultAmount, NormUnit DefaultUnit, DateTime? UpdatedAt, string? UpdatedByName);

    public sealed record TopicNorm(int TopicId, string TopicName, int Amount, NormUnit Unit, DateTime UpdatedAt, string? UpdatedByName);

    public sealed record Response(IReadOnlyList<KindNorm> Kinds, IReadOnlyList<TopicNorm> Topics, OfficeHoursOptions OfficeHours, IReadOnlyList<Holiday> Holidays);

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, OfficeCalendar calendar, TimeProvider clock) : IRequestHandler<Query, Response>
    {
        public async Task<Response> Handle(Query request, CancellationToken cancellationToken)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var norms = await db.ServiceNorms.AsNoTracking().Where(n => n.TopicId == null).ToListAsync(cancellationToken);
            var kinds = NormKinds.All.Select(kind =>
            {
                var (amount, unit) = NormKinds.Default(kind);
                var norm = norms.FirstOrDefault(n => n.Kind == kind);
                return new KindNorm(kind, norm?.Amount ?? amount, norm?.Unit ?? unit, amount, unit, norm?.UpdatedAt, norm?.UpdatedByName);
            }).ToList();
            var topics = await db.ServiceNorms.AsNoTracking().Where(n => n.TopicId != null && n.Kind == NormKind.DoorgezetteVraag)
                .OrderBy(n => n.Topic!.Name)
                .Select(n => new TopicNorm(n.TopicId!.Value, n.Topic!.Name, n.Amount, n.Unit, n.UpdatedAt, n.UpdatedByName))
                .ToListAsync(cancellationToken);
            var year = DutchFormat.ToLocal(clock.GetUtcNow()).Year;
            return new Response(kinds, topics, calendar.Options, calendar.Holidays(year).Concat(calendar.Holidays(year + 1)).ToList());
        }
    }
}
