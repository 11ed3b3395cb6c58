using Kcc.Workbench.EndToEnd.Support;
using Microsoft.Playwright;
using static Kcc.Workbench.EndToEnd.Support.Ui;
using static Microsoft.Playwright.Assertions;

namespace Kcc.Workbench.EndToEnd;

/// <summary>
/// Every demo role lands on its own work after signing in and on "/", never on "Geen toegang", and the app bar stays
/// one line (logo whole, sign-out button inside the window) at 1280 and 1440 px.
/// </summary>
[Collection(FrontOfficeAccount.Name)]
public sealed class LandingTests(KccApp app) : BrowserTest(app)
{
    /// <summary>MudBlazor's dense app bar is 48 px; a second line of menu items makes it about twice that.</summary>
    private const int OneLineAppBar = 64;

    [Theory]
    [InlineData("fo.demo", "/contacten/nieuw", "Nieuw contact")]
    [InlineData("bo.demo", "/backoffice", "Backoffice")]
    [InlineData("tl.demo", "/dashboard", "Dashboard")]
    [InlineData("kb.demo", "/kennisbank", "Kennisbank")]
    [InlineData("beheer.demo", "/beheer", "Beheer")]
    public async Task Each_role_lands_on_its_own_work_and_the_app_bar_fits_on_one_line(string userName, string home, string heading)
    {
        await LoginAsync(Page, userName);
        await Expect(Page).ToHaveURLAsync(App.BaseUrl + home);
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 }).First).ToContainTextAsync(heading);
        await Expect(Page.GetByText("geen toegang", new() { Exact = false })).ToHaveCountAsync(0);

        await Page.GotoAsync("/");
        await Expect(Page).ToHaveURLAsync(App.BaseUrl + home);
        await Page.Locator("[data-interactive=true]").WaitForAsync();

        foreach (var width in new[] { 1280, 1440 })
        {
            await Page.SetViewportSizeAsync(width, 800);
            await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Uitloggen" })).ToBeVisibleAsync();
            var bar = (await Page.Locator("header.mud-appbar").BoundingBoxAsync())!;
            var brand = (await Page.Locator(".kcc-brand").BoundingBoxAsync())!;
            var signOut = (await Page.GetByRole(AriaRole.Button, new() { Name = "Uitloggen" }).BoundingBoxAsync())!;
            var folder = Directory.CreateDirectory(Path.Combine(KccApp.RepositoryRoot(), "TestResults", "screenshots"));
            await Page.ScreenshotAsync(new() { Path = Path.Combine(folder.FullName, $"appbar-{userName}-{width}.png"), Clip = new() { X = 0, Y = 0, Width = width, Height = 120 } });

            Assert.True(bar.Height <= OneLineAppBar, $"{userName} at {width} px: the app bar is {bar.Height} px high (two lines?)");
            Assert.True(brand.Y >= bar.Y && brand.Y + brand.Height <= bar.Y + bar.Height, $"{userName} at {width} px: the logo is clipped");
            Assert.True(brand.X >= 0 && signOut.X + signOut.Width <= width, $"{userName} at {width} px: the bar runs out of the window");
        }

        await AxeAsync(Page);
    }

    [Theory]
    [InlineData("kb.demo", "/contacten/zoeken", "/kennisbank")]
    [InlineData("bo.demo", "/beheer/audit", "/backoffice")]
    [InlineData("tl.demo", "/regie", "/regie")]
    public async Task A_return_address_the_role_may_not_open_leads_to_its_own_work_instead(string userName, string returnUrl, string expected)
    {
        await Page.GotoAsync("/inloggen?ReturnUrl=" + Uri.EscapeDataString(returnUrl));
        await Page.GetByLabel("Gebruikersnaam").FillAsync(userName);
        await Page.GetByLabel("Wachtwoord").FillAsync(DemoPassword);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Inloggen", Exact = true }).ClickAsync();

        await Expect(Page).ToHaveURLAsync(App.BaseUrl + expected);
        await Page.Locator("[data-interactive=true]").WaitForAsync();
        await Expect(Page.GetByText("geen toegang", new() { Exact = false })).ToHaveCountAsync(0);
    }
}
