using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Kcc.Workbench.Web.Features.Account;

public static class OidcSetup
{
    /// <summary>
    /// Binds <see cref="OidcOptions"/> and, when enabled, adds the OpenID Connect handler: authorization code flow
    /// with PKCE, the result kept in Identity's external cookie until <see cref="ExternalLoginEndpoints"/> turns it
    /// into an employee sign-in. Refuses to start on a configuration that cannot work.
    /// </summary>
    public static IServiceCollection AddKccOidc(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(OidcOptions.Section);
        services.AddOptions<OidcOptions>().Bind(section);
        var oidc = section.Get<OidcOptions>() ?? new OidcOptions();
        var problems = oidc.Problems();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("OpenID Connect staat aan maar is onvolledig ingesteld: " + string.Join(" ", problems));
        }

        if (!oidc.Enabled)
        {
            return services;
        }

        services.AddAuthentication().AddOpenIdConnect(OidcOptions.Scheme, oidc.DisplayName, options =>
        {
            options.Authority = oidc.Authority;
            options.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
            options.ClientId = oidc.ClientId;
            options.ClientSecret = string.IsNullOrEmpty(oidc.ClientSecret) ? null : oidc.ClientSecret;
            options.ResponseType = OpenIdConnectResponseType.Code;
            options.UsePkce = true;
            options.CallbackPath = OidcOptions.CallbackPath;
            options.SignInScheme = IdentityConstants.ExternalScheme;
            options.SaveTokens = false;
            // Keep the provider's claim names ("sub", "roles", "preferred_username"): the configuration names them as-is.
            options.MapInboundClaims = false;
            options.TokenValidationParameters.NameClaimType = oidc.UserNameClaimType;
            options.TokenValidationParameters.RoleClaimType = oidc.RoleClaimType;
            options.Scope.Clear();
            foreach (var scope in oidc.EffectiveScopes)
            {
                options.Scope.Add(scope);
            }

            options.Events.OnRemoteFailure = context =>
            {
                // No personal data: the failure's kind and the protocol message only.
                context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcSetup).FullName!)
                    .LogWarning("OIDC sign-in failed at the callback: {FailureType}: {Failure}", context.Failure?.GetType().Name, context.Failure?.Message);
                context.Response.Redirect(ExternalLoginEndpoints.LoginPageWith(ExternalLoginEndpoints.Outcome.Failed));
                context.HandleResponse();
                return Task.CompletedTask;
            };
        });
        return services;
    }

    /// <summary>
    /// The origin the login form's challenge redirects to. CSP form-action also governs a form's redirects,
    /// so without it browsers would block the step from the login page to the identity provider.
    /// </summary>
    public static IReadOnlyList<string> FormActionSources(this OidcOptions oidc) =>
        oidc.Enabled && Uri.TryCreate(oidc.Authority, UriKind.Absolute, out var authority)
            ? [authority.GetLeftPart(UriPartial.Authority)]
            : [];
}
