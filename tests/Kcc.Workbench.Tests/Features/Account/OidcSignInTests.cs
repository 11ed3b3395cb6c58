using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Account;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Kcc.Workbench.Tests.Features.Account;

/// <summary>
/// Sign-in through OpenID Connect, end to end: a real OpenIddict provider on Kestrel, the app's real OIDC handler
/// talking to it over HTTP (discovery, keys, code exchange with PKCE), and a browser's steps done by hand.
/// </summary>
public sealed class OidcSignInTests(OidcSignInTests.Fixture fixture) : IClassFixture<OidcSignInTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public TestIdentityProvider Idp { get; private set; } = null!;

        /// <summary>OIDC on, local accounts still allowed (the shipped role mapping from appsettings.json).</summary>
        public KccWebApplicationFactory App { get; private set; } = null!;

        /// <summary>OIDC on, local accounts off.</summary>
        public KccWebApplicationFactory OidcOnly { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            Idp = await TestIdentityProvider.StartAsync([OidcBrowser.AppCallback]);
            App = new KccWebApplicationFactory(Settings(Idp, allowLocalAccounts: true));
            OidcOnly = new KccWebApplicationFactory(Settings(Idp, allowLocalAccounts: false));
            _ = App.Server;
            _ = OidcOnly.Server;
        }

        private static Dictionary<string, string?> Settings(TestIdentityProvider idp, bool allowLocalAccounts) => new()
        {
            ["Authentication:Oidc:Enabled"] = "true",
            ["Authentication:Oidc:Authority"] = idp.BaseAddress.ToString(),
            ["Authentication:Oidc:ClientId"] = TestIdentityProvider.ClientId,
            ["Authentication:Oidc:ClientSecret"] = TestIdentityProvider.ClientSecret,
            ["Authentication:Oidc:RequireHttpsMetadata"] = "false",
            ["Authentication:Oidc:AllowLocalAccounts"] = allowLocalAccounts ? "true" : "false",
        };

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await OidcOnly.DisposeAsync();
            await Idp.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_login_page_offers_the_gemeente_account_and_lets_the_browser_go_to_the_provider()
    {
        using var browser = new OidcBrowser(fixture.App);

        var response = await browser.App.GetAsync("/inloggen");

        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains(">Inloggen met gemeente-account</button>", html, StringComparison.Ordinal);
        Assert.Contains(">Gebruikersnaam</label>", html, StringComparison.Ordinal);
        // CSP form-action also covers the redirect after the button's post.
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("form-action 'self' " + fixture.Idp.BaseAddress.GetLeftPart(UriPartial.Authority), csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_provider_is_a_real_openid_connect_server_whose_issuer_is_its_base_url()
    {
        using var http = new HttpClient();

        var discovery = await http.GetFromJsonAsync<JsonElement>(new Uri(fixture.Idp.BaseAddress, ".well-known/openid-configuration"));

        Assert.Equal(fixture.Idp.BaseAddress.ToString(), discovery.GetProperty("issuer").GetString());
        Assert.Contains("S256", discovery.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task A_frontoffice_user_signs_in_at_the_provider_and_becomes_an_employee_with_that_role()
    {
        fixture.Idp.SetUser(new("sub-anna-0001", "anna.devries@gemeente.example", "Anna de Vries", ["kcc-frontoffice", "andere-applicatie-gebruiker"]));
        using var browser = new OidcBrowser(fixture.App);
        var authorizations = fixture.Idp.Authorizations;

        var response = await browser.SignInAsync("anna.devries@gemeente.example", returnUrl: "/contacten/nieuw");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/contacten/nieuw", OidcBrowser.ContinueUrl(await response.Content.ReadAsStringAsync()));
        Assert.True(fixture.Idp.Authorizations > authorizations);
        Assert.True(browser.UsedFormPost);
        Assert.True(browser.HasAppSignInCookie);
        var form = await browser.App.GetAsync("/contacten/nieuw");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Contains("Anna de Vries · Frontoffice", await form.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var (employee, roles, logins) = await EmployeeAsync(fixture.App, "sub-anna-0001");
        Assert.Equal("anna.devries@gemeente.example", employee!.UserName);
        Assert.Equal("Anna de Vries", employee.DisplayName);
        Assert.Equal(["Frontoffice"], roles);
        Assert.Equal(("oidc", "sub-anna-0001"), Assert.Single(logins));
    }

    [Fact]
    public async Task Roles_follow_the_provider_on_every_sign_in()
    {
        fixture.Idp.SetUser(new("sub-bram-0002", "bram.jansen", "Bram Jansen", ["kcc-frontoffice"]));
        using (var first = new OidcBrowser(fixture.App))
        {
            Assert.Equal(HttpStatusCode.OK, (await first.SignInAsync("bram.jansen")).StatusCode);
        }

        var (before, _, _) = await EmployeeAsync(fixture.App, "sub-bram-0002");

        // Promoted at the provider, and renamed there.
        fixture.Idp.SetUser(new("sub-bram-0002", "bram.jansen", "Bram Jansen-de Boer", ["kcc-teamleider"]));
        using var browser = new OidcBrowser(fixture.App);
        var response = await browser.SignInAsync("bram.jansen", returnUrl: "/contacten/zoeken");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (after, roles, _) = await EmployeeAsync(fixture.App, "sub-bram-0002");
        Assert.Equal(before!.Id, after!.Id);
        Assert.Equal("Bram Jansen-de Boer", after.DisplayName);
        Assert.Equal(["Teamleider"], roles);
        Assert.Equal(HttpStatusCode.OK, (await browser.App.GetAsync("/contacten/zoeken")).StatusCode);
        var contactForm = await browser.App.GetAsync("/contacten/nieuw");
        Assert.Equal(HttpStatusCode.Redirect, contactForm.StatusCode);
        Assert.Equal("/geen-toegang", contactForm.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task A_user_without_a_mapped_role_is_refused_in_dutch_and_gets_no_cookie()
    {
        fixture.Idp.SetUser(new("sub-carla-0003", "carla.bakker", "Carla Bakker", ["kcc-onbekend", "andere-applicatie-gebruiker"]));
        using var browser = new OidcBrowser(fixture.App);

        var response = await browser.SignInAsync("carla.bakker", returnUrl: "/contacten/nieuw");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await browser.App.GetStringAsync(response.Headers.Location);
        Assert.Contains("U heeft geen rol in de KCC Werkplek. Vraag uw beheerder om toegang.", page, StringComparison.Ordinal);
        Assert.False(browser.HasAppSignInCookie);
        Assert.Equal("/inloggen", (await browser.App.GetAsync("/contacten/nieuw")).Headers.Location!.AbsolutePath);
        Assert.Null((await EmployeeAsync(fixture.App, "sub-carla-0003")).Employee);
    }

    [Fact]
    public async Task A_user_whose_last_role_is_withdrawn_loses_it_and_is_refused()
    {
        fixture.Idp.SetUser(new("sub-dirk-0004", "dirk.smit", "Dirk Smit", ["kcc-backoffice"]));
        using (var first = new OidcBrowser(fixture.App))
        {
            Assert.Equal(HttpStatusCode.OK, (await first.SignInAsync("dirk.smit")).StatusCode);
        }

        fixture.Idp.SetUser(new("sub-dirk-0004", "dirk.smit", "Dirk Smit", []));
        using var browser = new OidcBrowser(fixture.App);
        var response = await browser.SignInAsync("dirk.smit");

        Assert.Equal("/inloggen?melding=geen-rol", response.Headers.Location!.OriginalString);
        Assert.False(browser.HasAppSignInCookie);
        Assert.Empty((await EmployeeAsync(fixture.App, "sub-dirk-0004")).Roles);
    }

    [Fact]
    public async Task A_locked_out_employee_stays_refused()
    {
        fixture.Idp.SetUser(new("sub-eva-0005", "eva.visser", "Eva Visser", ["kcc-frontoffice"]));
        using (var first = new OidcBrowser(fixture.App))
        {
            Assert.Equal(HttpStatusCode.OK, (await first.SignInAsync("eva.visser")).StatusCode);
        }

        await using (var scope = fixture.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<Employee>>();
            var eva = await users.FindByLoginAsync("oidc", "sub-eva-0005");
            await users.SetLockoutEndDateAsync(eva!, DateTimeOffset.UtcNow.AddDays(1));
        }

        using var browser = new OidcBrowser(fixture.App);
        var response = await browser.SignInAsync("eva.visser");

        Assert.Equal("/inloggen?melding=geblokkeerd", response.Headers.Location!.OriginalString);
        Assert.False(browser.HasAppSignInCookie);
    }

    [Fact]
    public async Task A_provider_user_name_that_a_local_account_has_is_not_linked_to_it()
    {
        fixture.Idp.SetUser(new("sub-mallory-0006", "beheer.demo", "Mallory", ["kcc-beheerder"]));
        using var browser = new OidcBrowser(fixture.App);

        var response = await browser.SignInAsync("beheer.demo");

        Assert.Equal("/inloggen?melding=naam-bezet", response.Headers.Location!.OriginalString);
        Assert.False(browser.HasAppSignInCookie);
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Employee>>();
        Assert.Empty(await users.GetLoginsAsync((await users.FindByNameAsync("beheer.demo"))!));
    }

    [Theory]
    [InlineData("//evil.example/phish")]
    [InlineData("https://evil.example/phish")]
    [InlineData("/\\evil.example/phish")]
    public async Task A_return_url_to_another_host_is_ignored(string returnUrl)
    {
        fixture.Idp.SetUser(new("sub-femke-0007", "femke.mulder", "Femke Mulder", ["kcc-frontoffice"]));

        using var viaPage = new OidcBrowser(fixture.App);
        var response = await viaPage.SignInAsync("femke.mulder", returnUrl: returnUrl);
        // Not the other host: the front office's own work.
        Assert.Equal("/contacten/nieuw", OidcBrowser.ContinueUrl(await response.Content.ReadAsStringAsync()));

        // Also when posted past the login page's hidden field.
        using var forged = new OidcBrowser(fixture.App);
        response = await forged.SignInAsync("femke.mulder", postedReturnUrl: returnUrl);
        Assert.Equal("/contacten/nieuw", OidcBrowser.ContinueUrl(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Starting_the_sign_in_needs_the_login_pages_antiforgery_token()
    {
        using var browser = new OidcBrowser(fixture.App);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["returnUrl"] = "/" });

        var response = await browser.App.PostAsync("/inloggen/extern/start", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_callback_without_a_provider_sign_in_goes_back_to_the_login_page()
    {
        using var browser = new OidcBrowser(fixture.App);

        var response = await browser.App.GetAsync("/inloggen/extern?returnUrl=%2Fcontacten%2Fnieuw");

        Assert.Equal("/inloggen?melding=mislukt", response.Headers.Location!.OriginalString);
        Assert.False(browser.HasAppSignInCookie);
    }

    [Fact]
    public async Task Without_local_accounts_the_password_form_is_gone_and_refused_but_the_provider_works()
    {
        using var browser = new OidcBrowser(fixture.OidcOnly);

        var page = await browser.App.GetStringAsync("/inloggen");
        Assert.Contains(">Inloggen met gemeente-account</button>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Wachtwoord", page, StringComparison.Ordinal);

        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = OidcBrowser.AntiforgeryToken(page),
            ["Input.UserName"] = "fo.demo",
            ["Input.Password"] = "Demo!2026kcc",
        });
        var refused = await browser.App.PostAsync("/inloggen", form);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.False(browser.HasAppSignInCookie);
        Assert.Equal("/inloggen", (await browser.App.GetAsync("/contacten/nieuw")).Headers.Location!.AbsolutePath);

        fixture.Idp.SetUser(new("sub-gert-0008", "gert.dekker", "Gert de Kker", ["kcc-frontoffice"]));
        var response = await browser.SignInAsync("gert.dekker", returnUrl: "/contacten/nieuw");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.App.GetAsync("/contacten/nieuw")).StatusCode);
    }

    private static async Task<(Employee? Employee, IList<string> Roles, List<(string Provider, string Key)> Logins)> EmployeeAsync(KccWebApplicationFactory app, string subject)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Employee>>();
        var employee = await users.FindByLoginAsync("oidc", subject);
        if (employee is null)
        {
            return (null, [], []);
        }

        var logins = (await users.GetLoginsAsync(employee)).Select(l => (l.LoginProvider, l.ProviderKey)).ToList();
        return (employee, await users.GetRolesAsync(employee), logins);
    }
}
