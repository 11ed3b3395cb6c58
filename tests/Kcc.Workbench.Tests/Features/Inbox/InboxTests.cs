using Kcc.Workbench.Tests.Features.Routing;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Inbox;
using Kcc.Workbench.Web.Features.Parties;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kcc.Workbench.Tests.Features.Inbox;

public sealed class InboxTests
{
    [Fact]
    public async Task A_message_delivered_twice_is_stored_once_and_the_sender_is_matched_by_phone_number()
    {
        var (app, _, _) = await InboxTestKit.CreateAsync();
        await using var _app = app;
        var partyId = await app.ResidentAsync(); // phone 06-12345678
        var message = InboxTestKit.WhatsApp(app, from: "31612345678", id: "wamid.HBgL1");

        var first = await app.ReceiveAsync(message);
        var retried = await app.ReceiveAsync(message);
        var unknown = await app.ReceiveAsync(InboxTestKit.WhatsApp(app, from: "31699999999"));

        Assert.Equal(IntakeOutcome.Stored, first.Outcome);
        Assert.Equal((IntakeOutcome.Duplicate, first.MessageId), (retried.Outcome, retried.MessageId));
        await using var db = await app.CreateDbContextAsync();
        Assert.Equal(2, await db.Set<ConversationMessage>().CountAsync());
        var conversation = await db.Set<Conversation>().SingleAsync(c => c.Id == first.ConversationId);
        Assert.Equal((partyId, "0612345678"), (conversation.PartyId, conversation.Address));
        Assert.Null((await db.Set<Conversation>().SingleAsync(c => c.Id == unknown.ConversationId)).PartyId);
    }

    [Fact]
    public async Task The_promised_reply_time_follows_the_channels_service_norm_on_the_office_calendar()
    {
        var (app, _, _) = await InboxTestKit.CreateAsync();
        await using var _app = app;
        // Tuesday 24 Nov 2026 11:00 in Amsterdam.
        var mail = await app.ReceiveAsync(InboxTestKit.Mail(app));
        var chat = await app.ReceiveAsync(InboxTestKit.WhatsApp(app));

        await using var db = await app.CreateDbContextAsync();
        var mailDue = DutchFormat(await db.Set<Conversation>().Where(c => c.Id == mail.ConversationId).Select(c => c.DueAt).SingleAsync());
        var chatDue = DutchFormat(await db.Set<Conversation>().Where(c => c.Id == chat.ConversationId).Select(c => c.DueAt).SingleAsync());
        Assert.Equal(new DateTime(2026, 11, 26, 17, 0, 0), mailDue); // 2 working days: Thursday at closing time
        Assert.Equal(new DateTime(2026, 11, 24, 15, 0, 0), chatDue); // 4 office hours
    }

