using Bunit;
using Kcc.Workbench.Tests.Features.Inbox;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Inbox;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Features.Privacy;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Tests.Features.Privacy;

/// <summary>
/// The inbox under the AVG: e-mail and WhatsApp conversations lose what the resident wrote after the contact term,
/// go with an erasure request, and are part of the inzage export.
/// </summary>
public class InboxPrivacyTests
{
    private static readonly byte[] Pdf = "%PDF-1.4 uittreksel Anna Jansen"u8.ToArray();

    private static IncomingMessage MailWithAttachment(TestApp app, string from = "anna@voorbeeld.nl", string? id = null) =>
        InboxTestKit.Mail(app, from, "Mijn BSN is 111222333, zie de bijlage.", id) with
        {
            SafeHtml = "<p>Mijn BSN is 111222333, zie de bijlage.</p>",
            Problem = "Bijlage ‘paspoort Anna.exe’ (application/x-msdownload) is niet bewaard: dit soort bestand nemen we niet aan.",
            Attachments = [new IncomingAttachment("uittreksel Anna Jansen.pdf", "application/pdf", Pdf)],
        };

    private static async Task<int> AnnaAsync(TestApp app)
    {
        var party = await app.SendAsync(new CreateParty.Command
        {
            FirstNames = "Anna", LastName = "Jansen", Bsn = "111222333", PhoneNumbers = ["0612345678"], EmailAddresses = ["anna@voorbeeld.nl"],
        });
        Assert.True(party.Succeeded, party.AllErrors);
        return party.Value;
    }

    private static async Task<Conversation> ConversationAsync(TestApp app, long id)
    {
        await using var db = await app.CreateDbContextAsync();
        var conversation = await db.Set<Conversation>().Include(c => c.Messages).ThenInclude(m => m.Attachments).SingleAsync(c => c.Id == id);
        return conversation;
    }

    [Fact]
    public async Task Conversations_whose_last_message_is_past_the_contact_term_lose_what_the_resident_wrote_and_young_ones_stay()
    {
        var (app, _, _) = await InboxTestKit.CreateAsync();
        await using var _app = app;
        await app.SignInAsAsync(Roles.Frontoffice);
        await AnnaAsync(app);
        var oldMail = await app.ReceiveAsync(MailWithAttachment(app));
        var oldChat = await app.ReceiveAsync(InboxTestKit.WhatsApp(app, from: "31698765432", text: "Ik ben Piet, mijn adres is Kerkstraat 5"));
        var revived = await app.ReceiveAsync(InboxTestKit.Mail(app, "kees@voorbeeld.nl", "Eerste vraag", id: "kees-1@voorbeeld.nl"));
        var before = await ConversationAsync(app, oldMail.ConversationId);
        app.Clock.Advance(TimeSpan.FromDays(365));
        var youngChat = await app.ReceiveAsync(InboxTestKit.WhatsApp(app, from: "31611112222", text: "Wanneer is het gemeentehuis open?"));
        app.Clock.Advance(TimeSpan.FromDays(300));
        // Kees writes again in his old e-mail thread: the term runs from the last message, so the thread stays whole.
        await app.ReceiveAsync(InboxTestKit.Mail(app, "kees@voorbeeld.nl", "Nog een vraag", null, "kees-1@voorbeeld.nl"));
        app.Clock.Advance(TimeSpan.FromDays(67)); // the first messages are now just over 2 years old, the others younger

        await app.SignInAsAsync(Roles.Beheerder, "beheer", "Bep Beheer");
        var report = (await app.SendAsync(new AnonymiseExpiredData.Command())).Value!;

        Assert.Equal((2, 2), (report.Conversations, report.Messages));
        var mail = await ConversationAsync(app, oldMail.ConversationId);
        Assert.Equal((Anonymiser.Placeholder, null, Anonymiser.Placeholder), (mail.Address, mail.SenderName, mail.Subject));
        var message = Assert.Single(mail.Messages);
        Assert.Equal((Anonymiser.Placeholder, null, Anonymiser.Placeholder), (message.Body, message.SafeHtml, message.Problem));
        Assert.Empty(message.Attachments);
        // What the dashboard counts stays: channel, status, the times, the link to the party.
        Assert.Equal(
            (before.Channel, before.Status, before.CreatedAt, before.WaitingSince, before.DueAt, before.PartyId, before.Messages[0].SentAt, before.Messages[0].Direction),
            (mail.Channel, mail.Status, mail.CreatedAt, mail.WaitingSince, mail.DueAt, mail.PartyId, message.SentAt, message.Direction));
        Assert.NotNull(mail.PartyId);
        var chat = await ConversationAsync(app, oldChat.ConversationId);
        Assert.Equal((Anonymiser.Placeholder, Anonymiser.Placeholder), (chat.Address, chat.Messages.Single().Body));

        Assert.Equal("Wanneer is het gemeentehuis open?", (await ConversationAsync(app, youngChat.ConversationId)).Messages.Single().Body);
        var kees = await ConversationAsync(app, revived.ConversationId);
        Assert.Equal(("kees@voorbeeld.nl", "Eerste vraag|Nog een vraag"), (kees.Address, string.Join('|', kees.Messages.OrderBy(m => m.Id).Select(m => m.Body))));

        await using (var db = await app.CreateDbContextAsync())
        {
            var entry = await db.AuditEntries.SingleAsync(a => a.Action == "bewaartermijnen.toegepast");
            Assert.Contains("2 inboxgesprekken (2 berichten)", entry.Summary, StringComparison.Ordinal);
            Assert.Equal(0, await db.Set<MessageAttachment>().CountAsync());
        }

        // Idempotent; and a message read again from the mailbox does not come back, a new one in the old thread starts afresh.
        Assert.Equal(new AnonymisationReport(0, 0, 0), (await app.SendAsync(new AnonymiseExpiredData.Command())).Value);
        var again = await app.ReceiveAsync(MailWithAttachment(app, id: before.Messages[0].ExternalId));
        Assert.Equal(IntakeOutcome.Duplicate, again.Outcome);
        var reply = await app.ReceiveAsync(InboxTestKit.Mail(app, "anna@voorbeeld.nl", "Is er al nieuws?", null, before.Messages[0].ExternalId!));
        Assert.NotEqual(oldMail.ConversationId, reply.ConversationId);
        Assert.Equal("anna@voorbeeld.nl", (await ConversationAsync(app, reply.ConversationId)).Address);
    }

