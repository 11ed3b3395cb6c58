using System.Text.RegularExpressions;
using Kcc.Workbench.EndToEnd.Support;
using Microsoft.Playwright;
using static Kcc.Workbench.EndToEnd.Support.Ui;
using static Microsoft.Playwright.Assertions;

namespace Kcc.Workbench.EndToEnd;

public sealed partial class SignInTests(KccApp app) : BrowserTest(app)
{
    [Fact]
    public async Task Login_page_has_no_serious_accessibility_violations()
    {
        await Page.GotoAsync("/inloggen");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Inloggen bij de KCC Werkplek");

        await AxeAsync(Page);
    }

    [Fact]
    public async Task Wrong_password_shows_a_Dutch_error_and_stays_on_the_login_page()
    {
        // Not fo.demo: failed attempts count towards that account's lockout.
        await Page.GotoAsync("/inloggen");
        await Page.GetByLabel("Gebruikersnaam").FillAsync("kb.demo");
        await Page.GetByLabel("Wachtwoord").FillAsync("niet-het-wachtwoord");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Inloggen", Exact = true }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("klopt niet");
        await Expect(Page).ToHaveURLAsync(LoginUrl());
        await Expect(Page.GetByLabel("Gebruikersnaam")).ToHaveAttributeAsync("aria-describedby", "login-error");
    }

    [Fact]
    public async Task Frontoffice_agent_signs_in_and_gets_the_interactive_workbench()
    {
        await LoginAsync(Page, "fo.demo");

        await Expect(Page).Not.ToHaveURLAsync(LoginUrl());
        await Expect(Page.Locator(".kcc-shell")).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Uitloggen" })).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/contacten/zoeken")]
    public async Task Anonymous_visitor_of_a_workbench_page_is_sent_to_the_login_page(string path)
    {
        await Page.GotoAsync(path);

        await Expect(Page).ToHaveURLAsync(LoginUrl());
        Assert.Contains("returnUrl=" + Uri.EscapeDataString(path), Page.Url, StringComparison.OrdinalIgnoreCase);
        await Expect(Page.GetByLabel("Gebruikersnaam")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Shell_after_sign_in_has_no_serious_accessibility_violations()
    {
        await LoginAsync(Page, "fo.demo");
        await AxeAsync(Page);
    }

    [Fact]
    public async Task Keyboard_focus_is_visible_in_the_app_bar()
    {
        await LoginAsync(Page, "fo.demo");
        // The contact form puts focus in its party search; use a page that leaves focus alone.
        await Page.GotoAsync("/contacten/zoeken");
        await Page.Locator("[data-interactive=true]").WaitForAsync();
        // The router puts focus on the page's heading once it is interactive; wait for it, or it takes focus back.
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeFocusedAsync();

        // Tab from the shortcuts button to "Uitloggen": focus moved by keyboard, so :focus-visible applies.
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sneltoetsen" }).FocusAsync();
        await Page.Keyboard.PressAsync("Tab");

        var focused = Page.Locator(":focus");
        await Expect(focused).ToHaveTextAsync("Uitloggen");
        await Expect(focused).ToHaveCSSAsync("outline-style", "solid");
        await Expect(focused).ToHaveCSSAsync("outline-width", "3px");
    }

    [Fact]
    public async Task The_heading_takes_focus_after_a_page_change_only_while_the_agent_is_not_typing_in_a_field()
    {
        await LoginAsync(Page, "fo.demo");
        await Page.GotoAsync("/contacten/zoeken");
        await Page.Locator("[data-interactive=true]").WaitForAsync();
        var heading = Page.GetByRole(AriaRole.Heading, new() { Level = 1 });
        await Expect(heading).ToBeFocusedAsync();

        // On a busy server the router's focus call comes after the client confirmed the page's first render, which
        // can be after the agent went to a field and typed: it must not take the rest of their keys.
        var topic = Page.Locator("#filter-topic");
        await topic.FocusAsync();
        await Page.Keyboard.TypeAsync("r");
        await Page.EvaluateAsync("() => kccKeyboard.focusHeading('h1')");
        await Page.Keyboard.TypeAsync("ijbew");
        await Expect(topic).ToBeFocusedAsync();
        await Expect(topic).ToHaveValueAsync("rijbew");

        // Focus on the page itself still moves to the heading, so a screen reader announces the new page.
        await Page.EvaluateAsync("() => document.activeElement.blur()");
        await Page.EvaluateAsync("() => kccKeyboard.focusHeading('h1')");
        await Expect(heading).ToBeFocusedAsync();
    }

    [Fact]
    public async Task Workbench_loads_nothing_from_outside_the_app()
    {
        var requested = new List<string>();
        Context.Request += (_, request) =>
        {
            lock (requested)
            {
                requested.Add(request.Url);
            }
        };
        Page.WebSocket += (_, socket) =>
        {
            lock (requested)
            {
                requested.Add(socket.Url);
            }
        };

        await LoginAsync(Page, "fo.demo");
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        string[] urls;
        lock (requested)
        {
            urls = [.. requested];
        }

        Assert.Contains(urls, u => u.StartsWith("ws://", StringComparison.Ordinal)); // the Blazor circuit itself
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", urls));
        var outside = urls.Where(u => !Uri.TryCreate(u, UriKind.Absolute, out var uri) || uri.Host is not ("127.0.0.1" or "localhost")).ToList();
        Assert.True(outside.Count == 0, "Requests outside the app:\n" + string.Join("\n", outside));
    }

    private static Regex LoginUrl() => LoginUrlPattern();

    [GeneratedRegex(@"/inloggen(\?|$)")]
    private static partial Regex LoginUrlPattern();
}
