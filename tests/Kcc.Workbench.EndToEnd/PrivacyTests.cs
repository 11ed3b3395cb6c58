using Kcc.Workbench.EndToEnd.Support;
using Microsoft.Playwright;
using static Kcc.Workbench.EndToEnd.Support.Ui;
using static Microsoft.Playwright.Assertions;

namespace Kcc.Workbench.EndToEnd;

public sealed class PrivacyTests(KccApp app) : BrowserTest(app)
{
    [Fact]
    public async Task A_beheerder_reads_the_terms_and_runs_the_retention_with_the_keyboard_and_the_page_passes_axe()
    {
        await LoginAsync(Page, "beheer.demo");
        await Page.GotoAsync("/beheer/privacy");
        await Page.Locator("[data-interactive=true]").WaitForAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Privacyverzoeken en bewaartermijnen", Level = 1 })).ToBeVisibleAsync();
        await Expect(Page.GetByText("Afgeronde taken van de backoffice: 2 jaar na afronding.", new() { Exact = false })).ToBeVisibleAsync();

        await Page.GetByRole(AriaRole.Button, new() { Name = "Nu anonimiseren" }).FocusAsync();
        await Page.Keyboard.PressAsync("Enter");

        // The demo data covers one year: nothing is past its term yet.
        await Expect(Page.GetByText("Klaar: 0 inwoners, 0 contacten, 0 vragen, 0 taken, 0 inboxgesprekken (0 berichten) en 0 zoekvragen zonder resultaat geanonimiseerd.")).ToBeVisibleAsync();
        await AxeAsync(Page);
    }
}
