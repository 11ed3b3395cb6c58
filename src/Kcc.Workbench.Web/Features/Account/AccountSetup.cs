using System.Security.Claims;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Kcc.Workbench.Web.Features.Account;

public static class AccountSetup
{
    public const string LoginPath = "/inloggen";

    public const string AccessDeniedPath = "/geen-toegang";

    /// <summary>
    /// Identity on the app's own database, cookie sign-in, lockout after 5 failures for 15 minutes. Every request with
    /// a cookie and every open circuit asks <see cref="EmployeeSessions"/> whether the sign-in still stands.
    /// </summary>
    public static IServiceCollection AddKccIdentity(this IServiceCollection services)
    {
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingIdentityAuthenticationStateProvider>();
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = LoginPath;
            options.AccessDeniedPath = AccessDeniedPath;
            options.Cookie.Name = "kcc.auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.ExpireTimeSpan = TimeSpan.FromHours(10);
            options.SlidingExpiration = true;
            // API callers get a status code, not a redirect to a login page.
            options.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
            var identityCheck = options.Events.OnValidatePrincipal;
            options.Events.OnValidatePrincipal = async context =>
            {
                await identityCheck(context);
                if (context.Principal is { } principal &&
                    !await context.HttpContext.RequestServices.GetRequiredService<EmployeeSessions>().IsValidAsync(principal, context.HttpContext.RequestAborted))
                {
                    // Signed out elsewhere, disabled, roles changed: this cookie no longer opens anything.
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                }
            };
        });
        services.AddSingleton<EmployeeSessions>();
        // Like the sign-in cookie: Secure whenever the browser used HTTPS (also behind the proxy, see ForwardedProxies).
        services.AddAntiforgery(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);

        services.AddIdentityCore<Employee>(options =>
            {
                options.SignIn.RequireConfirmedAccount = false;
                options.User.RequireUniqueEmail = false;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Password.RequiredLength = 12;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<KccDbContext>()
            .AddUserManager<KccUserManager>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<EmployeeClaimsFactory>()
            .AddDefaultTokenProviders();

        services.AddScoped<LandingPages>();
        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentUser, CurrentUser>();
        return services;
    }

    private static Task RedirectOrStatus(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}

/// <summary>Adds the employee's display name to the cookie, so the app bar needs no database call.</summary>
internal sealed class EmployeeClaimsFactory(UserManager<Employee> userManager, RoleManager<IdentityRole> roleManager, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<Employee, IdentityRole>(userManager, roleManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(Employee user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(KccClaimTypes.DisplayName, string.IsNullOrWhiteSpace(user.DisplayName) ? user.UserName ?? "" : user.DisplayName));
        return identity;
    }
}
