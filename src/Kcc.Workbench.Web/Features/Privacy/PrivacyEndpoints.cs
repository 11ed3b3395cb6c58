using System.Text.Json;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;

namespace Kcc.Workbench.Web.Features.Privacy;

public static class PrivacyEndpoints
{
    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The inzage export as a JSON file; the printable page is /beheer/inzage/{id}.</summary>
    public static IEndpointRouteBuilder MapPrivacyEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/beheer/inzage/{partyId:int}/json", async (int partyId, IMediator mediator, CancellationToken cancellationToken) =>
            {
                var export = await mediator.Send(new ExportPartyData.Query(partyId), cancellationToken);
                return export is null
                    ? Results.NotFound()
                    : Results.File(JsonSerializer.SerializeToUtf8Bytes(export, Indented), "application/json", $"inzage-betrokkene-{partyId}.json");
            })
            .RequireAuthorization(policy => policy.RequireRole(Roles.Beheerder));
        return endpoints;
    }
}
