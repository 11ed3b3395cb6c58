using System.Text.RegularExpressions;
using Kcc.Workbench.EndToEnd.Support;
using Kcc.Workbench.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kcc.Workbench.EndToEnd;

/// <summary>
/// OpenID Connect sign-in in Chromium, the part an HTTP client cannot show: the browser's own rules. The provider is
/// at "localhost" and the app at 127.0.0.1, two sites, so the CSP form-action to the provider and the SameSite=Strict
/// sign-in cookie after a redirect chain the provider started are what a real agent's browser meets.
/// </summary>
public sealed class OidcSignInTests(KccApp app, OidcSignInTests.Fixture fixture) : IClassFixture<OidcSignInTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        private DirectoryInfo? dataFolder;

        public TestIdentityProvider Idp { get; private set; } = null!;

        public AppProcess App { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            Idp = await TestIdentityProvider.StartAsync([], hostName: "localhost");
            dataFolder = Directory.CreateTempSubdirectory("kcc-e2e-oidc-");
            App = await AppProcess.StartAsync(dataFolder.FullName, new Dictionary<string, string?>
            {
                ["Authentication__Oidc__Enabled"] = "true",
                ["Authentication__Oidc__Authority"] = Idp.BaseAddress.ToString(),
                ["Authentication__Oidc__ClientId"] = TestIdentityProvider.ClientId,
                ["Authentication__Oidc__ClientSecret"] = TestIdentityProvider.ClientSecret,
                ["Authentication__Oidc__RequireHttpsMetadata"] = "false",
            });
            await Idp.AllowRedirectUriAsync(new Uri(App.BaseUrl + "/signin-oidc"));

            // Warm up the cold paths (OpenIddict's pipeline and store, the app's login page) before the browser's
            // timeouts count: the whole suite runs in parallel on two cores.
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(60) };
            (await http.GetAsync(new Uri(Idp.BaseAddress, ".well-known/openid-configuration"))).EnsureSuccessStatusCode();
            (await http.GetAsync(new Uri(Idp.BaseAddress, ".well-known/jwks"))).EnsureSuccessStatusCode();
            (await http.GetAsync(new Uri(App.BaseUrl + "/inloggen"))).EnsureSuccessStatusCode();
        }

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await Idp.DisposeAsync();
            try
            {
                dataFolder?.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is harmless.
            }
        }
    }

    [Fact]
    public async Task An_agent_signs_in_with_the_gemeente_account_and_lands_on_the_page_they_asked_for()
    {
        fixture.Idp.SetUser(new("sub-e2e-0001", "iris.degroot", "Iris de Groot", ["kcc-frontoffice"]));
        await using var context = await app.Browser.NewContextAsync(new() { BaseURL = fixture.App.BaseUrl, Locale = "nl-NL" });
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        var cspErrors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                cspErrors.Add(message.Text);
            }
        };
        try
        {
            await page.GotoAsync("/contacten/nieuw");
            await Expect(page).ToHaveURLAsync(new Regex("/inloggen\\?returnUrl=", RegexOptions.IgnoreCase));
            await Ui.AxeAsync(page);
            await page.GetByRole(AriaRole.Button, new() { Name = "Inloggen met gemeente-account" }).ClickAsync();

            // At the provider's own site.
            await Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(fixture.Idp.BaseAddress + "connect/authorize")), new() { Timeout = 60_000 });
            await page.GetByLabel("User name").FillAsync("iris.degroot");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

            // Back at the workbench, signed in, on the page asked for (the provider's form_post, then our callback).
            await Expect(page).ToHaveURLAsync(fixture.App.BaseUrl + "/contacten/nieuw", new() { Timeout = 60_000 });
            await Expect(page.Locator(".kcc-shell")).ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = 60_000 });
            await Expect(page.GetByText("Iris de Groot · Frontoffice")).ToBeVisibleAsync();
            Assert.Empty(cspErrors);
        }
        catch
        {
            TestContext.Current.AddAttachment("app-output", fixture.App.Output);
            throw;
        }
    }
}
