using Kcc.Workbench.Web.Infrastructure;
using MediatR;

namespace Kcc.Workbench.Web.Features.Audit;

public static class AuditEndpoints
{
    /// <summary>The filtered audit log as a CSV download for a beheerder.</summary>
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/beheer/audit.csv", async (string? medewerker, int? betrokkene, DateOnly? van, DateOnly? tot, IMediator mediator, CancellationToken cancellationToken) =>
            {
                var rows = await mediator.Send(new SearchAuditLog.Query { Employee = medewerker, PartyId = betrokkene, From = van, To = tot, Max = SearchAuditLog.MaxRows }, cancellationToken);
                return Results.File(SearchAuditLog.ToCsv(rows), "text/csv; charset=utf-8", "auditlog.csv");
            })
            .RequireAuthorization(policy => policy.RequireRole(Roles.Beheerder));
        return endpoints;
    }
}
