using Kcc.Workbench.EndToEnd.Support;
using Microsoft.Playwright;
using static Kcc.Workbench.EndToEnd.Support.Ui;
using static Microsoft.Playwright.Assertions;

namespace Kcc.Workbench.EndToEnd;

/// <summary>
/// The loop an agent repeats a hundred times a day, keyboard only, with every key counted: keys that move or command
/// (Tab, arrows, Enter, shortcuts) apart from the characters typed as content. The counts are written to the test
/// output and to TestResults/keystrokes.txt.
/// </summary>
[Collection(FrontOfficeAccount.Name)]
public sealed class AgentLoopTests(KccApp app) : BrowserTest(app)
{
    /// <summary>Presses keys the way an agent does and counts them.</summary>
    private sealed class Keys(IPage page)
    {
        public int Commands { get; private set; }

        public int Typed { get; private set; }

        public async Task PressAsync(string key, int times = 1)
        {
            for (var i = 0; i < times; i++)
            {
                await page.Keyboard.PressAsync(key);
                Commands++;
            }
        }

        public async Task TypeAsync(string text)
        {
            await page.Keyboard.TypeAsync(text, new() { Delay = 15 });
            Typed += text.Length;
        }

        public string Report(string journey) => $"{journey}: {Commands} toetsen om te navigeren en te bedienen, {Typed} getypte tekens";
    }

