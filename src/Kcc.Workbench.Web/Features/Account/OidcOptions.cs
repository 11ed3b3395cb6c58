using Kcc.Workbench.Web.Infrastructure;

namespace Kcc.Workbench.Web.Features.Account;

/// <summary>
/// Sign-in through the municipality's identity provider (Entra ID, Keycloak, …) with OpenID Connect.
/// Off by default: the embedded accounts stay the only way in until <see cref="Enabled"/> is true.
/// </summary>
public sealed class OidcOptions
{
    public const string Section = "Authentication:Oidc";

    /// <summary>The authentication scheme and the login provider name stored with an employee's external login.</summary>
    public const string Scheme = "oidc";

    public const string CallbackPath = "/signin-oidc";

    public static readonly IReadOnlyList<string> DefaultScopes = ["openid", "profile", "email"];

    public bool Enabled { get; set; }

    /// <summary>Shown on the login page: "Inloggen met {DisplayName}".</summary>
    public string DisplayName { get; set; } = "gemeente-account";

    public string Authority { get; set; } = "";

    public string ClientId { get; set; } = "";

    /// <summary>Empty for a public client (PKCE only); better set through an environment variable than in the file.</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>Empty means <see cref="DefaultScopes"/>. (Binding appends to a pre-filled list, so the default lives here.)</summary>
    public List<string> Scopes { get; set; } = [];

    public string RoleClaimType { get; set; } = "roles";

    public string UserNameClaimType { get; set; } = "preferred_username";

    public string DisplayNameClaimType { get; set; } = "name";

    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Role claim value at the identity provider → workbench role (one of <see cref="Roles.All"/>).</summary>
    public Dictionary<string, string> RoleMapping { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>When false (and OIDC is enabled) the username/password form is hidden and refused.</summary>
    public bool AllowLocalAccounts { get; set; } = true;

    public bool LocalAccountsAllowed => !Enabled || AllowLocalAccounts;

    public IReadOnlyList<string> EffectiveScopes =>
        (Scopes.Count == 0 ? DefaultScopes : Scopes).Where(s => !string.IsNullOrWhiteSpace(s)).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The workbench roles the given role claim values grant; unknown values are ignored.</summary>
    public IReadOnlySet<string> MapRoles(IEnumerable<string> roleClaimValues)
    {
        var granted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in roleClaimValues)
        {
            if (RoleMapping.TryGetValue(value, out var role) && Roles.All.Contains(role, StringComparer.Ordinal))
            {
                granted.Add(role);
            }
        }

        return granted;
    }

    /// <summary>Configuration mistakes an administrator must fix before the app starts; empty when none.</summary>
    public IReadOnlyList<string> Problems()
    {
        if (!Enabled)
        {
            return [];
        }

        var problems = new List<string>();
        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
        {
            problems.Add("Authentication:Oidc:Authority moet een absolute URL zijn.");
        }
        else if (RequireHttpsMetadata && authority.Scheme != "https")
        {
            problems.Add("Authentication:Oidc:Authority moet https gebruiken (of zet RequireHttpsMetadata op false, alleen voor testen).");
        }

        if (string.IsNullOrWhiteSpace(ClientId))
        {
            problems.Add("Authentication:Oidc:ClientId ontbreekt.");
        }

        if (!EffectiveScopes.Contains("openid"))
        {
            problems.Add("Authentication:Oidc:Scopes moet 'openid' bevatten.");
        }

        if (string.IsNullOrWhiteSpace(RoleClaimType) || string.IsNullOrWhiteSpace(UserNameClaimType))
        {
            problems.Add("Authentication:Oidc:RoleClaimType en UserNameClaimType mogen niet leeg zijn.");
        }

        if (RoleMapping.Count == 0)
        {
            problems.Add("Authentication:Oidc:RoleMapping is leeg: niemand zou kunnen inloggen.");
        }

        foreach (var (claim, role) in RoleMapping)
        {
            if (!Roles.All.Contains(role, StringComparer.Ordinal))
            {
                problems.Add($"Authentication:Oidc:RoleMapping:{claim} verwijst naar onbekende rol '{role}' (kies uit {string.Join(", ", Roles.All)}).");
            }
        }

        return problems;
    }
}
