using System.Reflection;
using System.Security.Claims;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Routing.Template;

namespace Kcc.Workbench.Web.Features.Account;

/// <summary>
/// Where each role's work is, and where a signed-in employee goes: the page they asked for when their roles may open
/// it, else their own work. Nobody lands on "Geen toegang" right after signing in.
/// </summary>
public sealed class LandingPages(IAuthorizationPolicyProvider policies, IAuthorizationService authorization)
{
    /// <summary>The routable pages and who may open them; literal routes before routes with parameters.</summary>
    private static readonly Lazy<IReadOnlyList<PageRoute>> Pages = new(() => typeof(Program).Assembly.GetTypes()
        .Where(t => typeof(IComponent).IsAssignableFrom(t) && !t.IsAbstract)
        .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => new PageRoute(
            TemplateParser.Parse(r.Template),
            t.GetCustomAttribute<AllowAnonymousAttribute>() is not null,
            t.GetCustomAttributes<AuthorizeAttribute>(inherit: true).Cast<IAuthorizeData>().ToArray())))
        .OrderBy(p => p.Template.Parameters.Count)
        .ToList());

    /// <summary>
    /// The home of an employee's work. With several roles the first that applies: a team lead's dashboard, the
    /// front office's new contact, the back office's queue, the kennisbank, beheer.
    /// </summary>
    public static string HomeOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(Roles.Teamleider) ? "/dashboard"
            : user.IsInRole(Roles.Frontoffice) ? "/contacten/nieuw"
            : user.IsInRole(Roles.Backoffice) ? "/backoffice"
            : user.IsInRole(Roles.Kennisbeheerder) ? "/kennisbank"
            : user.IsInRole(Roles.Beheerder) ? "/beheer"
            : AccountSetup.AccessDeniedPath;
    }

    /// <summary>The local <paramref name="returnUrl"/> when the user may open it, else <see cref="HomeOf"/>.</summary>
    public async Task<string> AfterSignInAsync(ClaimsPrincipal user, string? returnUrl)
    {
        var target = Login.SafeReturnUrl(returnUrl);
        return target != "/" && await MayOpenAsync(user, target) ? target : HomeOf(user);
    }

    /// <summary>Whether the page at <paramref name="url"/> lets <paramref name="user"/> in (addresses that are no page: yes).</summary>
    public async Task<bool> MayOpenAsync(ClaimsPrincipal user, string url)
    {
        var path = url.Split('?', '#')[0];
        var page = Pages.Value.FirstOrDefault(p => new TemplateMatcher(p.Template, []).TryMatch(path, []));
        if (page is null || page.Anonymous || page.Authorize.Length == 0)
        {
            return true;
        }

        var policy = await AuthorizationPolicy.CombineAsync(policies, page.Authorize);
        return policy is null || (await authorization.AuthorizeAsync(user, policy)).Succeeded;
    }

    private sealed record PageRoute(RouteTemplate Template, bool Anonymous, IAuthorizeData[] Authorize);
}