    private static void Record(string line)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        var folder = Directory.CreateDirectory(Path.Combine(KccApp.RepositoryRoot(), "TestResults"));
        File.AppendAllText(Path.Combine(folder.FullName, "keystrokes.txt"), line + Environment.NewLine);
    }

    private async Task OpenFormAsync()
    {
        await LoginAsync(Page, "fo.demo");
        // fo.demo's draft from an earlier test of this collection would make Alt+N ask first.
        await OpenEmptyContactFormAsync(Page);
    }

    private ILocator Question(int number) => Page.GetByRole(AriaRole.Region, new() { Name = $"Vraag {number}" });

    private ILocator Topic(int number) => Question(number).GetByRole(AriaRole.Combobox, new() { Name = "Onderwerp" });

    private ILocator Saved => Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Contact opgeslagen" });

    /// <summary>A resident of this test only, made with the form's "Nieuwe inwoner" (not counted), with one earlier passport call.</summary>
    private async Task<string> ResidentWhoCalledAboutThePassportAsync()
    {
        var lastName = "Toets" + Guid.NewGuid().ToString("N")[..6];
        await Page.GetByRole(AriaRole.Button, new() { Name = "Nieuwe inwoner" }).ClickAsync();
        await Page.GetByLabel("Voornamen").FillAsync("Mila");
        await Page.GetByLabel("Achternaam").FillAsync(lastName);
        await Page.GetByLabel("Telefoonnummer").FillAsync("06 3456 7890");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Inwoner opslaan" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Mila " + lastName })).ToBeVisibleAsync();
        await Topic(1).FillAsync("paspo");
        await Page.GetByRole(AriaRole.Option, new() { Name = "paspoort", Exact = true }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Option, new() { Name = "paspoort", Exact = true })).ToBeHiddenAsync();
        await Question(1).GetByLabel("Vraag", new() { Exact = true }).FillAsync("Wat kost een paspoort?");
        await Page.Keyboard.PressAsync("Control+Enter");
        await Expect(Saved).ToBeVisibleAsync();
        return lastName;
    }

    /// <summary>Types a topic, waits for the list, and takes the first item with Tab.</summary>
    private async Task ChooseTopicAsync(Keys keys, string typed, string name)
    {
        await keys.TypeAsync(typed);
        // Tab takes the list's first item: wait until the list is the one for the typed text, as the agent sees it. A
        // list from before the last letters (one CI run: every topic, "klacht" first) may still show the name further down.
        await Expect(Page.GetByRole(AriaRole.Option).First).ToHaveTextAsync(name);
        await keys.PressAsync("Tab");
        await Expect(Topic(1)).ToHaveValueAsync(name);
    }

    private async Task ChooseResidentAsync(Keys keys, string lastName)
    {
        await Expect(Page.GetByLabel("Zoek inwoner")).ToBeFocusedAsync();
        await keys.TypeAsync(lastName);
        await keys.PressAsync("Enter");
        var result = Page.Locator("button.kcc-result").Filter(new() { HasText = lastName });
        await Expect(result).ToBeVisibleAsync();
        await keys.PressAsync("ArrowDown");
        await Expect(result).ToBeFocusedAsync();
        await keys.PressAsync("Enter");
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Mila " + lastName })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_known_residents_phone_question_is_answered_from_the_kennisbank_with_the_repeat_warning_after_resident_then_topic()
    {
        await OpenFormAsync();
        var lastName = await ResidentWhoCalledAboutThePassportAsync();
        var keys = new Keys(Page);

        await keys.PressAsync("Alt+n");
        await ChooseResidentAsync(keys, lastName);
        await Expect(Topic(1)).ToBeFocusedAsync();
        // The earlier call and its question are in the form, with what became of it.
        await Expect(Page.GetByRole(AriaRole.List, new() { Name = "Contacthistorie" })).ToContainTextAsync("Wat kost een paspoort?");
        await ChooseTopicAsync(keys, "pasp", "paspoort");
        await Expect(Question(1).GetByText("Herhaalcontact:")).ToBeVisibleAsync();

        var questionText = Question(1).GetByLabel("Vraag", new() { Exact = true });
        await Expect(questionText).ToBeFocusedAsync();
        await keys.TypeAsync("Mijn paspoort verloopt, hoe vraag ik een nieuw paspoort aan en wat kost het?");
        var first = Page.GetByRole(AriaRole.Button, new() { Name = "Invoegen: Paspoort aanvragen" });
        await Expect(Page.GetByRole(AriaRole.List, new() { Name = "Gevonden artikelen" }).GetByRole(AriaRole.Button).First).ToHaveAccessibleNameAsync("Invoegen: Paspoort aanvragen");
        await keys.PressAsync("Alt+k");
        await keys.PressAsync("ArrowDown");
        await Expect(first).ToBeFocusedAsync();
        await keys.PressAsync("Enter");

        // The caret waits after the inserted answer: the next key adds to it instead of wiping it.
        var answer = Question(1).GetByLabel("Antwoord");
        await Expect(answer).ToBeFocusedAsync();
        var length = (await answer.InputValueAsync()).Length;
        Assert.True(length > 20);
        Assert.Equal(length, await answer.EvaluateAsync<int>("el => el.selectionStart"));
        Assert.Equal(length, await answer.EvaluateAsync<int>("el => el.selectionEnd"));

        await keys.PressAsync("Control+Enter");
        await Expect(Saved).ToBeVisibleAsync();
        // Ready for the next resident: the panel no longer shows this caller's articles.
        await Expect(Page.GetByRole(AriaRole.List, new() { Name = "Gevonden artikelen" })).ToHaveCountAsync(0);
        Record(keys.Report("Bekende inwoner, telefoonvraag beantwoord uit de kennisbank"));
        Assert.True(keys.Commands <= 12, keys.Report("known resident"));
    }

    [Fact]
    public async Task A_callback_request_with_the_topic_chosen_before_the_resident_still_warns_for_the_repeat_and_shows_the_open_request()
    {
        await OpenFormAsync();
        var lastName = await ResidentWhoCalledAboutThePassportAsync();
        var keys = new Keys(Page);

        await keys.PressAsync("Alt+n");
        await keys.PressAsync("Alt+v");
        await Expect(Topic(1)).ToBeFocusedAsync();
        await ChooseTopicAsync(keys, "pasp", "paspoort");
        await keys.PressAsync("Alt+p");
        await ChooseResidentAsync(keys, lastName);
        await Expect(Question(1).GetByText("Herhaalcontact:")).ToBeVisibleAsync();

        await Question(1).GetByLabel("Vraag", new() { Exact = true }).FocusAsync();
        keys = new Keys(Page) { };
        await keys.TypeAsync("Kunt u mij terugbellen over mijn aanvraag?");
        await keys.PressAsync("Tab");       // Antwoord
        await keys.PressAsync("Tab");       // Afhandeling
        await keys.PressAsync("Enter");     // opens the list
        await Expect(Page.GetByRole(AriaRole.Option, new() { Name = "Terugbelverzoek" })).ToBeVisibleAsync();
        await keys.PressAsync("ArrowDown", 3);
        await keys.PressAsync("Enter");
        var routing = Question(1).GetByRole(AriaRole.Group, new() { Name = "Doorzetten naar de backoffice" });
        await Expect(routing.GetByRole(AriaRole.Combobox, new() { Name = "Team" })).ToContainTextAsync("Burgerzaken");
        await keys.PressAsync("Control+Enter");
        await Expect(Saved).ToBeVisibleAsync();
        Record(keys.Report("Terugbelverzoek (vanaf de vraag)"));

        // The next call of this resident shows the request in the form, with its status, team and promised date.
        await Page.Keyboard.PressAsync("Alt+n");
        await Page.Keyboard.TypeAsync(lastName);
        await Page.Keyboard.PressAsync("Enter");
        await Page.Locator("button.kcc-result").Filter(new() { HasText = lastName }).ClickAsync();
        var requests = Page.GetByRole(AriaRole.List, new() { Name = "Lopende aanvragen" });
        await Expect(requests).ToContainTextAsync("paspoort · Terugbellen");
        await Expect(requests).ToContainTextAsync("Nieuw bij Burgerzaken");
        await Expect(requests).ToContainTextAsync("Beloofd:");
        await AxeAsync(Page);
    }

    [Fact]
    public async Task An_anonymous_balie_question_takes_at_most_15_keys_besides_the_text()
    {
        await OpenFormAsync();
        var keys = new Keys(Page);

        await keys.PressAsync("Alt+n");
        await Expect(Page.GetByLabel("Zoek inwoner")).ToBeFocusedAsync();
        await keys.PressAsync("Shift+Tab");
        Assert.Equal("radio", await Page.EvaluateAsync<string>("() => document.activeElement.type"));
        // The form opens on the agent's last channel (Telefoon for fo.demo unless an earlier test saved another);
        // the arrow keys walk the group to Balie, its first channel.
        var balie = Page.GetByRole(AriaRole.Radio, new() { Name = "Balie" });
        for (var i = 0; i < 7 && !await balie.IsCheckedAsync(); i++)
        {
            await keys.PressAsync("ArrowLeft");
            // The browser moves the check at once; wait until the server took this channel too (its mark follows the
            // check), so the next key does not race a render of the one before.
            await Page.WaitForFunctionAsync(
                "() => [...document.querySelectorAll('[role=radiogroup][aria-label=Kanaal] .mud-radio')].every(r => r.querySelector('input').checked === r.querySelector('.mud-icon-button').classList.contains('mud-checked'))");
        }

        await Expect(balie).ToBeCheckedAsync();

        // From the channel to the first question's topic: four Tabs (resident search, two "new" buttons, topic).
        await keys.PressAsync("Tab", 4);
        await Expect(Topic(1)).ToBeFocusedAsync();
        await ChooseTopicAsync(keys, "afvalst", "afvalstoffenheffing");
        await keys.TypeAsync("Hoe hoog is de afvalstoffenheffing dit jaar?");
        await Expect(Page.GetByRole(AriaRole.List, new() { Name = "Gevonden artikelen" })).ToBeVisibleAsync();
        await keys.PressAsync("Alt+k");
        await keys.PressAsync("ArrowDown");
        await keys.PressAsync("Enter");
        await Expect(Question(1).GetByLabel("Antwoord")).ToBeFocusedAsync();
        await keys.PressAsync("Control+Enter");
        await Expect(Saved).ToBeVisibleAsync();

        Record(keys.Report("Anonieme baliebezoeker, één vraag"));
        Assert.True(keys.Commands <= 15, keys.Report("anonymous balie"));
    }

    [Fact]
    public async Task Alt_n_asks_before_throwing_away_a_half_typed_contact_and_no_key_typed_after_it_is_lost()
    {
        await OpenFormAsync();
        await Page.Keyboard.PressAsync("Alt+v");
        await Page.Keyboard.TypeAsync("pasp");
        await Page.Keyboard.PressAsync("Escape");
        await Question(1).GetByLabel("Vraag", new() { Exact = true }).FillAsync("Een halve vraag");

        await Page.Keyboard.PressAsync("Alt+n");
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Dit contact is nog niet opgeslagen");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Terug naar dit contact" }).ClickAsync();
        await Expect(Question(1).GetByLabel("Vraag", new() { Exact = true })).ToHaveValueAsync("Een halve vraag");

        await Page.Keyboard.PressAsync("Alt+n");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Weggooien en opnieuw beginnen" }).ClickAsync();
        await Expect(Question(1).GetByLabel("Vraag", new() { Exact = true })).ToHaveValueAsync("");

        // On a fresh form Alt+N and typing at once: every key lands in the resident search.
        for (var i = 0; i < 5; i++)
        {
            await Page.Keyboard.PressAsync("Alt+n");
            await Page.Keyboard.TypeAsync("Jansen");
            await Expect(Page.GetByLabel("Zoek inwoner")).ToHaveValueAsync("Jansen");
            await Page.GetByLabel("Zoek inwoner").FillAsync("");
            await Page.GetByLabel("Zoek inwoner").BlurAsync();
        }
    }
}
