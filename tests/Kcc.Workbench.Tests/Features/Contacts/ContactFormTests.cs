using System.Text.Json;
using Bunit;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Contacts;
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
    public void Saving_empty_shows_dutch_messages_next_to_the_fields_and_keeps_what_was_typed()
    {
        var form = RenderForm();
        form.Find("#q0-answer").Input("Uitgelegd hoe een afspraak werkt.");

        Button(form, "Contact opslaan").Click();

        form.WaitForAssertion(() => Assert.Contains("Kies een onderwerp.", form.Markup, StringComparison.Ordinal), Patience);
        Assert.Contains("Vul de vraag in.", form.Markup, StringComparison.Ordinal);
        Assert.Contains("Het contact is nog niet opgeslagen", form.Markup, StringComparison.Ordinal);
        Assert.Equal("Uitgelegd hoe een afspraak werkt.", form.Find("#q0-answer").GetAttribute("value") ?? form.Find("#q0-answer").TextContent);
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
        form.Find("#q0-text").Input("Hoe vraag ik een paspoort aan?");
        Button(form, "Vraag toevoegen").Click();
        form.WaitForAssertion(() => Assert.NotEmpty(form.FindAll("#q1-topic")), Patience);
        await ChooseTopicAsync(form, 1, "rijbew", "rijbewijs");
        form.Find("#q1-text").Input("Mijn rijbewijs is verlopen.");

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
}
