using System.Text.RegularExpressions;
using Kcc.Workbench.EndToEnd.Support;
using Microsoft.Playwright;
using static Kcc.Workbench.EndToEnd.Support.Ui;
using static Microsoft.Playwright.Assertions;

namespace Kcc.Workbench.EndToEnd;

/// <summary>The agent's journey: a phone call from a new resident with two questions, then the klantbeeld.</summary>
[Collection(FrontOfficeAccount.Name)]
public sealed partial class ContactLoggingTests(KccApp app) : BrowserTest(app)
{
    [Fact]
    public async Task An_agent_logs_a_phone_contact_with_two_questions_for_a_new_person_and_finds_it_on_the_party_page()
    {
        await LoginAsync(Page, "fo.demo");
        await OpenEmptyContactFormAsync(Page);
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Nieuw contact", Level = 1 })).ToBeVisibleAsync();

        await Page.GetByRole(AriaRole.Radio, new() { Name = "Telefoon" }).CheckAsync();
        var lastName = "Testpersoon" + Guid.NewGuid().ToString("N")[..6];
        await Page.GetByRole(AriaRole.Button, new() { Name = "Nieuwe inwoner" }).ClickAsync();
        await Page.GetByLabel("Voornamen").FillAsync("Henk");
        await Page.GetByLabel("Achternaam").FillAsync(lastName);
        await Page.GetByLabel("BSN").FillAsync("123456782");
        await Page.GetByLabel("Telefoonnummer").FillAsync("06 1234 5678");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Inwoner opslaan" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Henk " + lastName })).ToBeVisibleAsync();

        // The first question: keyboard only, from the topic field on.
        var first = Page.GetByRole(AriaRole.Region, new() { Name = "Vraag 1" });
        await first.GetByRole(AriaRole.Combobox, new() { Name = "Onderwerp" }).FillAsync("paspo");
        await Page.GetByRole(AriaRole.Option, new() { Name = "paspoort", Exact = true }).ClickAsync();
        // The topic list must be closed before typing on: an open list takes the next field's input.
        await Expect(Page.GetByRole(AriaRole.Option, new() { Name = "paspoort", Exact = true })).ToBeHiddenAsync();
        await first.GetByLabel("Vraag", new() { Exact = true }).FillAsync("Hoe vraag ik een nieuw paspoort aan?");
        await Expect(first.GetByLabel("Vraag", new() { Exact = true })).ToHaveValueAsync("Hoe vraag ik een nieuw paspoort aan?");
        await first.GetByLabel("Antwoord").FillAsync("Maak een afspraak via de website en neem een pasfoto mee.");

        await Page.Keyboard.PressAsync("Alt+q");
        var second = Page.GetByRole(AriaRole.Region, new() { Name = "Vraag 2" });
        await Expect(second.GetByRole(AriaRole.Combobox, new() { Name = "Onderwerp" })).ToBeFocusedAsync();
        await Page.Keyboard.TypeAsync("rijbew", new() { Delay = 60 });
        await Page.GetByRole(AriaRole.Option, new() { Name = "rijbewijs", Exact = true }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Option, new() { Name = "rijbewijs", Exact = true })).ToBeHiddenAsync();
        await second.GetByLabel("Vraag", new() { Exact = true }).FillAsync("Mijn rijbewijs is verlopen, wat nu?");
        await Expect(second.GetByLabel("Vraag", new() { Exact = true })).ToHaveValueAsync("Mijn rijbewijs is verlopen, wat nu?");

        await Page.Keyboard.PressAsync("Control+Enter");

        var confirmation = Page.GetByRole(AriaRole.Status);
        await Expect(confirmation).ToContainTextAsync("Contact opgeslagen");
        await Expect(Page.GetByRole(AriaRole.Region, new() { Name = "Vraag 2" })).ToHaveCountAsync(0);
        await confirmation.GetByRole(AriaRole.Link, new() { Name = "Klantbeeld" }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Henk " + lastName, Level = 1 })).ToBeVisibleAsync();
        var history = Page.GetByRole(AriaRole.List, new() { Name = "Contacthistorie" });
        await Expect(history).ToContainTextAsync("Telefoon");
        await Expect(history).ToContainTextAsync("paspoort");
        await Expect(history).ToContainTextAsync("Hoe vraag ik een nieuw paspoort aan?");
        await Expect(history).ToContainTextAsync("rijbewijs");
        await Expect(Page.GetByText("•••••6782")).ToBeVisibleAsync();
        await AxeAsync(Page);
        Assert.DoesNotContain(ConsoleErrors, e => e.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_contact_form_has_no_serious_accessibility_violations_also_with_errors_shown()
    {
        await LoginAsync(Page, "fo.demo");
        await OpenEmptyContactFormAsync(Page);
        await AxeAsync(Page);

        await Page.GetByRole(AriaRole.Button, new() { Name = "Contact opslaan" }).ClickAsync();
        await Expect(Page.GetByText("Kies een onderwerp.", new() { Exact = true })).ToBeVisibleAsync();
        await AxeAsync(Page);
    }

    [Fact]
    public async Task Alt_n_opens_a_new_contact_from_any_page()
    {
        await LoginAsync(Page, "fo.demo");
        await Page.GotoAsync("/contacten/zoeken");
        await WaitForInteractiveAsync();

        await Page.Keyboard.PressAsync("Alt+n");

        await Expect(Page).ToHaveURLAsync(NewContactUrl());
        await Expect(Page.GetByLabel("Zoek inwoner")).ToBeFocusedAsync();
    }

    private Task WaitForInteractiveAsync() => Page.Locator("[data-interactive=true]").WaitForAsync();

    [GeneratedRegex("/contacten/nieuw$")]
    private static partial Regex NewContactUrl();
}
