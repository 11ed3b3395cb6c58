using System.Text.Json;
using Bunit;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Routing;
using Kcc.Workbench.Web.Features.Topics;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Tests.Features.Routing;

/// <summary>The routing fields under a routed question in the agent console, from a restored draft to a saved task.</summary>
public sealed class RoutingFieldsTests : KccBunitContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_callback_question_shows_the_team_of_the_rule_and_the_promised_date_and_saves_its_task_with_the_contact()
    {
        var topic = new TopicOption(await App.TopicIdAsync("paspoort"), "paspoort", "http://standaarden.overheid.nl/owms/terms/paspoort");
        var draft = new ContactFormModel
        {
            StartedAtLocal = new DateTime(2026, 11, 24, 10, 55, 0),
            Questions = [new QuestionFormModel { Topic = topic, Text = "Bel mij terug over mijn paspoort", Outcome = Outcome.Terugbelverzoek }],
        };
        await App.SendAsync(new ContactDrafts.Save(JsonSerializer.Serialize(draft)));

        var form = Render<ContactForm>();

        // Tuesday 24 November 2026, 11:00: one working day.
        form.WaitForAssertion(() => Assert.Contains("Beloofd: uiterlijk wo 25 nov 2026 17:00", form.Markup, StringComparison.Ordinal), Patience);
        Assert.Contains("(Terugbelverzoek: 1 werkdag)", form.Markup, StringComparison.Ordinal);
        Assert.Contains("Volgens de routeringsregel: Burgerzaken", form.Markup, StringComparison.Ordinal);
        Assert.Contains("Doorzetten naar de backoffice", form.Find("#q0-routing-title").TextContent, StringComparison.Ordinal);

        form.FindAll("button").First(b => b.TextContent.Trim().StartsWith("Contact opslaan", StringComparison.Ordinal)).Click();
        form.WaitForAssertion(() => Assert.Contains("Vul het telefoonnummer in waarop de inwoner wordt teruggebeld.", form.Markup, StringComparison.Ordinal), Patience);
        await using (var db = await App.CreateDbContextAsync())
        {
            Assert.Equal(0, await db.Contacts.CountAsync());
        }

        form.Find("#q0-routing-reach-at").Input("06 1234 5678");
        form.Find("#q0-routing-explanation").Input("Graag voor vrijdag.");
        form.FindAll("button").First(b => b.TextContent.Trim().StartsWith("Contact opslaan", StringComparison.Ordinal)).Click();

        form.WaitForAssertion(() => Assert.Contains("Contact opgeslagen", form.Markup, StringComparison.Ordinal), Patience);
        await using var check = await App.CreateDbContextAsync();
        var task = await check.InternalTasks.Include(t => t.Team).SingleAsync();
        Assert.Equal(("Burgerzaken", RequestedAction.Terugbellen, "06 1234 5678", "Graag voor vrijdag."), (task.Team!.Name, task.Action, task.ReachAt, task.Explanation));
    }

    [Fact]
    public async Task The_routing_choices_are_kept_in_the_draft()
    {
        var topic = new TopicOption(await App.TopicIdAsync("afvalcontainer"), "afvalcontainer", "http://standaarden.overheid.nl/owms/terms/afvalcontainer");
        var belastingen = await App.TeamIdAsync("Belastingen");
        var draft = new ContactFormModel
        {
            Channel = Channel.WhatsApp,
            StartedAtLocal = new DateTime(2026, 11, 24, 10, 55, 0),
            Questions =
            [
                new QuestionFormModel
                {
                    Topic = topic, Text = "Container is niet geleegd", Outcome = Outcome.DoorgezetNaarBackoffice,
                    Routing = new RoutingFormModel
                    {
                        Action = RequestedAction.InBehandelingNemen, TeamId = belastingen, TeamChosenByAgent = true, TeamSuggestedForTopicId = topic.Id,
                        Explanation = "Al twee keer gemeld", ReachBy = ReachBy.Email, ReachAt = "jan@voorbeeld.nl",
                    },
                },
            ],
        };
        await App.SendAsync(new ContactDrafts.Save(JsonSerializer.Serialize(draft)));

        var form = Render<ContactForm>();

        // WhatsApp + "in behandeling nemen": four office hours, Tuesday 11:00 → 15:00.
        form.WaitForAssertion(() => Assert.Contains("Beloofd: uiterlijk di 24 nov 2026 15:00", form.Markup, StringComparison.Ordinal), Patience);
        Assert.Contains("Volgens de routeringsregel: Afval. U koos een ander team.", form.Markup, StringComparison.Ordinal);
        Assert.Equal("jan@voorbeeld.nl", form.Find("#q0-routing-reach-at").GetAttribute("value"));
        Assert.Contains("Al twee keer gemeld", form.Markup, StringComparison.Ordinal);
    }
}
