using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Kcc.Workbench.Web.Features.Account;

/// <summary>
/// Sign-in through the identity provider: the login page's button posts to <see cref="StartPath"/>, the OIDC handler
/// does the protocol at <see cref="OidcOptions.CallbackPath"/> and leaves the result in Identity's external cookie,
/// and <see cref="CallbackPath"/> turns it into an employee (created on first sign-in, roles synchronised on every one)
/// signed in with the application cookie.
/// </summary>
public static class ExternalLoginEndpoints
{
    public const string StartPath = "/inloggen/extern/start";
    public const string CallbackPath = "/inloggen/extern";

    /// <summary>Why an external sign-in ended on the login page; the page shows the Dutch text.</summary>
    public enum Outcome
    {
        Failed,
        NoRole,
        LockedOut,
        UserNameTaken,
    }

    public static string LoginPageWith(Outcome outcome) => AccountSetup.LoginPath + "?melding=" + Code(outcome);

    public static string Code(Outcome outcome) => outcome switch
    {
        Outcome.NoRole => "geen-rol",
        Outcome.LockedOut => "geblokkeerd",
        Outcome.UserNameTaken => "naam-bezet",
        _ => "mislukt",
    };

    public static string? Message(string? code) => code switch
    {
        "geen-rol" => "U heeft geen rol in de KCC Werkplek. Vraag uw beheerder om toegang.",
        "geblokkeerd" => "Uw account is geblokkeerd. Vraag uw beheerder om toegang.",
        "naam-bezet" => "Er bestaat al een account met uw gebruikersnaam dat niet aan uw gemeente-account gekoppeld is. Vraag uw beheerder om hulp.",
        "mislukt" => "Inloggen is niet gelukt. Probeer het opnieuw of vraag uw beheerder om hulp.",
        _ => null,
    };

    public static IEndpointRouteBuilder MapExternalLoginEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var oidc = endpoints.ServiceProvider.GetRequiredService<IOptions<OidcOptions>>().Value;
        if (!oidc.Enabled)
        {
            return endpoints;
        }

        // A form post: binding [FromForm] makes the antiforgery middleware require the login page's token.
        endpoints.MapPost(StartPath, ([FromForm] string? returnUrl, SignInManager<Employee> signInManager) =>
        {
            var callback = CallbackPath + "?returnUrl=" + Uri.EscapeDataString(Login.SafeReturnUrl(returnUrl));
            var properties = signInManager.ConfigureExternalAuthenticationProperties(OidcOptions.Scheme, callback);
            return Results.Challenge(properties, [OidcOptions.Scheme]);
        }).AllowAnonymous();

