using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;

namespace Kcc.Workbench.Web.Features.Account;

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // A form post with the antiforgery token of the app's layout, so a link, image or form elsewhere cannot sign an
        // agent out. Signing out renews the security stamp: every copy of the cookie and every open circuit of this
        // employee ends at once, on every device (EmployeeSessions).
        endpoints.MapPost("/uitloggen", async (HttpContext context, IAntiforgery antiforgery, SignInManager<Employee> signInManager, ILoggerFactory loggers) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                loggers.CreateLogger(typeof(AccountEndpoints).FullName!).LogWarning("Sign-out refused: no valid antiforgery token");
                return Results.Text("Uitloggen is niet gelukt: het formulier is verlopen of kwam niet van de KCC Werkplek. Laad de pagina opnieuw en klik nog eens op Uitloggen.",
                    "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
            }

            if (await signInManager.UserManager.GetUserAsync(context.User) is { } employee)
            {
                await signInManager.UserManager.UpdateSecurityStampAsync(employee);
            }

            await signInManager.SignOutAsync();
            return Results.LocalRedirect(AccountSetup.LoginPath);
        }).RequireAuthorization();
        return endpoints;
    }
}
