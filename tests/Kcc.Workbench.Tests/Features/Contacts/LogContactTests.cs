using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Tests.Features.Contacts;

public class LogContactTests
{
    private static LogContact.QuestionInput Question(int topicId, Outcome outcome = Outcome.Beantwoord, string text = "Hoe vraag ik een paspoort aan?") =>
        new() { TopicId = topicId, Text = text, Answer = "Maak een afspraak.", Outcome = outcome };

    [Fact]
    public async Task Saves_an_anonymous_contact_with_two_questions_in_order()
    {
        await using var app = await TestApp.CreateAsync();
        var agent = await app.SignInAsAsync(Roles.Frontoffice);
        var paspoort = await app.TopicIdAsync("paspoort");
        var rijbewijs = await app.TopicIdAsync("rijbewijs");

        var result = await app.SendAsync(new LogContact.Command
        {
            Channel = Channel.Balie,
            StartedAt = app.Clock.GetUtcNow().UtcDateTime.AddMinutes(-4),
            Questions = [Question(paspoort), Question(rijbewijs, Outcome.Terugbelverzoek, "Rijbewijs kwijt")],
        });

        Assert.True(result.Succeeded, result.AllErrors);
        await using var db = await app.CreateDbContextAsync();
        var contact = await db.Contacts.Include(c => c.Questions).SingleAsync(c => c.Id == result.Value);
        Assert.Null(contact.PartyId);
        Assert.Equal(Channel.Balie, contact.Channel);
        Assert.Equal(agent.Id, contact.AgentId);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, contact.EndedAt);
        Assert.Equal([paspoort, rijbewijs], contact.Questions.OrderBy(q => q.Sequence).Select(q => q.TopicId));
        Assert.False(contact.Questions.Single(q => q.TopicId == paspoort).NeedsRouting);
        Assert.True(contact.Questions.Single(q => q.TopicId == rijbewijs).NeedsRouting);
    }

    [Theory]
    [InlineData(Outcome.DoorgezetNaarBackoffice, true)]
    [InlineData(Outcome.Terugbelverzoek, true)]
    [InlineData(Outcome.Beantwoord, false)]
    [InlineData(Outcome.Doorverbonden, false)]
    [InlineData(Outcome.NietAfgehandeld, false)]
    public async Task Marks_only_back_office_and_callback_questions_for_routing(Outcome outcome, bool routed)
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);
        var result = await app.SendAsync(new LogContact.Command
        {
            StartedAt = app.Clock.GetUtcNow().UtcDateTime,
            Questions = [Question(await app.TopicIdAsync("paspoort"), outcome)],
        });

        await using var db = await app.CreateDbContextAsync();
        Assert.Equal(routed, await db.Questions.Where(q => q.ContactId == result.Value).Select(q => q.NeedsRouting).SingleAsync());
    }

    [Fact]
    public async Task Remembers_the_channel_as_the_agents_default()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);
        Assert.Equal(Channel.Telefoon, (await app.SendAsync(new ContactDrafts.GetDefaults())).Channel);

        await app.SendAsync(new LogContact.Command { Channel = Channel.WhatsApp, StartedAt = app.Clock.GetUtcNow().UtcDateTime, Questions = [Question(await app.TopicIdAsync("paspoort"))] });

        Assert.Equal(Channel.WhatsApp, (await app.SendAsync(new ContactDrafts.GetDefaults())).Channel);
    }

    [Fact]
    public async Task Saving_removes_the_agents_draft()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);
        await app.SendAsync(new ContactDrafts.Save("{\"Channel\":1}"));

        await app.SendAsync(new LogContact.Command { StartedAt = app.Clock.GetUtcNow().UtcDateTime, Questions = [Question(await app.TopicIdAsync("paspoort"))] });

        Assert.Null(await app.SendAsync(new ContactDrafts.Load()));
    }

    [Fact]
    public async Task Rejects_a_contact_without_questions_in_dutch_and_writes_nothing()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);

        var result = await app.SendAsync(new LogContact.Command { StartedAt = app.Clock.GetUtcNow().UtcDateTime });

        Assert.False(result.Succeeded);
        Assert.Equal("Vul minstens één vraag in.", result.ErrorFor("Questions"));
        await using var db = await app.CreateDbContextAsync();
        Assert.Equal(0, await db.Contacts.CountAsync());
    }

    [Fact]
    public async Task Reports_each_invalid_question_field_next_to_its_question()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);
        var paspoort = await app.TopicIdAsync("paspoort");

        var result = await app.SendAsync(new LogContact.Command
        {
            StartedAt = app.Clock.GetUtcNow().UtcDateTime,
            Questions =
            [
                Question(paspoort),
                new LogContact.QuestionInput { Text = new string('x', 1001), Answer = new string('y', 4001), Outcome = Outcome.DoorverwezenNaarAndereOrganisatie },
            ],
        });

        Assert.False(result.Succeeded);
        Assert.Null(result.ErrorFor("Questions[0].Text"));
        Assert.Equal("Kies een onderwerp.", result.ErrorFor("Questions[1].TopicId"));
        Assert.Contains("hoogstens 1000 tekens", result.ErrorFor("Questions[1].Text"), StringComparison.Ordinal);
        Assert.Contains("hoogstens 4000 tekens", result.ErrorFor("Questions[1].Answer"), StringComparison.Ordinal);
        Assert.Equal("Vul in naar welke organisatie u heeft doorverwezen.", result.ErrorFor("Questions[1].ReferredTo"));
    }

    [Fact]
    public async Task Keeps_the_organisation_referred_to()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);
        var result = await app.SendAsync(new LogContact.Command
        {
            StartedAt = app.Clock.GetUtcNow().UtcDateTime,
            Questions = [Question(await app.TopicIdAsync("paspoort"), Outcome.DoorverwezenNaarAndereOrganisatie) with { ReferredTo = " Belastingdienst " }],
        });

        var contact = await app.SendAsync(new GetContact.Query(result.Value));
        Assert.Equal("Belastingdienst", contact!.Questions.Single().ReferredTo);
    }

    [Fact]
    public async Task Rejects_an_end_before_the_start_and_a_start_in_the_future()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var paspoort = await app.TopicIdAsync("paspoort");

        var backwards = await app.SendAsync(new LogContact.Command { StartedAt = now.AddMinutes(-1), EndedAt = now.AddMinutes(-5), Questions = [Question(paspoort)] });
        var future = await app.SendAsync(new LogContact.Command { StartedAt = now.AddHours(2), Questions = [Question(paspoort)] });

        Assert.Equal("De eindtijd ligt vóór de begintijd.", backwards.ErrorFor("EndedAt"));
        Assert.Equal("De begintijd kan niet in de toekomst liggen.", future.ErrorFor("StartedAt"));
    }

    [Fact]
    public async Task Rejects_control_characters_and_unknown_topics()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);
        var now = app.Clock.GetUtcNow().UtcDateTime;

        var junk = await app.SendAsync(new LogContact.Command { StartedAt = now, Questions = [Question(await app.TopicIdAsync("paspoort"), text: "abc\u0000\u0007")] });
        var unknown = await app.SendAsync(new LogContact.Command { StartedAt = now, Questions = [Question(999_999)] });

        Assert.Equal(InputRules.ControlCharacterMessage, junk.ErrorFor("Questions[0].Text"));
        Assert.Equal("Dit onderwerp bestaat niet. Kies een onderwerp uit de lijst.", unknown.ErrorFor("Questions[0].TopicId"));
    }

    [Fact]
    public async Task Links_the_contact_to_a_party_and_refuses_a_party_that_does_not_exist()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);
        var party = await app.SendAsync(new CreateParty.Command { LastName = "Vries", Prefix = "de", FirstNames = "Jan" });
        var paspoort = await app.TopicIdAsync("paspoort");
        var now = app.Clock.GetUtcNow().UtcDateTime;

        var linked = await app.SendAsync(new LogContact.Command { PartyId = party.Value, StartedAt = now, Questions = [Question(paspoort)] });
        var missing = await app.SendAsync(new LogContact.Command { PartyId = 424242, StartedAt = now, Questions = [Question(paspoort)] });

        Assert.True(linked.Succeeded);
        Assert.Equal("Jan de Vries", (await app.SendAsync(new GetContact.Query(linked.Value)))!.PartyName);
        Assert.Equal("Deze inwoner bestaat niet meer. Zoek de inwoner opnieuw.", missing.ErrorFor("PartyId"));
    }
}
