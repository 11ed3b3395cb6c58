using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.AspNetCore.Authentication;

namespace Kcc.Workbench.Web.Features.Integrations;

/// <summary>
/// POST /api/v1/klantcontacten: other channels log a contact through the very same LogContact pipeline
/// (authorization, validation, one transaction). 201 means it is durably stored.
/// </summary>
public static class ContactsApi
{
    public static IServiceCollection AddKccIntegrations(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<IntegrationOptions>(configuration.GetSection("Integraties"));
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyDefaults.Scheme, null);
        services.AddAuthorizationBuilder().AddPolicy(ApiKeyDefaults.Policy, policy => policy.AddAuthenticationSchemes(ApiKeyDefaults.Scheme).RequireAuthenticatedUser());
        return services;
    }

    public static IEndpointRouteBuilder MapContactsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/v1/klantcontacten", async (LogContact.Command command, IMediator mediator, HttpContext context, CancellationToken cancellationToken) =>
            {
                var result = await mediator.Send(command, cancellationToken);
                return result.Succeeded
                    ? Results.Created($"/contacten/{result.Value}", new { id = result.Value })
                    : result.ErrorFor(DatabaseFault.ErrorKey) is { } refused ? Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: refused)
                    : ApiErrors.Refused(context, result.Errors, "Het contact is niet opgeslagen. Verbeter de genoemde velden.");
            })
            .RequireAuthorization(ApiKeyDefaults.Policy)
            .DisableAntiforgery()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(256 * 1024))
            .WithName("LogContactViaApi");
        return endpoints;
    }
}
