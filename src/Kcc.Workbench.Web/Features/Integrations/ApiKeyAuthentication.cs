using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Kcc.Workbench.Web.Features.Integrations;

/// <summary>
/// Systems that log contacts themselves (the website form, the e-mail intake, a WhatsApp gateway) are
/// "geautomatiseerde actoren" in Klantinteracties. Each has a key; only its SHA-256 hash is configured.
/// </summary>
public sealed class IntegrationOptions
{
    public List<IntegrationClient> Clients { get; set; } = [];
}

public sealed class IntegrationClient
{
    public string Name { get; set; } = "";

    /// <summary>Lower-case hex SHA-256 of the key: `printf %s "$KEY" | sha256sum`.</summary>
    public string KeyHash { get; set; } = "";

    public List<string> Roles { get; set; } = [];
}

public static class ApiKeyDefaults
{
    public const string Scheme = "ApiKey";
    public const string Header = "X-Api-Key";
    public const string Policy = "Integration";

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The configured client whose key hash matches <paramref name="key"/> (compared in constant time), or null.</summary>
    public static IntegrationClient? FindClient(IntegrationOptions options, string key)
    {
        var presented = Encoding.ASCII.GetBytes(Hash(key));
        return options.Clients.FirstOrDefault(c =>
            c.KeyHash.Length == presented.Length && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(c.KeyHash.ToLowerInvariant()), presented));
    }

    /// <summary>An integration client acts as "api:Name" with its configured roles, whichever header carried its key.</summary>
    public static ClaimsPrincipal Principal(IntegrationClient client, string scheme)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, "api:" + client.Name),
            new(ClaimTypes.Name, client.Name),
            new(KccClaimTypes.DisplayName, client.Name),
        };
        claims.AddRange(client.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }
}

internal sealed class ApiKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptionsMonitor<IntegrationOptions> integrations)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ApiKeyDefaults.Header, out var values) || values.Count != 1 || string.IsNullOrEmpty(values[0]))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var client = ApiKeyDefaults.FindClient(integrations.CurrentValue, values[0]!);
        return Task.FromResult(client is null
            ? AuthenticateResult.Fail("Onbekende sleutel.")
            : AuthenticateResult.Success(new AuthenticationTicket(ApiKeyDefaults.Principal(client, ApiKeyDefaults.Scheme), ApiKeyDefaults.Scheme)));
    }
}
