using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace Kcc.Workbench.Web.Infrastructure;

/// <summary>The signed-in employee for the current circuit or HTTP request.</summary>
public interface ICurrentUser
{
    Task<ClaimsPrincipal> GetPrincipalAsync();
}

public static class CurrentUserExtensions
{
    public static string? UserId(this ClaimsPrincipal principal) => principal.FindFirstValue(ClaimTypes.NameIdentifier);

    public static string RequireUserId(this ClaimsPrincipal principal) =>
        principal.UserId() ?? throw new ForbiddenRequestException("niet ingelogd");

    public static string DisplayName(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(KccClaimTypes.DisplayName) ?? principal.Identity?.Name ?? "";
}

public static class KccClaimTypes
{
    public const string DisplayName = "kcc:display_name";
}

/// <summary>
/// In an interactive circuit HttpContext is gone, so the authentication state provider is the source;
/// during HTTP requests (API, static pages) the HttpContext user is.
/// </summary>
internal sealed class CurrentUser(IServiceProvider services, IHttpContextAccessor httpContextAccessor) : ICurrentUser
{
    public async Task<ClaimsPrincipal> GetPrincipalAsync()
    {
        var provider = services.GetService<AuthenticationStateProvider>();
        if (provider is not null)
        {
            try
            {
                var state = await provider.GetAuthenticationStateAsync();
                if (state.User.Identity?.IsAuthenticated == true)
                {
                    return state.User;
                }
            }
            catch (InvalidOperationException)
            {
                // Outside a component scope the server provider has no state yet; fall back to HttpContext.
            }
        }

        return httpContextAccessor.HttpContext?.User ?? new ClaimsPrincipal(new ClaimsIdentity());
    }
}