        endpoints.MapGet(CallbackPath, CompleteSignInAsync).AllowAnonymous();
        return endpoints;
    }

    private static async Task<IResult> CompleteSignInAsync(
        HttpContext context,
        string? returnUrl,
        SignInManager<Employee> signInManager,
        UserManager<Employee> userManager,
        LandingPages landing,
        IOptions<OidcOptions> options,
        ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger(typeof(ExternalLoginEndpoints).FullName!);
        var oidc = options.Value;
        var external = await context.AuthenticateAsync(IdentityConstants.ExternalScheme);
        // The external cookie has done its job whatever happens next.
        await context.SignOutAsync(IdentityConstants.ExternalScheme);

        if (!external.Succeeded || external.Principal is null
            || external.Properties?.Items.TryGetValue("LoginProvider", out var provider) != true || provider != OidcOptions.Scheme)
        {
            logger.LogWarning("OIDC sign-in refused: no external sign-in to complete");
            return Results.LocalRedirect(LoginPageWith(Outcome.Failed));
        }

        var principal = external.Principal;
        var subject = principal.FindFirstValue("sub");
        if (string.IsNullOrEmpty(subject))
        {
            logger.LogWarning("OIDC sign-in refused: the identity token has no subject");
            return Results.LocalRedirect(LoginPageWith(Outcome.Failed));
        }

        var granted = oidc.MapRoles(principal.FindAll(oidc.RoleClaimType).Select(c => c.Value));
        var employee = await userManager.FindByLoginAsync(OidcOptions.Scheme, subject);
        if (employee is null)
        {
            if (granted.Count == 0)
            {
                logger.LogWarning("OIDC sign-in refused: new user without a mapped role");
                return Results.LocalRedirect(LoginPageWith(Outcome.NoRole));
            }

            var (created, refusal) = await CreateEmployeeAsync(principal, subject, oidc, userManager, logger);
            if (created is null)
            {
                return Results.LocalRedirect(LoginPageWith(refusal));
            }

            employee = created;
        }
        else
        {
            var displayName = principal.FindFirstValue(oidc.DisplayNameClaimType);
            if (!string.IsNullOrWhiteSpace(displayName) && displayName != employee.DisplayName)
            {
                employee.DisplayName = displayName;
                await userManager.UpdateAsync(employee);
            }
        }

        // The identity provider decides the roles: also when it took the last one away.
        if (!await SynchroniseRolesAsync(employee, granted, userManager, logger))
        {
            return Results.LocalRedirect(LoginPageWith(Outcome.Failed));
        }

        if (granted.Count == 0)
        {
            logger.LogWarning("OIDC sign-in refused: no mapped role");
            return Results.LocalRedirect(LoginPageWith(Outcome.NoRole));
        }

        if (await userManager.IsLockedOutAsync(employee) || !await signInManager.CanSignInAsync(employee))
        {
            logger.LogWarning("OIDC sign-in refused: account locked out or not allowed to sign in");
            return Results.LocalRedirect(LoginPageWith(Outcome.LockedOut));
        }

        await signInManager.SignInAsync(employee, isPersistent: false, authenticationMethod: OidcOptions.Scheme);
        return ContinueTo(await landing.AfterSignInAsync(await signInManager.CreateUserPrincipalAsync(employee), returnUrl));
    }

    /// <summary>A new employee linked to the provider's subject, or null and the reason to refuse.</summary>
    private static async Task<(Employee? Created, Outcome Refusal)> CreateEmployeeAsync(
        ClaimsPrincipal principal, string subject, OidcOptions oidc, UserManager<Employee> userManager, ILogger logger)
    {
        var userName = principal.FindFirstValue(oidc.UserNameClaimType);
        if (string.IsNullOrWhiteSpace(userName))
        {
            logger.LogWarning("OIDC sign-in refused: the identity token has no {ClaimType} claim", oidc.UserNameClaimType);
            return (null, Outcome.Failed);
        }

        // Never link to an existing (local) account by name: a name at the provider is no proof of owning that account.
        if (await userManager.FindByNameAsync(userName) is not null)
        {
            logger.LogWarning("OIDC sign-in refused: the user name is taken by an account without this external login");
            return (null, Outcome.UserNameTaken);
        }

        var displayName = principal.FindFirstValue(oidc.DisplayNameClaimType);
        var employee = new Employee
        {
            UserName = userName,
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? userName : displayName,
            Email = principal.FindFirstValue("email"),
        };
        var result = await userManager.CreateAsync(employee);
        if (result.Succeeded)
        {
            result = await userManager.AddLoginAsync(employee, new UserLoginInfo(OidcOptions.Scheme, subject, oidc.DisplayName));
            if (!result.Succeeded)
            {
                await userManager.DeleteAsync(employee);
            }
        }

        if (!result.Succeeded)
        {
            logger.LogWarning("OIDC sign-in refused: creating the employee failed ({Errors})", string.Join(", ", result.Errors.Select(e => e.Code)));
            return (null, Outcome.Failed);
        }

        logger.LogInformation("OIDC sign-in created a new employee account");
        return (employee, default);
    }

    /// <summary>Adds the granted workbench roles the employee lacks and removes the ones no longer granted.</summary>
    private static async Task<bool> SynchroniseRolesAsync(Employee employee, IReadOnlySet<string> granted, UserManager<Employee> userManager, ILogger logger)
    {
        var current = await userManager.GetRolesAsync(employee);
        var toRemove = current.Where(r => !granted.Contains(r)).ToList();
        var toAdd = granted.Where(r => !current.Contains(r, StringComparer.Ordinal)).ToList();
        if (toRemove.Count == 0 && toAdd.Count == 0)
        {
            return true;
        }

        var result = toRemove.Count > 0 ? await userManager.RemoveFromRolesAsync(employee, toRemove) : IdentityResult.Success;
        if (result.Succeeded && toAdd.Count > 0)
        {
            result = await userManager.AddToRolesAsync(employee, toAdd);
        }

        if (result.Succeeded)
        {
            // Other open sessions of this employee carry the old roles: a new stamp makes them revalidate.
            result = await userManager.UpdateSecurityStampAsync(employee);
        }

        if (!result.Succeeded)
        {
            logger.LogError("OIDC sign-in: synchronising roles failed ({Errors})", string.Join(", ", result.Errors.Select(e => e.Code)));
            return false;
        }

        logger.LogInformation("OIDC sign-in synchronised roles: added {Added}, removed {Removed}", string.Join(",", toAdd), string.Join(",", toRemove));
        return true;
    }

    /// <summary>
    /// Continues with a same-site navigation instead of a redirect. This request is the end of a redirect chain that
    /// the identity provider's site started, and browsers leave SameSite=Strict cookies (our kcc.auth) off every
    /// request in such a chain: a 302 would land on the page without the fresh sign-in and send the agent back to
    /// the login page (the Chromium test OidcSignInTests in Kcc.Workbench.EndToEnd shows it). A navigation started by
    /// our own page does carry it.
    /// </summary>
    private static IResult ContinueTo(string localUrl)
    {
        var url = WebUtility.HtmlEncode(localUrl);
        var html = $"""
            <!DOCTYPE html>
            <html lang="nl">
            <head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={url}"><title>Ingelogd · KCC Werkplek</title><link rel="icon" type="image/svg+xml" href="/favicon.svg"></head>
            <body><main><p>U bent ingelogd. <a href="{url}">Ga verder naar de KCC Werkplek</a>.</p></main></body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }
}
