using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Infrastructure;

namespace Kcc.Workbench.Tests.Features.Contacts;

public class RecentContactsTests
{
    private static async Task<long> LogAsync(TestApp app, int? partyId, Channel channel, params int[] topicIds)
    {
        var result = await app.SendAsync(new LogContact.Command
        {
            PartyId = partyId,
            Channel = channel,
            StartedAt = app.Clock.GetUtcNow().UtcDateTime,
            Questions = topicIds.Select(t => new LogContact.QuestionInput { TopicId = t, Text = "Vraag", Outcome = Outcome.Beantwoord }).ToList(),
        });
        Assert.True(result.Succeeded, result.AllErrors);
        return result.Value;
    }

    [Fact]
    public async Task Shows_the_last_30_days_on_every_channel_newest_first()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);
        var party = (await app.SendAsync(new CreateParty.Command { LastName = "Bakker" })).Value;
        var paspoort = await app.TopicIdAsync("paspoort");

        await LogAsync(app, party, Channel.Balie, paspoort);              // 40 days ago: outside the history
        app.Clock.Advance(TimeSpan.FromDays(20));
        var email = await LogAsync(app, party, Channel.Email, paspoort);   // 20 days ago
        app.Clock.Advance(TimeSpan.FromDays(19));
        var whatsApp = await LogAsync(app, party, Channel.WhatsApp, paspoort); // yesterday
        app.Clock.Advance(TimeSpan.FromDays(1));

        var recent = await app.SendAsync(new GetRecentContacts.Query(party));

        Assert.Equal([whatsApp, email], recent.Contacts.Select(c => c.Id));
    }

    [Fact]
    public async Task Warns_for_the_same_topic_within_the_repeat_window_only()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);
        var party = (await app.SendAsync(new CreateParty.Command { LastName = "Bakker" })).Value;
        var paspoort = await app.TopicIdAsync("paspoort");
        var rijbewijs = await app.TopicIdAsync("rijbewijs");
        var parkeer = await app.TopicIdAsync("parkeervergunning");

        await LogAsync(app, party, Channel.Telefoon, rijbewijs);  // 8 days before: outside the 7-day window
        app.Clock.Advance(TimeSpan.FromDays(2));
        var phone = await LogAsync(app, party, Channel.Telefoon, paspoort);
        app.Clock.Advance(TimeSpan.FromDays(6));

        var recent = await app.SendAsync(new GetRecentContacts.Query(party));

        Assert.Equal(7, recent.RepeatWindowDays);
        Assert.Equal(phone, recent.RepeatTopics[paspoort].ContactId);
        Assert.Equal(Channel.Telefoon, recent.RepeatTopics[paspoort].Channel);
        Assert.False(recent.RepeatTopics.ContainsKey(rijbewijs));
        Assert.False(recent.RepeatTopics.ContainsKey(parkeer));
    }

    [Fact]
    public async Task Another_partys_contacts_never_count_as_a_repeat()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);
        var first = (await app.SendAsync(new CreateParty.Command { LastName = "Bakker" })).Value;
        var second = (await app.SendAsync(new CreateParty.Command { LastName = "Visser" })).Value;
        var paspoort = await app.TopicIdAsync("paspoort");
        await LogAsync(app, first, Channel.Telefoon, paspoort);
        await LogAsync(app, null, Channel.Telefoon, paspoort);

        var recent = await app.SendAsync(new GetRecentContacts.Query(second));

        Assert.Empty(recent.Contacts);
        Assert.Empty(recent.RepeatTopics);
    }

    [Fact]
    public async Task The_repeat_window_counts_calendar_days_across_the_change_to_summer_time()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);
        var party = (await app.SendAsync(new CreateParty.Command { LastName = "Bakker" })).Value;
        var paspoort = await app.TopicIdAsync("paspoort");
        // Friday 26 March 2027, 10:00 in Amsterdam (winter time); summer time starts on Sunday the 28th.
        app.Clock.SetUtcNow(DutchFormat.FromLocal(new DateTime(2027, 3, 26, 10, 0, 0)));
        await LogAsync(app, party, Channel.Telefoon, paspoort);

        // Within the seventh day on the clock it is a repeat.
        app.Clock.SetUtcNow(DutchFormat.FromLocal(new DateTime(2027, 4, 2, 9, 45, 0)));
        Assert.True((await app.SendAsync(new GetRecentContacts.Query(party))).RepeatTopics.ContainsKey(paspoort));

        // Seven days and thirty minutes later on the clock is not, though it is less than seven days in UTC.
        app.Clock.SetUtcNow(DutchFormat.FromLocal(new DateTime(2027, 4, 2, 10, 30, 0)));
        Assert.Empty((await app.SendAsync(new GetRecentContacts.Query(party))).RepeatTopics);
    }
}
