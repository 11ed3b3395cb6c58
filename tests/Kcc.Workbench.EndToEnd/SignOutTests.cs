using System.Text.RegularExpressions;
using Kcc.Workbench.EndToEnd.Support;
using Microsoft.Playwright;
using static Kcc.Workbench.EndToEnd.Support.Ui;
using static Microsoft.Playwright.Assertions;

namespace Kcc.Workbench.EndToEnd;

/// <summary>
/// Signing out from the app bar ends the session everywhere: the page goes to the login page, and another open tab of
/// the same employee leaves its workbench for the login page by itself. As kb.demo, one after the other with the other
/// tests that use kb.demo (signing out ends every session of the account).
/// </summary>
[Collection(FrontOfficeAccount.Name)]
public sealed partial class SignOutTests(KccApp app) : BrowserTest(app)
{
    [Fact]
    public async Task Signing_out_from_the_app_bar_sends_every_open_tab_to_the_login_page()
    {
        await LoginAsync(Page, "kb.demo");
        var otherTab = await Context.NewPageAsync();
        await otherTab.GotoAsync("/kennisbank");
        await otherTab.Locator("[data-interactive=true]").WaitForAsync();
        await Page.GotoAsync("/kennisbank/zoeken");
        await Page.Locator("[data-interactive=true]").WaitForAsync();

        await Page.GetByRole(AriaRole.Button, new() { Name = "Uitloggen" }).ClickAsync();

        await Expect(Page).ToHaveURLAsync(LoginUrl());
        await Expect(otherTab).ToHaveURLAsync(LoginUrl());
        await Page.GotoAsync("/kennisbank");
        await Expect(Page).ToHaveURLAsync(LoginUrl());
    }

    [GeneratedRegex("/inloggen")]
    private static partial Regex LoginUrl();
}