    [Fact]
    public async Task An_erasure_request_takes_the_partys_conversations_linked_or_from_their_own_address_but_not_a_shared_one()
    {
        var (app, _, _) = await InboxTestKit.CreateAsync();
        await using var _app = app;
        await app.SignInAsAsync(Roles.Frontoffice);
        // Written before Anna was registered with this address: never linked.
        var unlinked = await app.ReceiveAsync(MailWithAttachment(app));
        var family = await app.ReceiveAsync(InboxTestKit.Mail(app, "gezin@voorbeeld.nl", "Wij verhuizen"));
        var anna = await app.SendAsync(new CreateParty.Command
        {
            FirstNames = "Anna", LastName = "Jansen", PhoneNumbers = ["0612345678"], EmailAddresses = ["anna@voorbeeld.nl", "gezin@voorbeeld.nl"],
        });
        Assert.True((await app.SendAsync(new CreateParty.Command { FirstNames = "Piet", LastName = "Jansen", EmailAddresses = ["gezin@voorbeeld.nl"] })).Succeeded);
        var linked = await app.ReceiveAsync(InboxTestKit.WhatsApp(app, from: "31612345678", text: "Ik ben Anna, bel me terug"));
        var someoneElse = await app.ReceiveAsync(InboxTestKit.WhatsApp(app, from: "31698765432", text: "Ik ben Kees"));
        Assert.Equal(anna.Value, (await ConversationAsync(app, linked.ConversationId)).PartyId);

        await app.SignInAsAsync(Roles.Beheerder, "beheer", "Bep Beheer");
        var erased = await app.SendAsync(new EraseParty.Command(anna.Value, "Verzoek 2026-0042"));

        Assert.True(erased.Succeeded, erased.AllErrors);
        Assert.Equal((2, 2), (erased.Value!.Conversations, erased.Value.Messages));
        foreach (var id in new[] { unlinked.ConversationId, linked.ConversationId })
        {
            var conversation = await ConversationAsync(app, id);
            Assert.Equal((Anonymiser.Placeholder, null), (conversation.Address, conversation.SenderName));
            Assert.All(conversation.Messages, m => Assert.Equal((Anonymiser.Placeholder, null), (m.Body, m.SafeHtml)));
            Assert.All(conversation.Messages, m => Assert.Empty(m.Attachments));
        }

        Assert.Equal("Wij verhuizen", (await ConversationAsync(app, family.ConversationId)).Messages.Single().Body);
        Assert.Equal("Ik ben Kees", (await ConversationAsync(app, someoneElse.ConversationId)).Messages.Single().Body);
        await using var db = await app.CreateDbContextAsync();
        Assert.Equal(0, await db.Set<MessageAttachment>().CountAsync());
        var entry = await db.AuditEntries.SingleAsync(a => a.Action == "betrokkene.verwijderd");
        Assert.Contains("2 inboxgesprekken (2 berichten)", entry.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_inzage_export_holds_the_partys_conversations_with_every_message_and_the_attachments_by_name_and_size()
    {
        var (app, _, _) = await InboxTestKit.CreateAsync();
        await using var _app = app;
        await app.SignInAsAsync(Roles.Frontoffice);
        var mail = await app.ReceiveAsync(MailWithAttachment(app));
        var partyId = await AnnaAsync(app);
        app.Clock.Advance(TimeSpan.FromHours(1));
        var chat = await app.ReceiveAsync(InboxTestKit.WhatsApp(app, from: "31612345678", text: "Is mijn paspoort al klaar?"));
        await app.ReceiveAsync(InboxTestKit.WhatsApp(app, from: "31698765432", text: "Ik ben Kees"));
        await using (var db = await app.CreateDbContextAsync())
        {
            db.Add(new ConversationMessage
            {
                ConversationId = chat.ConversationId, Channel = Channel.WhatsApp, Direction = Direction.Uitgaand, AgentName = "Fenna Front",
                Body = "Ja, u kunt hem ophalen.", SentAt = app.Clock.GetUtcNow().UtcDateTime.AddMinutes(5), StoredAt = app.Clock.GetUtcNow().UtcDateTime.AddMinutes(5),
                Delivery = DeliveryStatus.Gelezen,
            });
            await db.SaveChangesAsync(Xunit.TestContext.Current.CancellationToken);
        }

        await app.SignInAsAsync(Roles.Beheerder, "beheer");
        var export = await app.SendAsync(new ExportPartyData.Query(partyId));

        Assert.NotNull(export);
        Assert.Equal([mail.ConversationId, chat.ConversationId], export.Conversations.Select(c => c.Id));
        var email = export.Conversations[0];
        Assert.Equal(("E-mail", "anna@voorbeeld.nl", "Jan de Vries", "Paspoort"), (email.Channel, email.Address, email.SenderName, email.Subject));
        var incoming = Assert.Single(email.Messages);
        Assert.Equal(("Inkomend", "E-mail", "Mijn BSN is 111222333, zie de bijlage."), (incoming.Direction, incoming.Channel, incoming.Text));
        Assert.Equal([new AttachmentData("uittreksel Anna Jansen.pdf", "application/pdf", Pdf.Length)], incoming.Attachments);
        Assert.Equal(TestApp.DefaultNow.UtcDateTime, incoming.SentAt);
        var whatsApp = export.Conversations[1];
        Assert.Equal(
            [("Inkomend", "WhatsApp", (string?)null, "Is mijn paspoort al klaar?"), ("Uitgaand", "WhatsApp", "Fenna Front", "Ja, u kunt hem ophalen.")],
            whatsApp.Messages.Select(m => (m.Direction, m.Channel, m.Employee, m.Text)));
        // The JSON download carries the same, and never the file's bytes.
        var json = System.Text.Json.JsonSerializer.Serialize(export);
        Assert.Contains("uittreksel Anna Jansen.pdf", json, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Pdf), json, StringComparison.Ordinal);
        Assert.DoesNotContain("Ik ben Kees", json, StringComparison.Ordinal);
    }
}

/// <summary>The printable inzage page lists the conversations as the export holds them.</summary>
public sealed class InzagePageConversationTests : KccBunitContext
{
    protected override string Role => Roles.Beheerder;

