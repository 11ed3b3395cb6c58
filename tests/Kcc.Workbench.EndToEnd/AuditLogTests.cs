using Kcc.Workbench.EndToEnd.Support;
using Microsoft.Playwright;
using static Kcc.Workbench.EndToEnd.Support.Ui;
using static Microsoft.Playwright.Assertions;

namespace Kcc.Workbench.EndToEnd;

public sealed class AuditLogTests(KccApp app) : BrowserTest(app)
{
    [Fact]
    public async Task A_beheerder_searches_the_audit_log_with_the_keyboard_and_the_page_passes_axe()
    {
        await LoginAsync(Page, "beheer.demo");
        await Page.GotoAsync("/beheer/audit");
        await Page.Locator("[data-interactive=true]").WaitForAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Auditlog", Level = 1 })).ToBeVisibleAsync();

        await Page.GetByLabel("Medewerker").FillAsync("Bea");
        await Page.Keyboard.PressAsync("Enter");

        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Exporteren als CSV" })).ToHaveAttributeAsync("href", "/beheer/audit.csv?medewerker=Bea");
        await AxeAsync(Page);
    }
}
