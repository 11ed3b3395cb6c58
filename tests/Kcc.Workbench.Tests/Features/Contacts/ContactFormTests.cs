using System.Text.Json;
using Bunit;
using Kcc.Workbench.Tests.Features.Routing;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Features.Routing;
using Kcc.Workbench.Web.Features.Topics;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Tests.Features.Contacts;

public sealed class ContactFormTests : KccBunitContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private IRenderedComponent<ContactForm> RenderForm()
    {
        var form = Render<ContactForm>();
        form.WaitForAssertion(() => Assert.NotEmpty(form.FindAll("#q0-topic")), Patience);
        // The draft is loaded (or a new contact started) before anything is typed: a slower database must not swallow input.
        form.WaitForAssertion(() => Assert.NotEmpty(form.FindAll("[data-loaded=true]")), Patience);
        return form;
    }

    private static AngleSharp.Dom.IElement Button(IRenderedComponent<ContactForm> form, string text) =>
        form.FindAll("button").First(b => b.TextContent.Trim().StartsWith(text, StringComparison.Ordinal));

    /// <summary>
    /// Picks a topic the way the list does once the agent chose an item; typing and the list itself are
    /// exercised in the browser test (MudBlazor's list opening depends on browser focus events).
    /// </summary>
    private async Task ChooseTopicAsync(IRenderedComponent<ContactForm> form, int index, string typed, string name)
    {
        var options = await App.SendAsync(new SearchTopics.Query(typed));
        var option = options.First(o => o.Name == name);
        var autocomplete = form.FindComponents<MudBlazor.MudAutocomplete<TopicOption>>()[index];
        await form.InvokeAsync(() => autocomplete.Instance.SelectOptionAsync(option));
        form.WaitForAssertion(() => Assert.Equal(name, form.Find($"#q{index}-topic").GetAttribute("value")), Patience);
    }

    [Fact]
    public void Starts_anonymous_on_the_agents_channel_with_one_question()
    {
        var form = RenderForm();

        Assert.Contains("Anoniem", form.Markup, StringComparison.Ordinal);
        Assert.Single(form.FindAll("section.kcc-question"));
        var checkedChannel = form.FindAll("input[type=radio]").Single(r => r.HasAttribute("checked") && r.ParentElement!.ParentElement!.TextContent.Contains("Telefoon", StringComparison.Ordinal));
        Assert.NotNull(checkedChannel);
    }

    [Fact]
    public async Task Focusing_the_topic_does_not_make_the_server_select_what_the_agent_has_typed_meanwhile()
    {
        var form = RenderForm();
        var topic = form.Find("#q0-topic");

        // The focus event reaches the server a round trip after the caret moved; a select-all it sends back then would
        // select the letters typed in between, and the next key would replace them.
        await topic.FocusAsync(new Microsoft.AspNetCore.Components.Web.FocusEventArgs());
        await topic.InputAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = "r" });
        await form.Find("#q0-topic").FocusAsync(new Microsoft.AspNetCore.Components.Web.FocusEventArgs());

        Assert.DoesNotContain(JSInterop.Invocations, i => i.Identifier.Contains("select", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("r", form.Find("#q0-topic").GetAttribute("value"));
    }

    [Fact]
    public async Task Saving_empty_shows_dutch_messages_next_to_the_fields_and_keeps_what_was_typed()
    {
        var form = RenderForm();
        form.Find("#q0-answer").Change("Uitgelegd hoe een afspraak werkt.");

        Button(form, "Contact opslaan").Click();

        form.WaitForAssertion(() => Assert.Contains("Kies een onderwerp.", form.Markup, StringComparison.Ordinal), Patience);
        Assert.Contains("Vul de vraag in.", form.Markup, StringComparison.Ordinal);
        Assert.Contains("Het contact is nog niet opgeslagen", form.Markup, StringComparison.Ordinal);

        // Nothing typed was lost: once the missing fields are filled, the answer typed before is saved with them.
        await ChooseTopicAsync(form, 0, "paspo", "paspoort");
        form.Find("#q0-text").Change("Kan ik een afspraak maken?");
        Button(form, "Contact opslaan").Click();
        form.WaitForAssertion(() => Assert.Contains("Contact opgeslagen", form.Markup, StringComparison.Ordinal), Patience);
        await using var db = await App.CreateDbContextAsync();
        Assert.Equal("Uitgelegd hoe een afspraak werkt.", (await db.Questions.SingleAsync()).Answer);
    }

    [Fact]
    public void Vraag_toevoegen_adds_a_second_question_that_can_be_removed_again()
    {
        var form = RenderForm();

        Button(form, "Vraag toevoegen").Click();

        form.WaitForAssertion(() => Assert.Equal(2, form.FindAll("section.kcc-question").Count), Patience);
        Assert.Contains("Vraag 2", form.Markup, StringComparison.Ordinal);
        form.FindAll("button").First(b => b.GetAttribute("aria-label") == "Vraag 2 verwijderen").Click();
        form.WaitForAssertion(() => Assert.Single(form.FindAll("section.kcc-question")), Patience);
    }

    [Fact]
    public async Task An_anonymous_contact_with_two_questions_is_saved_and_the_form_clears()
    {
        var form = RenderForm();
        await ChooseTopicAsync(form, 0, "paspo", "paspoort");
        form.Find("#q0-text").Change("Hoe vraag ik een paspoort aan?");
        Button(form, "Vraag toevoegen").Click();
        form.WaitForAssertion(() => Assert.NotEmpty(form.FindAll("#q1-topic")), Patience);
        await ChooseTopicAsync(form, 1, "rijbew", "rijbewijs");
        form.Find("#q1-text").Change("Mijn rijbewijs is verlopen.");

        Button(form, "Contact opslaan").Click();

        form.WaitForAssertion(() => Assert.Contains("Contact opgeslagen", form.Markup, StringComparison.Ordinal), Patience);
        Assert.Single(form.FindAll("section.kcc-question"));
        await using var db = await App.CreateDbContextAsync();
        var contact = await db.Contacts.Include(c => c.Questions).ThenInclude(q => q.Topic).SingleAsync();
        Assert.Null(contact.PartyId);
        Assert.Equal(["paspoort", "rijbewijs"], contact.Questions.OrderBy(q => q.Sequence).Select(q => q.Topic!.Name));
        Assert.Equal(Agent.Id, contact.AgentId);
    }

    [Fact]
    public async Task An_unsaved_draft_comes_back_after_a_reload()
    {
        var topic = new TopicOption(await App.TopicIdAsync("paspoort"), "paspoort", "http://standaarden.overheid.nl/owms/terms/paspoort");
        var draft = new ContactFormModel
        {
            Channel = Channel.WhatsApp,
            StartedAtLocal = new DateTime(2026, 11, 24, 10, 55, 0),
            Questions = [new QuestionFormModel { Topic = topic, Text = "Halve vraag die nog niet af was" }],
        };
        await App.SendAsync(new ContactDrafts.Save(JsonSerializer.Serialize(draft)));

        var form = RenderForm();

        form.WaitForAssertion(() => Assert.Contains("staat er weer", form.Markup, StringComparison.Ordinal), Patience);
        Assert.Contains("Halve vraag die nog niet af was", form.Markup, StringComparison.Ordinal);
        Assert.Contains("10:55", form.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Typed_text_is_kept_as_a_draft_and_emptying_the_form_removes_the_draft()
    {
        var form = RenderForm();
        form.Find("#q0-text").Change("Wanneer is de milieustraat open?");
        // The draft is written on the form's next tick (every 1.5 s) once the text changed.
        await WaitUntilAsync(async () => (await App.SendAsync(new ContactDrafts.Load()))?.Contains("milieustraat", StringComparison.Ordinal) == true);

        form.Find("#q0-text").Change("");
        // Nothing left to restore: a reload must not bring the cleared question back.
        await WaitUntilAsync(async () => await App.SendAsync(new ContactDrafts.Load()) is null);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); !await condition(); await Task.Delay(100))
        {
            Assert.True(waited.Elapsed < Patience, "condition not met in time");
        }
    }

    /// <summary>A resident who called about a passport two days ago, with that question routed to Burgerzaken.</summary>
    private async Task<(int PartyId, long TaskId)> ResidentWithRecentPassportCallAsync()
    {
        var party = (await App.SendAsync(new CreateParty.Command { LastName = "Verhoeven", FirstNames = "Sanne" })).Value;
        var logged = await App.SendAsync(new LogContact.Command
        {
            PartyId = party,
            Channel = Channel.Telefoon,
            StartedAt = App.Clock.GetUtcNow().UtcDateTime,
            Questions =
            [
                new LogContact.QuestionInput
                {
                    TopicId = await App.TopicIdAsync("paspoort"), Text = "Wanneer is mijn paspoort klaar?", Outcome = Outcome.Terugbelverzoek,
                    Routing = new RoutingInput { Action = RequestedAction.Terugbellen, TeamId = await App.TeamIdAsync("Burgerzaken"), Explanation = "Graag terugbellen over de levering.", ReachBy = ReachBy.Telefoon, ReachAt = "0612345678" },
                },
            ],
        });
        Assert.True(logged.Succeeded, logged.AllErrors);
        App.Clock.Advance(TimeSpan.FromDays(2));
        await using var db = await App.CreateDbContextAsync();
        var task = await db.InternalTasks.SingleAsync();
        return (party, task.Id);
    }

    private static void ChooseResident(IRenderedComponent<ContactForm> form, string search, string name)
    {
        form.Find("#party-search").Change(search);
        form.WaitForAssertion(() => Assert.Contains(form.FindAll("button.kcc-result"), b => b.TextContent.Contains(name, StringComparison.Ordinal)), Patience);
        form.FindAll("button.kcc-result").First(b => b.TextContent.Contains(name, StringComparison.Ordinal)).Click();
        form.WaitForAssertion(() => Assert.Contains("Andere inwoner of anoniem", form.Markup, StringComparison.Ordinal), Patience);
    }

    [Fact]
    public async Task The_repeat_warning_shows_when_the_resident_is_chosen_first_and_then_the_topic()
    {
        await ResidentWithRecentPassportCallAsync();
        var form = RenderForm();

        ChooseResident(form, "Verhoeven", "Verhoeven");
        Assert.DoesNotContain("Herhaalcontact", form.Markup, StringComparison.Ordinal);
        await ChooseTopicAsync(form, 0, "paspo", "paspoort");

        form.WaitForAssertion(() => Assert.Contains("Herhaalcontact", form.Markup, StringComparison.Ordinal), Patience);
    }

    [Fact]
    public async Task The_repeat_warning_shows_when_the_topic_is_chosen_first_and_goes_when_the_topic_changes()
    {
        await ResidentWithRecentPassportCallAsync();
        var form = RenderForm();

        await ChooseTopicAsync(form, 0, "paspo", "paspoort");
        ChooseResident(form, "Verhoeven", "Verhoeven");
        form.WaitForAssertion(() => Assert.Contains("Herhaalcontact", form.Markup, StringComparison.Ordinal), Patience);

        await ChooseTopicAsync(form, 0, "rijbew", "rijbewijs");
        form.WaitForAssertion(() => Assert.DoesNotContain("Herhaalcontact", form.Markup, StringComparison.Ordinal), Patience);
    }

    [Fact]
    public async Task Choosing_a_resident_shows_their_open_request_with_status_team_and_promised_date()
    {
        var (_, taskId) = await ResidentWithRecentPassportCallAsync();
        var form = RenderForm();

        ChooseResident(form, "Verhoeven", "Verhoeven");

        form.WaitForAssertion(() => Assert.Contains("Lopende aanvragen", form.Markup, StringComparison.Ordinal), Patience);
        var request = form.WaitForElement(".kcc-party-tasks li", Patience);
        Assert.Contains("paspoort", request.TextContent, StringComparison.Ordinal);
        Assert.Contains("Terugbellen", request.TextContent, StringComparison.Ordinal);
        Assert.Contains("Nieuw", request.TextContent, StringComparison.Ordinal);
        Assert.Contains("Burgerzaken", request.TextContent, StringComparison.Ordinal);
        Assert.Contains("Beloofd:", request.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/taken/{taskId}", request.QuerySelector("a")!.GetAttribute("href"));
    }

    [Fact]
    public void The_start_time_is_set_when_the_agent_starts_not_when_the_form_opens()
    {
        var form = RenderForm();
        Assert.Contains("Begintijd:", form.Markup, StringComparison.Ordinal);
        Assert.Equal("nu", form.Find(".kcc-time strong").TextContent);

        App.Clock.Advance(TimeSpan.FromMinutes(7));
        form.Find("#q0-text").Change("Hoe vraag ik een paspoort aan?");

        var expected = Kcc.Workbench.Web.Infrastructure.DutchFormat.Clock(App.Clock.GetUtcNow().UtcDateTime);
        form.WaitForAssertion(() => Assert.Equal(expected, form.Find(".kcc-time strong").TextContent), Patience);
    }

    [Fact]
    public void A_start_time_typed_as_Dutch_text_is_kept_and_a_wrong_one_gets_a_clear_message()
    {
        var form = RenderForm();
        form.FindAll("button").First(b => b.GetAttribute("aria-label") == "Begintijd wijzigen").Click();

        form.WaitForElement("#started-at", Patience).Change("25:99");
        form.WaitForAssertion(() => Assert.Contains("Typ de tijd als 13:45", form.Markup, StringComparison.Ordinal), Patience);
        Assert.Equal("nu", form.Find(".kcc-time strong").TextContent);

        form.Find("#started-at").Change("9.05");
        form.WaitForAssertion(() => Assert.Equal("09:05", form.Find(".kcc-time strong").TextContent), Patience);
        Assert.DoesNotContain("Typ de tijd als 13:45", form.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starting_over_asks_before_throwing_away_unsaved_work()
    {
        var form = RenderForm();
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        form.Find("#q0-text").Change("Half getypte vraag");

        await form.InvokeAsync(() => form.Instance.OnShortcut("Alt+N"));
        dialogs.WaitForAssertion(() => Assert.Contains("Opnieuw beginnen?", dialogs.Markup, StringComparison.Ordinal), Patience);
        dialogs.FindAll("button").First(b => b.TextContent.Contains("Terug naar dit contact", StringComparison.Ordinal)).Click();
        dialogs.WaitForAssertion(() => Assert.DoesNotContain("Opnieuw beginnen?", dialogs.Markup, StringComparison.Ordinal), Patience);

        form.Find("#q0-answer").Change("Dit gaat weg");
        var startedBefore = Kcc.Workbench.Web.Infrastructure.DutchFormat.Clock(App.Clock.GetUtcNow().UtcDateTime);
        form.WaitForAssertion(() => Assert.Equal(startedBefore, form.Find(".kcc-time strong").TextContent), Patience);
        App.Clock.Advance(TimeSpan.FromMinutes(4));
        await form.InvokeAsync(() => form.Instance.OnShortcut("Alt+N"));
        dialogs.WaitForAssertion(() => Assert.Contains("Weggooien en opnieuw beginnen", dialogs.Markup, StringComparison.Ordinal), Patience);
        dialogs.FindAll("button").First(b => b.TextContent.Contains("Weggooien en opnieuw beginnen", StringComparison.Ordinal)).Click();
        // The draft is discarded in the database first; the fresh form follows (a slower database makes that visible).
        // Typed text stays in the browser (deferred fields), so the sign of the fresh form is its start time: the moment
        // the agent started over, not when the thrown-away contact began.
        var startedOver = Kcc.Workbench.Web.Infrastructure.DutchFormat.Clock(App.Clock.GetUtcNow().UtcDateTime);
        Assert.NotEqual(startedBefore, startedOver);
        form.WaitForAssertion(() => Assert.Equal(startedOver, form.Find(".kcc-time strong").TextContent), Patience);

        // A fresh contact: empty fields, started now, and the thrown-away work is not saved anywhere.
        await form.InvokeAsync(() => form.Instance.OnShortcut("Ctrl+Enter"));
        form.WaitForAssertion(() => Assert.Contains("Vul de vraag in.", form.Markup, StringComparison.Ordinal), Patience);
        Assert.Equal(Kcc.Workbench.Web.Infrastructure.DutchFormat.Clock(App.Clock.GetUtcNow().UtcDateTime), form.Find(".kcc-time strong").TextContent);
        Assert.Null(await App.SendAsync(new ContactDrafts.Load()));
    }
}
