using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Account;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;

namespace Kcc.Workbench.Tests.Features.Account;

public sealed partial class SignInTests(SignInTests.Fixture fixture) : IClassFixture<SignInTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public KccWebApplicationFactory Factory { get; } = new();

        public ValueTask InitializeAsync()
        {
            _ = Factory.Server; // starts the app: migrations and demo seed
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => Factory.DisposeAsync();
    }

    public static TheoryData<string> ProtectedPages()
    {
        var data = new TheoryData<string>();
        foreach (var type in typeof(Program).Assembly.GetTypes())
        {
            if (type.GetCustomAttribute<AllowAnonymousAttribute>() is not null)
            {
                continue;
            }

            foreach (var route in type.GetCustomAttributes<RouteAttribute>())
            {
                // Fill route parameters with a plausible value ("{PartyId:int}" → 1).
                data.Add(RouteParameter().Replace(route.Template, "1"));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ProtectedPages))]
    public async Task Every_page_but_the_login_page_sends_an_anonymous_visitor_to_inloggen(string path)
    {
        using var client = fixture.Factory.CreateBrowserLikeClient();

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/inloggen", response.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_login_and_error_pages_are_open_without_signing_in()
    {
        var anonymous = typeof(Program).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<AllowAnonymousAttribute>() is not null && t.GetCustomAttributes<RouteAttribute>().Any())
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => r.Template))
            .Order();
        Assert.Equal(["/fout", "/inloggen"], anonymous);
    }

    [Fact]
    public async Task The_login_page_is_dutch_and_open_to_everyone()
    {
        using var client = fixture.Factory.CreateBrowserLikeClient();

        var html = await client.GetStringAsync("/inloggen");

        Assert.Contains("<html lang=\"nl\">", html, StringComparison.Ordinal);
        Assert.Contains(">Gebruikersnaam</label>", html, StringComparison.Ordinal);
        Assert.Contains(">Wachtwoord</label>", html, StringComparison.Ordinal);
        Assert.Contains(">Inloggen</button>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_oidc_configured_there_is_no_provider_button_nor_endpoint()
    {
        using var client = fixture.Factory.CreateBrowserLikeClient();

        var html = await client.GetStringAsync("/inloggen");
        var start = await client.PostAsync("/inloggen/extern/start", new FormUrlEncodedContent([]));

        Assert.DoesNotContain("Inloggen met", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, start.StatusCode);
    }

    [Fact]
    public async Task A_demo_agent_signs_in_and_reaches_the_contact_form()
    {
        using var client = fixture.Factory.CreateBrowserLikeClient();

        var response = await SignInAsync(client, "fo.demo", "Demo!2026kcc", "/contacten/nieuw");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/contacten/nieuw", response.Headers.Location!.PathAndQuery);
        Assert.Equal("localhost", response.Headers.Location.Host);
        var form = await client.GetAsync("/contacten/nieuw");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_in_dutch()
    {
        using var client = fixture.Factory.CreateBrowserLikeClient();

        var response = await SignInAsync(client, "kb.demo", "fout-wachtwoord", "/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Gebruikersnaam of wachtwoord klopt niet", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Five_failures_lock_the_account_even_for_the_right_password()
    {
        // An app of its own: the locked account must not fail the other tests of this class that sign in as tl.demo.
        await using var factory = new KccWebApplicationFactory();
        using var client = factory.CreateBrowserLikeClient();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await SignInAsync(client, "tl.demo", "fout-wachtwoord-" + attempt, "/");
        }

        var response = await SignInAsync(client, "tl.demo", "Demo!2026kcc", "/");

        // Still the login page with the one message for every refusal (it does not tell that the account exists).
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Login.FailureMessage, LoginForm.Message(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Many_attempts_from_one_address_are_slowed_down_with_a_dutch_429()
    {
        await using var factory = new KccWebApplicationFactory(new Dictionary<string, string?> { ["Kcc:Inloggen:PogingenPerMinuut"] = "3" });
        using var client = factory.CreateBrowserLikeClient();
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            statuses.Add((await SignInAsync(client, "beheer.demo", "fout-" + attempt, "/")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        var limited = await SignInAsync(client, "beheer.demo", "Demo!2026kcc", "/");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Contains("Te veel inlogpogingen", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_return_url_to_another_site_is_ignored()
    {
        using var client = fixture.Factory.CreateBrowserLikeClient();

        var response = await SignInAsync(client, "bo.demo", "Demo!2026kcc", "//evil.example/phish");

        Assert.Equal("localhost", response.Headers.Location!.Host);
        Assert.Equal("/backoffice", response.Headers.Location.PathAndQuery);
    }

    [Theory]
    [InlineData("fo.demo", "/", "/contacten/nieuw")]
    [InlineData("bo.demo", "/", "/backoffice")]
    [InlineData("tl.demo", "/", "/dashboard")]
    [InlineData("kb.demo", "/", "/kennisbank")]
    [InlineData("beheer.demo", "/", "/beheer")]
    [InlineData("kb.demo", "/contacten/zoeken", "/kennisbank")]
    [InlineData("fo.demo", "/beheer/audit", "/contacten/nieuw")]
    [InlineData("bo.demo", "/dashboard?van=2026-11-01", "/backoffice")]
    [InlineData("tl.demo", "/regie", "/regie")]
    [InlineData("bo.demo", "/taken/12", "/taken/12")]
    public async Task Each_role_lands_on_its_own_work_or_on_the_page_it_asked_for_when_it_may_open_it(string userName, string returnUrl, string expected)
    {
        using var client = fixture.Factory.CreateBrowserLikeClient();

        var response = await SignInAsync(client, userName, "Demo!2026kcc", returnUrl);

        Assert.Equal(expected, response.Headers.Location!.PathAndQuery);
        var page = await client.GetAsync(response.Headers.Location);
        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        Assert.DoesNotContain("geen toegang", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string userName, string password, string returnUrl)
    {
        var page = await client.GetStringAsync("/inloggen");
        var token = AntiforgeryToken().Match(page).Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.UserName"] = userName,
            ["Input.Password"] = password,
        });
        return await client.PostAsync("/inloggen?returnUrl=" + Uri.EscapeDataString(returnUrl), form);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
