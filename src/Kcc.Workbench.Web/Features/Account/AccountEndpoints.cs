using Microsoft.AspNetCore.Identity;

namespace Kcc.Workbench.Web.Features.Account;

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // A form post (with antiforgery) so a link or image elsewhere cannot sign an agent out.
        endpoints.MapPost("/uitloggen", async (SignInManager<Employee> signInManager) =>
        {
            await signInManager.SignOutAsync();
            return Results.LocalRedirect(AccountSetup.LoginPath);
        }).RequireAuthorization();
        return endpoints;
    }
}
