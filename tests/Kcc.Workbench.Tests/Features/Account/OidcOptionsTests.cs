using Kcc.Workbench.Web.Features.Account;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kcc.Workbench.Tests.Features.Account;

public sealed class OidcOptionsTests
{
    private static readonly string ShippedAppSettings = Path.Combine(AppContext.BaseDirectory, "appsettings.json");

    [Fact]
    public void The_shipped_configuration_has_oidc_off_and_maps_one_provider_role_to_each_workbench_role()
    {
        var oidc = Bind(new ConfigurationBuilder().AddJsonFile(ShippedAppSettings).Build());

        Assert.False(oidc.Enabled);
        Assert.True(oidc.LocalAccountsAllowed);
        Assert.Equal(["openid", "profile", "email"], oidc.EffectiveScopes);
        Assert.Equal(Kcc.Workbench.Web.Infrastructure.Roles.All.Order(), oidc.RoleMapping.Values.Order());
        Assert.Empty(oidc.Problems());
    }

    [Fact]
    public void Unknown_and_unmapped_role_claims_grant_nothing()
    {
        var oidc = Bind(new ConfigurationBuilder().AddJsonFile(ShippedAppSettings).Build());

        Assert.Equal(["Frontoffice", "Teamleider"], oidc.MapRoles(["KCC-FRONTOFFICE", "kcc-teamleider", "kcc-teamleider", "Beheerder", "iets-anders"]).Order());
        Assert.Empty(oidc.MapRoles([]));
    }

    [Fact]
    public void Switching_oidc_on_without_what_it_needs_stops_the_app_with_the_reasons()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Authentication:Oidc:Enabled"] = "true",
            ["Authentication:Oidc:Authority"] = "http://idp.gemeente.example",
            ["Authentication:Oidc:RoleMapping:kcc-baas"] = "Directeur",
        }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddKccOidc(configuration));

        Assert.Contains("moet https gebruiken", error.Message, StringComparison.Ordinal);
        Assert.Contains("ClientId ontbreekt", error.Message, StringComparison.Ordinal);
        Assert.Contains("onbekende rol 'Directeur'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scope_added_in_configuration_is_requested_once_with_the_others()
    {
        var oidc = Bind(new ConfigurationBuilder().AddJsonFile(ShippedAppSettings).AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Authentication:Oidc:Scopes:0"] = "openid",
            ["Authentication:Oidc:Scopes:1"] = "profile",
            ["Authentication:Oidc:Scopes:2"] = "email",
            ["Authentication:Oidc:Scopes:3"] = "roles",
            ["Authentication:Oidc:Scopes:4"] = "openid",
        }).Build());

        Assert.Equal(["openid", "profile", "email", "roles"], oidc.EffectiveScopes);
    }

    private static OidcOptions Bind(IConfiguration configuration) =>
        configuration.GetSection(OidcOptions.Section).Get<OidcOptions>() ?? new OidcOptions();
}
