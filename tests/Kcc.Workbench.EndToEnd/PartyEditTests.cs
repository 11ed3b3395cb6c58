using System.Text.RegularExpressions;
using Kcc.Workbench.EndToEnd.Support;
using Microsoft.Playwright;
using static Kcc.Workbench.EndToEnd.Support.Ui;
using static Microsoft.Playwright.Assertions;

namespace Kcc.Workbench.EndToEnd;

public sealed partial class PartyEditTests(KccApp app) : BrowserTest(app)
{
    [Fact]
    public async Task The_back_office_corrects_a_residents_phone_numbers_with_the_keyboard_and_both_pages_pass_axe()
    {
        await LoginAsync(Page, "bo.demo");
        await Page.GotoAsync("/betrokkenen/1");
        await Page.Locator("[data-interactive=true]").WaitForAsync();
        await AxeAsync(Page);

        await Page.GetByRole(AriaRole.Link, new() { Name = "Gegevens wijzigen" }).FocusAsync();
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1, NameRegex = EditHeading() })).ToBeVisibleAsync();
        await Page.Locator("[data-interactive=true]").WaitForAsync();
        await AxeAsync(Page);

        var phones = Page.GetByLabel("Telefoonnummers");
        await phones.FocusAsync();
        await Page.Keyboard.PressAsync("End");
        var before = await phones.InputValueAsync();
        await Page.Keyboard.TypeAsync((before.Length == 0 ? "" : ", ") + "020 765 4321");
        await Page.Keyboard.PressAsync("Enter");

        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Gegevens opgeslagen.");
        await AxeAsync(Page);
        await Page.GetByRole(AriaRole.Link, new() { Name = "Terug naar het klantbeeld" }).FocusAsync();
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByText("020 765 4321")).ToBeVisibleAsync();
    }

    [GeneratedRegex("^Gegevens wijzigen: ")]
    private static partial Regex EditHeading();
}
