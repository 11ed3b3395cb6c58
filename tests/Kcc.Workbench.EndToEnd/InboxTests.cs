using System.Text.RegularExpressions;
using Kcc.Workbench.EndToEnd.Support;
using Microsoft.Playwright;
using static Kcc.Workbench.EndToEnd.Support.Ui;
using static Microsoft.Playwright.Assertions;

namespace Kcc.Workbench.EndToEnd;

/// <summary>
/// The demo inbox, keyboard only: the front office takes the resident who waits longest with "Volgende pakken",
/// answers from the kennisbank with the e-mail text and sends; the contact is logged and the reply waits in the outbox.
/// </summary>
[Collection(FrontOfficeAccount.Name)]
public sealed partial class InboxTests(KccApp app) : BrowserTest(app)
{
    [Fact]
    public async Task The_front_office_takes_the_oldest_message_and_answers_it_from_the_kennisbank_with_the_keyboard_alone()
    {
        await LoginAsync(Page, "fo.demo");
        await Page.GotoAsync("/inbox");
        await Page.Locator("[data-interactive=true]").WaitForAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Inbox", Level = 1 })).ToBeVisibleAsync();
        var mail = Page.GetByRole(AriaRole.Table, new() { Name = "Wachtende gesprekken E-mail" });
        await Expect(mail).ToContainTextAsync("Paspoort verlopen");
        await Expect(Page.GetByRole(AriaRole.Table, new() { Name = "Wachtende gesprekken WhatsApp" })).ToContainTextAsync("rijbewijs");
        await AxeAsync(Page);

        // From the skip link to "Volgende pakken" with Tab only.
        var take = Page.GetByRole(AriaRole.Button, new() { Name = "Volgende pakken" });
        for (var i = 0; i < 30 && !await take.EvaluateAsync<bool>("b => b === document.activeElement"); i++)
        {
            await Page.Keyboard.PressAsync("Tab");
        }

        await Expect(take).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page).ToHaveURLAsync(ConversationUrl());
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "E-mail: Paspoort verlopen", Level = 1 })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.List, new() { Name = "Berichten, oudste eerst" })).ToContainTextAsync("Mijn paspoort is verlopen");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Klantbeeld" })).ToBeVisibleAsync();
        await AxeAsync(Page);

        // Topic, then the kennisbank's e-mail text into the answer, then send.
        await Page.Keyboard.PressAsync("Alt+v");
        await Expect(Page.Locator("#q0-topic")).ToBeFocusedAsync();
        await Page.Keyboard.TypeAsync("pasp", new() { Delay = 60 });
        // Tab takes the list's first item: wait until the list is the one for the typed text (see AgentLoopTests).
        await Expect(Page.GetByRole(AriaRole.Option).First).ToHaveTextAsync("paspoort");
        await Page.Keyboard.PressAsync("Tab");
        await Expect(Page.Locator("#q0-topic")).ToHaveValueAsync("paspoort");
        await Expect(Page.GetByRole(AriaRole.List, new() { Name = "Gevonden artikelen" })).ToBeVisibleAsync();
        await Page.Keyboard.PressAsync("Alt+k");
        await Page.Keyboard.PressAsync("ArrowDown");
        await Page.Keyboard.PressAsync("Enter");
        var answer = Page.Locator("#q0-answer");
        await Expect(answer).ToBeFocusedAsync();
        var inserted = await answer.InputValueAsync();
        Assert.True(inserted.Length > 20, inserted);
        await Expect(Page.GetByText("Antwoord uit kennisbank:")).ToBeVisibleAsync();

        var send = Page.GetByRole(AriaRole.Button, new() { Name = "Versturen en vastleggen" });
        for (var i = 0; i < 20 && !await send.EvaluateAsync<bool>("b => b === document.activeElement"); i++)
        {
            await Page.Keyboard.PressAsync("Tab");
        }

        await Expect(send).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("het contact is vastgelegd");
        var reply = Page.Locator("li.kcc-msg-out");
        await Expect(reply).ToContainTextAsync("Antwoord van Fatima Ouali");
        await Expect(reply).ToContainTextAsync(inserted[..20]);
        await AxeAsync(Page);
    }

    [GeneratedRegex(@"/inbox/\d+$")]
    private static partial Regex ConversationUrl();
}
