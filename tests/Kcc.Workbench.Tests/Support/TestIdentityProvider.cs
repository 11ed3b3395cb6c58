using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Kcc.Workbench.Tests.Support;

/// <summary>A person known to the test identity provider.</summary>
public sealed record TestIdpUser(string Subject, string UserName, string Name, IReadOnlyList<string> Roles);

/// <summary>
/// A real OpenID Connect provider for the tests: OpenIddict 7.8 on Kestrel at 127.0.0.1 and a free port, an EF Core
/// store on a kept-open in-memory SQLite connection, authorization code flow with PKCE, ephemeral keys, issuer = its
/// own base URL, plain HTTP allowed. One confidential client is registered for the app under test.
/// Its authorization endpoint (passthrough) signs in the user named by the request's <c>login_hint</c> with the claims
/// sub, name, preferred_username and roles; without a hint it shows a minimal login page where a browser types that name.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "kcc-werkplek";
    public const string ClientSecret = "test-geheim-van-de-werkplek-0123456789";
    public const string RolesClaim = "roles";

    private readonly WebApplication app;
    private readonly SqliteConnection connection;

    private TestIdentityProvider(WebApplication app, SqliteConnection connection, Uri baseAddress)
    {
        this.app = app;
        this.connection = connection;
        BaseAddress = baseAddress;
    }

    /// <summary>http://127.0.0.1:{port}/ — also the issuer.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Users by user name (the login hint). A test may replace one to change what the provider says about them.</summary>
    public ConcurrentDictionary<string, TestIdpUser> Users { get; } = new(StringComparer.Ordinal);

    /// <summary>How many authorization requests were answered; proves the flow really went through the provider.</summary>
    public int Authorizations => authorizations;

    private int authorizations;

    public void SetUser(TestIdpUser user) => Users[user.UserName] = user;

    /// <param name="redirectUris">The app's callback(s); more can follow with <see cref="AllowRedirectUriAsync"/>.</param>
    /// <param name="hostName">
    /// The name the provider is known by (and its issuer has). A browser test uses "localhost" while the app is at
    /// 127.0.0.1, so that the two are different sites, as a real provider and the workbench are.
    /// </param>
    public static async Task<TestIdentityProvider> StartAsync(IEnumerable<Uri> redirectUris, string hostName = "127.0.0.1")
    {
        var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();

        // The issuer is the base URL, which is known only once Kestrel has its port; options are first read on the first request.
        var issuer = new IssuerHolder();
        builder.Services.AddDbContext<IdpDbContext>(options =>
        {
            options.UseSqlite(connection);
            options.UseOpenIddict();
        });
        builder.Services.AddOpenIddict()
            .AddCore(options => options.UseEntityFrameworkCore().UseDbContext<IdpDbContext>())
            .AddServer(options =>
            {
                options.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token");
                options.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                options.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.Roles);
                options.AddEphemeralEncryptionKey().AddEphemeralSigningKey().DisableAccessTokenEncryption();
                options.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .DisableTransportSecurityRequirement();
            });
        builder.Services.Configure<OpenIddictServerOptions>(options => options.Issuer = issuer.Value);

        var app = builder.Build();
        var provider = (TestIdentityProvider?)null;
        app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], (HttpContext context) => provider!.Authorize(context));

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IdpDbContext>().Database.EnsureCreatedAsync();
            var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            var client = new OpenIddictApplicationDescriptor
            {
                ClientId = ClientId,
                ClientSecret = ClientSecret,
                ClientType = ClientTypes.Confidential,
                DisplayName = "KCC Werkplek (test)",
                Permissions =
                {
                    Permissions.Endpoints.Authorization,
                    Permissions.Endpoints.Token,
                    Permissions.GrantTypes.AuthorizationCode,
                    Permissions.ResponseTypes.Code,
                    Permissions.Scopes.Profile,
                    Permissions.Scopes.Email,
                    Permissions.Scopes.Roles,
                },
                Requirements = { Requirements.Features.ProofKeyForCodeExchange },
            };
            foreach (var uri in redirectUris)
            {
                client.RedirectUris.Add(uri);
            }

            await applications.CreateAsync(client);
        }

        await app.StartAsync();
        var baseAddress = new UriBuilder(app.Urls.Single()) { Host = hostName, Path = "/" }.Uri;
        issuer.Value = baseAddress;
        provider = new TestIdentityProvider(app, connection, baseAddress);
        return provider;
    }

    /// <summary>Adds a redirect URI to the app's registration (for an app whose address is known only after it started).</summary>
    public async Task AllowRedirectUriAsync(Uri redirectUri)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var client = await applications.FindByClientIdAsync(ClientId) ?? throw new InvalidOperationException("The app's client is missing.");
        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, client);
        descriptor.RedirectUris.Add(redirectUri);
        await applications.UpdateAsync(client, descriptor);
    }

    private IResult Authorize(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("No OpenID Connect request.");
        if (string.IsNullOrEmpty(request.LoginHint))
        {
            return LoginPage(request);
        }

        if (!Users.TryGetValue(request.LoginHint, out var user))
        {
            // As a provider does when nobody can be signed in: an error back to the client.
            return Results.Forbid(
                new Microsoft.AspNetCore.Authentication.AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.AccessDenied,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "Unknown test user.",
                }),
                [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, RolesClaim);
        identity.SetClaim(Claims.Subject, user.Subject)
            .SetClaim(Claims.Name, user.Name)
            .SetClaim(Claims.PreferredUsername, user.UserName)
            .SetClaims(RolesClaim, [.. user.Roles]);
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        Interlocked.Increment(ref authorizations);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>
    /// The provider's login screen, for a browser: the authorization request again as a form, plus the user name
    /// (sent as login_hint). No password: who may sign in is the test's choice, not the point of the test.
    /// </summary>
    private static IResult LoginPage(OpenIddictRequest request)
    {
        var fields = new System.Text.StringBuilder();
        foreach (var (name, value) in request.GetParameters())
        {
            fields.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"<input type=\"hidden\" name=\"{WebUtility.HtmlEncode(name)}\" value=\"{WebUtility.HtmlEncode((string?)value)}\">");
        }

        return Results.Content(
            $"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head>
            <body><main><h1>Test identity provider</h1>
            <form method="post" action="/connect/authorize">{fields}
            <label for="login_hint">User name</label><input id="login_hint" name="login_hint" autocomplete="username">
            <button type="submit">Sign in</button></form></main></body></html>
            """,
            "text/html; charset=utf-8");
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        await connection.DisposeAsync();
    }

    private sealed class IssuerHolder
    {
        public Uri? Value { get; set; }
    }

    private sealed class IdpDbContext(DbContextOptions<IdpDbContext> options) : DbContext(options);
}