    [Fact]
    public async Task A_reply_by_email_joins_the_thread_it_refers_to_and_reopens_it_with_a_new_promise()
    {
        var (app, _, _) = await InboxTestKit.CreateAsync();
        await using var _app = app;
        var first = await app.ReceiveAsync(InboxTestKit.Mail(app, id: "a1@voorbeeld.nl"));
        var agent = await app.AgentAsync();
        await app.SendAsAsync(agent, new ClaimConversation.Take(first.ConversationId));
        await ReplyAsync(app, agent, first.ConversationId);
        app.Clock.Advance(TimeSpan.FromDays(2));

        var followUp = await app.ReceiveAsync(InboxTestKit.Mail(app, text: "Dank, en voor mijn zoon?", id: "a2@voorbeeld.nl", references: ["a1@voorbeeld.nl"]));
        var unrelated = await app.ReceiveAsync(InboxTestKit.Mail(app, text: "Iets anders", id: "b1@voorbeeld.nl"));

        Assert.Equal(first.ConversationId, followUp.ConversationId);
        Assert.NotEqual(first.ConversationId, unrelated.ConversationId);
        await using var db = await app.CreateDbContextAsync();
        var conversation = await db.Set<Conversation>().SingleAsync(c => c.Id == first.ConversationId);
        Assert.Equal((ConversationStatus.Open, (string?)null), (conversation.Status, conversation.AssigneeId));
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, conversation.WaitingSince);
    }

    [Fact]
    public async Task Agents_pressing_volgende_pakken_at_the_same_moment_never_get_the_same_conversation()
    {
        var (app, _, _) = await InboxTestKit.CreateAsync();
        await using var _app = app;
        var waiting = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            waiting.Add((await app.ReceiveAsync(InboxTestKit.WhatsApp(app, from: $"3161234560{i}"))).ConversationId);
            app.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var agents = new List<RoutingTestKit.Staff>();
        for (var i = 0; i < 8; i++)
        {
            agents.Add(await app.AgentAsync($"fo{i}", $"Agent {i}"));
        }

        var start = new TaskCompletionSource();
        var pressed = Task.WhenAll(agents.Select(agent => Task.Run(async () =>
        {
            await start.Task;
            return await app.SendAsAsync(agent, new ClaimConversation.TakeNext());
        })));
        start.SetResult();
        var results = await pressed;

        var taken = results.Where(r => r.Succeeded).Select(r => r.Value).ToList();
        Assert.Equal(waiting.Order(), taken.Order());
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal("Er wachten geen berichten meer in de inbox.", r.ErrorFor(ClaimConversation.QueueField)));
        var someone = agents[0];
        var inbox = await app.SendAsAsync(someone, new GetInbox.Query());
        Assert.All(inbox.Channels.Single(c => c.Channel == Channel.WhatsApp).Items, i => Assert.Equal(ConversationStatus.InBehandeling, i.Status));
    }

    [Fact]
    public async Task The_inbox_lists_waiting_conversations_per_channel_oldest_first()
    {
        var (app, _, _) = await InboxTestKit.CreateAsync();
        await using var _app = app;
        var older = await app.ReceiveAsync(InboxTestKit.Mail(app, from: "a@voorbeeld.nl"));
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var newer = await app.ReceiveAsync(InboxTestKit.Mail(app, from: "b@voorbeeld.nl"));
        await app.ReceiveAsync(InboxTestKit.WhatsApp(app));

        var inbox = await app.SendAsAsync(await app.AgentAsync(), new GetInbox.Query());

        var mail = inbox.Channels.Single(c => c.Channel == Channel.Email);
        Assert.Equal([older.ConversationId, newer.ConversationId], mail.Items.Select(i => i.Id));
        Assert.Equal(1, inbox.Channels.Single(c => c.Channel == Channel.WhatsApp).Open);
    }

    [Fact]
    public async Task Sending_logs_the_contact_with_the_article_version_and_queues_the_reply_once()
    {
        var (app, mail, _) = await InboxTestKit.CreateAsync();
        await using var _app = app;
        await KnowledgeBaseData.ImportAsync(app);
        var partyId = await app.ResidentAsync();
        await using (var db = await app.CreateDbContextAsync())
        {
            db.PartyContactDetails.Add(new PartyContactDetail { PartyId = partyId, Kind = ContactDetailKind.Email, Value = "jan@voorbeeld.nl", NormalizedValue = "jan@voorbeeld.nl" });
            await db.SaveChangesAsync();
        }

        var received = await app.ReceiveAsync(InboxTestKit.Mail(app, from: "Jan@Voorbeeld.nl", id: "q1@voorbeeld.nl"));
        var agent = await app.AgentAsync();
        Assert.True((await app.SendAsAsync(agent, new ClaimConversation.Take(received.ConversationId))).Succeeded);
        var view = await app.SendAsAsync(agent, new GetConversation.Query(received.ConversationId));
        int articleId, versionId;
        await using (var db = await app.CreateDbContextAsync())
        {
            var article = await db.Articles.OrderBy(a => a.Id).FirstAsync();
            (articleId, versionId) = (article.Id, article.CurrentVersionId!.Value);
        }

        var command = Reply(await app.TopicIdAsync("paspoort"), "Maak een afspraak op het stadhuis.", articleId, versionId);
        var sent = await app.SendAsAsync(agent, new SendReply.Command(received.ConversationId, view!.Version, command));
        var twice = await app.SendAsAsync(agent, new SendReply.Command(received.ConversationId, view.Version, command));

        Assert.True(sent.Succeeded, sent.AllErrors);
        Assert.False(twice.Succeeded);
        await using (var db = await app.CreateDbContextAsync())
        {
            var contact = await db.Contacts.Include(c => c.Questions).SingleAsync(c => c.Id == sent.Value);
            Assert.Equal((Channel.Email, partyId), (contact.Channel, contact.PartyId));
            Assert.Equal((articleId, versionId, Outcome.Beantwoord), (contact.Questions[0].ArticleId, contact.Questions[0].ArticleVersionId, contact.Questions[0].Outcome));
            var reply = await db.Set<ConversationMessage>().SingleAsync(m => m.Direction == Direction.Uitgaand);
            Assert.Equal((DeliveryStatus.Wachtrij, sent.Value), (reply.Delivery, reply.ContactId));
            Assert.Equal(ConversationStatus.Beantwoord, (await db.Set<Conversation>().SingleAsync()).Status);
        }

        var outbox = app.Services.GetRequiredService<Outbox>();
        Assert.True(await outbox.SendNextAsync(CancellationToken.None));
        Assert.False(await outbox.SendNextAsync(CancellationToken.None));
        var delivered = Assert.Single(mail.Sent);
        Assert.Equal(("jan@voorbeeld.nl", "Re: Paspoort", "Maak een afspraak op het stadhuis."), (delivered.To, delivered.Subject, delivered.Body));
        Assert.Contains("q1@voorbeeld.nl", delivered.References, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_reply_is_retried_then_shown_as_failed_and_an_uncertain_one_is_never_resent_by_itself()
    {
        var (app, _, whatsApp) = await InboxTestKit.CreateAsync();
        await using var _app = app;
        var agent = await app.AgentAsync();
        var received = await app.ReceiveAsync(InboxTestKit.WhatsApp(app));
        await app.SendAsAsync(agent, new ClaimConversation.Take(received.ConversationId));
        await ReplyAsync(app, agent, received.ConversationId);
        whatsApp.Answer = _ => SendOutcome.NotSent("Graph API: 400");
        var outbox = app.Services.GetRequiredService<Outbox>();

        for (var attempt = 0; attempt < 10; attempt++)
        {
            await outbox.SendNextAsync(CancellationToken.None);
            app.Clock.Advance(TimeSpan.FromMinutes(15));
        }

        Assert.Equal(5, whatsApp.Sent.Count);
        var failed = await ReplyMessageAsync(app);
        Assert.Equal((DeliveryStatus.Mislukt, "Graph API: 400"), (failed.Delivery, failed.DeliveryError));

        Assert.True((await app.SendAsAsync(agent, new SendReply.Retry(failed.Id))).Succeeded);
        whatsApp.Answer = _ => SendOutcome.MaybeSent("time-out");
        await outbox.SendNextAsync(CancellationToken.None);
        app.Clock.Advance(TimeSpan.FromHours(1));
        await outbox.SendNextAsync(CancellationToken.None);
        Assert.Equal(6, whatsApp.Sent.Count);
        Assert.Equal(DeliveryStatus.Onzeker, (await ReplyMessageAsync(app)).Delivery);
    }

    [Fact]
    public async Task After_the_whatsapp_window_only_the_template_goes_out_and_the_agents_answer_is_logged()
    {
        var (app, _, whatsApp) = await InboxTestKit.CreateAsync();
        await using var _app = app;
        var agent = await app.AgentAsync();
        var received = await app.ReceiveAsync(InboxTestKit.WhatsApp(app));
        app.Clock.Advance(TimeSpan.FromHours(25));
        await app.SendAsAsync(agent, new ClaimConversation.Take(received.ConversationId));
        var view = await app.SendAsAsync(agent, new GetConversation.Query(received.ConversationId));
        Assert.False(view!.WindowOpen);

        var sent = await ReplyAsync(app, agent, received.ConversationId, "Uw paspoort ligt klaar.");
        await app.Services.GetRequiredService<Outbox>().SendNextAsync(CancellationToken.None);

        var reply = Assert.Single(whatsApp.Sent);
        Assert.Equal("kcc_antwoord_klaar", reply.TemplateName);
        await using var db = await app.CreateDbContextAsync();
        Assert.Equal("Uw paspoort ligt klaar.", (await db.Questions.SingleAsync(q => q.ContactId == sent)).Answer);
    }

    [Fact]
    public async Task The_dashboard_shows_the_first_reply_time_per_written_channel_beside_its_norm()
    {
        var (app, _, _) = await InboxTestKit.CreateAsync();
        await using var _app = app;
        var agent = await app.AgentAsync();
        // Tuesday 11:00: one WhatsApp answered after 2 hours (norm 4 office hours), one after 6 office hours.
        var quick = await app.ReceiveAsync(InboxTestKit.WhatsApp(app, from: "31611111111"));
        var slow = await app.ReceiveAsync(InboxTestKit.WhatsApp(app, from: "31622222222"));
        var waiting = await app.ReceiveAsync(InboxTestKit.Mail(app));
        app.Clock.Advance(TimeSpan.FromHours(2));
        await app.SendAsAsync(agent, new ClaimConversation.Take(quick.ConversationId));
        await ReplyAsync(app, agent, quick.ConversationId);
        app.Clock.Advance(TimeSpan.FromHours(4));
        await app.SendAsAsync(agent, new ClaimConversation.Take(slow.ConversationId));
        await ReplyAsync(app, agent, slow.ConversationId);
        app.Clock.Advance(TimeSpan.FromDays(3)); // the e-mail is now past its 2 working days

        var day = DateOnly.FromDateTime(Kcc.Workbench.Web.Infrastructure.DutchFormat.ToLocal(TestApp.DefaultNow.UtcDateTime));
        var rows = await app.SendAsAsync(await app.EmployeeAsync("tl", "Tessa", Kcc.Workbench.Web.Infrastructure.Roles.Teamleider), new GetFirstReplyTimes.Query(day, day.AddDays(7)));

        var chat = rows.Single(r => r.Channel == Channel.WhatsApp);
        Assert.Equal(("4 kantooruren", 2, 1), (chat.Norm, chat.Answered, chat.WithinNorm));
        Assert.Equal(4, chat.AverageHours, 3);
        var mail = rows.Single(r => r.Channel == Channel.Email);
        Assert.Equal(("2 werkdagen", 0, 1), (mail.Norm, mail.Answered, mail.WaitingPastNorm));
        Assert.NotEqual(0, waiting.ConversationId);
    }

    private static async Task<ConversationMessage> ReplyMessageAsync(TestApp app)
    {
        await using var db = await app.CreateDbContextAsync();
        return await db.Set<ConversationMessage>().SingleAsync(m => m.Direction == Direction.Uitgaand);
    }

    private static LogContact.Command Reply(int topicId, string answer, int? articleId = null, int? versionId = null) => new()
    {
        Channel = Channel.Email,
        StartedAt = DateTime.UtcNow,
        Questions = [new LogContact.QuestionInput { TopicId = topicId, Text = "Hoe vraag ik een paspoort aan?", Answer = answer, Outcome = Outcome.Beantwoord, ArticleId = articleId, ArticleVersionId = versionId }],
    };

    private static async Task<long> ReplyAsync(TestApp app, RoutingTestKit.Staff agent, long conversationId, string answer = "Maak een afspraak.")
    {
        var view = await app.SendAsAsync(agent, new GetConversation.Query(conversationId));
        var result = await app.SendAsAsync(agent, new SendReply.Command(conversationId, view!.Version, Reply(await app.TopicIdAsync("paspoort"), answer)));
        Assert.True(result.Succeeded, result.AllErrors);
        return result.Value;
    }

    private static DateTime DutchFormat(DateTime utc) => Kcc.Workbench.Web.Infrastructure.DutchFormat.ToLocal(utc);
}