    [Fact]
    public async Task The_page_shows_each_message_with_who_wrote_it_and_the_attachments_by_name_and_size()
    {
        await App.SignInAsAsync(Roles.Frontoffice);
        var party = await App.SendAsync(new CreateParty.Command { FirstNames = "Anna", LastName = "Jansen", EmailAddresses = ["anna@voorbeeld.nl"] });
        await App.ReceiveAsync(InboxTestKit.Mail(App, "anna@voorbeeld.nl", "Mijn vraag over de paspoortaanvraag") with
        {
            Attachments = [new IncomingAttachment("uittreksel.pdf", "application/pdf", new byte[1234])],
        });
        await App.SignInAsAsync(Roles.Beheerder, "beheer");

        var page = Render<InzagePage>(p => p.Add(c => c.PartyId, party.Value));

        page.WaitForAssertion(() => Assert.Contains("Uw berichten per e-mail en WhatsApp (1)", page.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        var item = page.Find("ol.kcc-thread li");
        Assert.Contains("Van u", item.TextContent, StringComparison.Ordinal);
        Assert.Contains("Mijn vraag over de paspoortaanvraag", item.TextContent, StringComparison.Ordinal);
        Assert.Contains("Bijlagen: uittreksel.pdf (1.234 bytes)", item.TextContent, StringComparison.Ordinal);
    }
}
