using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Infrastructure;

namespace Kcc.Workbench.Tests.Features.Contacts;

public class SearchContactsTests
{
    [Fact]
    public async Task Filters_by_party_period_channel_topic_and_outcome()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);
        var vries = (await app.SendAsync(new CreateParty.Command { LastName = "Vries", Prefix = "de" })).Value;
        var paspoort = await app.TopicIdAsync("paspoort");
        var afval = await app.TopicIdAsync("afvalinzameling grofvuil");

        async Task<long> Log(int? party, Channel channel, int topic, Outcome outcome) => (await app.SendAsync(new LogContact.Command
        {
            PartyId = party, Channel = channel, StartedAt = app.Clock.GetUtcNow().UtcDateTime,
            Questions = [new LogContact.QuestionInput { TopicId = topic, Text = "Vraag", Outcome = outcome }],
        })).Value;

        var oldPhone = await Log(vries, Channel.Telefoon, paspoort, Outcome.Beantwoord);   // 24 nov
        app.Clock.Advance(TimeSpan.FromDays(1));
        var email = await Log(vries, Channel.Email, afval, Outcome.DoorgezetNaarBackoffice); // 25 nov
        var anonymous = await Log(null, Channel.Telefoon, paspoort, Outcome.Beantwoord);     // 25 nov

        Assert.Equal([email, oldPhone], (await app.SendAsync(new SearchContacts.Query { Party = "de Vries" })).Contacts.Select(c => c.Id));
        Assert.Equal([anonymous, email], (await app.SendAsync(new SearchContacts.Query { From = new DateOnly(2026, 11, 25), To = new DateOnly(2026, 11, 25) })).Contacts.Select(c => c.Id));
        Assert.Equal([anonymous, oldPhone], (await app.SendAsync(new SearchContacts.Query { Channel = Channel.Telefoon })).Contacts.Select(c => c.Id));
        Assert.Equal([email], (await app.SendAsync(new SearchContacts.Query { TopicId = afval })).Contacts.Select(c => c.Id));
        Assert.Equal([email], (await app.SendAsync(new SearchContacts.Query { Outcome = Outcome.DoorgezetNaarBackoffice })).Contacts.Select(c => c.Id));
        Assert.Equal("De einddatum ligt vóór de begindatum.", (await app.SendAsync(new SearchContacts.Query { From = new DateOnly(2026, 11, 25), To = new DateOnly(2026, 11, 1) })).Message);
    }

    [Fact]
    public async Task My_contacts_are_only_mine_and_only_today()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice, "mark");
        var paspoort = await app.TopicIdAsync("paspoort");
        var question = new LogContact.QuestionInput { TopicId = paspoort, Text = "Vraag", Outcome = Outcome.Beantwoord };
        await app.SendAsync(new LogContact.Command { StartedAt = app.Clock.GetUtcNow().UtcDateTime, Questions = [question] });
        await app.SignInAsAsync(Roles.Frontoffice, "fatima");
        await app.SendAsync(new LogContact.Command { StartedAt = app.Clock.GetUtcNow().UtcDateTime, Questions = [question] });
        app.Clock.Advance(TimeSpan.FromDays(1));
        var today = (await app.SendAsync(new LogContact.Command { StartedAt = app.Clock.GetUtcNow().UtcDateTime, Questions = [question] })).Value;

        var mine = await app.SendAsync(new SearchContacts.MyContactsToday());

        Assert.Equal([today], mine.Contacts.Select(c => c.Id));
    }
}
