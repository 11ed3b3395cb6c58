using System.Text.RegularExpressions;
using Kcc.Workbench.EndToEnd.Support;
using Microsoft.Playwright;
using static Kcc.Workbench.EndToEnd.Support.Ui;
using static Microsoft.Playwright.Assertions;

namespace Kcc.Workbench.EndToEnd;

/// <summary>
/// Two employees at once: the front office routes a callback request to Burgerzaken, the back office sees it arrive
/// in its open queue without reloading, completes it, and the front office reads the result on the klantbeeld.
/// </summary>
[Collection(FrontOfficeAccount.Name)]
public sealed partial class RoutingTests(KccApp app) : BrowserTest(app)
{
    [Fact]
    public async Task A_routed_question_appears_live_in_the_back_office_queue_and_its_result_on_the_party_page()
    {
        var backOfficeContext = await App.NewContextAsync(App.BaseUrl);
        try
        {
            // bo.demo has the Burgerzaken queue open.
            var backOffice = await backOfficeContext.NewPageAsync();
            await LoginAsync(backOffice, "bo.demo");
            await backOffice.GotoAsync("/backoffice");
            await backOffice.Locator("[data-interactive=true]").WaitForAsync();
            await Expect(backOffice.GetByRole(AriaRole.Heading, new() { Name = "Backoffice", Level = 1 })).ToBeVisibleAsync();
            await Expect(backOffice.GetByRole(AriaRole.Heading, new() { Name = "Wachtrij Burgerzaken" })).ToBeVisibleAsync();
            await AxeAsync(backOffice);

            // fo.demo takes a call from a new resident who wants to be called back about the passport.
            var marker = Guid.NewGuid().ToString("N")[..8];
            var lastName = "Routering" + marker[..5];
            await LoginAsync(Page, "fo.demo");
            await OpenEmptyContactFormAsync(Page);
            await Page.GetByRole(AriaRole.Button, new() { Name = "Nieuwe inwoner" }).ClickAsync();
            await Page.GetByLabel("Voornamen").FillAsync("Rita");
            await Page.GetByLabel("Achternaam").FillAsync(lastName);
            await Page.GetByLabel("BSN").FillAsync("111222333");
            await Page.GetByLabel("Telefoonnummer").FillAsync("06 2345 6789");
            await Page.GetByRole(AriaRole.Button, new() { Name = "Inwoner opslaan" }).ClickAsync();
            await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Rita " + lastName })).ToBeVisibleAsync();

            var question = Page.GetByRole(AriaRole.Region, new() { Name = "Vraag 1" });
            await question.GetByRole(AriaRole.Combobox, new() { Name = "Onderwerp" }).FillAsync("paspo");
            await Page.GetByRole(AriaRole.Option, new() { Name = "paspoort", Exact = true }).ClickAsync();
            // The topic list must be closed before typing on: an open list takes the next field's input.
            await Expect(Page.GetByRole(AriaRole.Option, new() { Name = "paspoort", Exact = true })).ToBeHiddenAsync();
            var questionText = question.GetByLabel("Vraag", new() { Exact = true });
            await questionText.FillAsync($"Is mijn paspoort al klaar? ({marker})");
            await Expect(questionText).ToHaveValueAsync($"Is mijn paspoort al klaar? ({marker})");
            await question.GetByRole(AriaRole.Combobox, new() { Name = "Afhandeling" }).ClickAsync();
            await Page.GetByRole(AriaRole.Option, new() { Name = "Terugbelverzoek" }).ClickAsync();

            // The routing fields: team from the routing rule, the resident's number, and the date to promise.
            var routing = question.GetByRole(AriaRole.Group, new() { Name = "Doorzetten naar de backoffice" });
            await Expect(routing).ToContainTextAsync("Beloofd: uiterlijk");
            await Expect(routing).ToContainTextAsync("(Terugbelverzoek: 1 werkdag)");
            await Expect(routing.GetByRole(AriaRole.Combobox, new() { Name = "Team" })).ToContainTextAsync("Burgerzaken");
            await Expect(routing.GetByRole(AriaRole.Combobox, new() { Name = "Gevraagde handeling" })).ToContainTextAsync("Terugbellen");
            await Expect(routing.GetByLabel("Telefoonnummer")).ToHaveValueAsync(PhoneNumber());
            await routing.GetByLabel("Toelichting voor de backoffice").FillAsync("Inwoner wacht op bericht over de aanvraag.");
            await AxeAsync(Page);
            await Page.Keyboard.PressAsync("Control+Enter");
            var confirmation = Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Contact opgeslagen" });
            await Expect(confirmation).ToBeVisibleAsync();

            // bo.demo's open queue shows it without a reload.
            var row = backOffice.GetByRole(AriaRole.Row).Filter(new() { HasText = marker });
            await Expect(row).ToBeVisibleAsync();
            await Expect(row).ToContainTextAsync("Terugbellen");
            await Expect(row).ToContainTextAsync("R. R.");
            await Expect(backOffice).ToHaveURLAsync(BackOfficeUrl());

            await row.GetByRole(AriaRole.Link, new() { Name = "paspoort" }).ClickAsync();
            await Expect(backOffice.GetByRole(AriaRole.Heading, new() { Name = "Terugbellen: paspoort", Level = 1 })).ToBeVisibleAsync();
            await Expect(backOffice.GetByText("Inwoner wacht op bericht over de aanvraag.")).ToBeVisibleAsync();
            await AxeAsync(backOffice);
            await backOffice.GetByRole(AriaRole.Button, new() { Name = "Oppakken" }).ClickAsync();
            await Expect(backOffice.GetByText("U heeft de taak opgepakt.")).ToBeVisibleAsync();
            await backOffice.GetByLabel("Resultaat voor de inwoner").FillAsync("Uw paspoort ligt klaar. Ophalen kan aan de balie, neem uw oude paspoort mee.");
            await backOffice.GetByRole(AriaRole.Button, new() { Name = "Taak afronden" }).ClickAsync();
            await Expect(backOffice.GetByText("De taak is afgerond.", new() { Exact = false })).ToBeVisibleAsync();
            await AxeAsync(backOffice);

            // fo.demo reads the result back on the klantbeeld.
            await confirmation.GetByRole(AriaRole.Link, new() { Name = "Klantbeeld" }).ClickAsync();
            await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Rita " + lastName, Level = 1 })).ToBeVisibleAsync();
            var completed = Page.GetByRole(AriaRole.List, new() { Name = "Afgeronde doorgezette vragen" });
            await Expect(completed).ToContainTextAsync("Uw paspoort ligt klaar.");
            await Expect(completed).ToContainTextAsync("Bram Oosterhuis");
            await AxeAsync(Page);
        }
        finally
        {
            await backOfficeContext.CloseAsync();
        }
    }

    [Fact]
    public async Task The_regie_overview_shows_open_tasks_and_has_no_serious_accessibility_violations()
    {
        await LoginAsync(Page, "tl.demo");
        await Page.GotoAsync("/regie");
        await Page.Locator("[data-interactive=true]").WaitForAsync();

        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Regie op doorgezette vragen", Level = 1 })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Escalaties: te laat in mijn teams" })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "te laat" })).ToContainTextAsync("waarvan");
        await AxeAsync(Page);
    }

    [GeneratedRegex("/backoffice$")]
    private static partial Regex BackOfficeUrl();

    [GeneratedRegex("2345")]
    private static partial Regex PhoneNumber();
}
