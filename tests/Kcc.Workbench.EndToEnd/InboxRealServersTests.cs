using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kcc.Workbench.EndToEnd.Support;
using Kcc.Workbench.Tests.Features.Inbox;
using Kcc.Workbench.Tests.Support;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using MimeKit;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using static Kcc.Workbench.EndToEnd.Support.Ui;
using static Microsoft.Playwright.Assertions;

namespace Kcc.Workbench.EndToEnd;

/// <summary>
/// The inbox against real servers: a resident's e-mail goes into a real SMTP/IMAP server (smtp4dev) and their WhatsApp
/// message arrives as a webhook signed like Meta signs it. The agent, keyboard only, answers both from the kennisbank;
/// the e-mail reply is read back from the mail server, the WhatsApp reply from the Graph API stub, and both contacts are
/// in the resident's history with the article version used.
/// </summary>
public sealed partial class InboxRealServersTests(KccApp shared)
{
    private const string AppSecret = "e2e-app-secret-0123456789";
    private const string PhoneNumberId = "106540352242922";

    [Fact]
    public async Task An_email_and_a_whatsapp_message_are_answered_from_the_kennisbank_with_the_keyboard_and_the_replies_arrive()
    {
        await using var mail = await MailServer.StartAsync();
        using var graph = WireMockServer.Start();
        graph.Given(Request.Create().WithPath($"/v21.0/{PhoneNumberId}/messages").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"messaging_product":"whatsapp","messages":[{"id":"wamid.E2E-UIT"}]}"""));

        var folder = Directory.CreateTempSubdirectory("kcc-inbox-e2e-");
        var settings = mail.Settings("Kanalen__Email__").ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
        settings["Kanalen__WhatsApp__AppSecret"] = AppSecret;
        settings["Kanalen__WhatsApp__AccessToken"] = "e2e-token";
        settings["Kanalen__WhatsApp__PhoneNumberId"] = PhoneNumberId;
        settings["Kanalen__WhatsApp__GraphApiBaseUrl"] = graph.Url + "/v21.0";
        settings["Demo__Contacts"] = "50";
        await using var app = await AppProcess.StartAsync(folder.FullName, settings);
        try
        {
            var resident = await ResidentWithEmailAndMobileAsync(folder.FullName);
            var marker = Guid.NewGuid().ToString("N")[..6];

            // The resident writes an e-mail to the KCC's mailbox, through the real SMTP server.
            var subject = $"Paspoort kwijt ({marker})";
            await SendMailAsync(mail, resident.Email, subject, $"Goedemorgen, ik ben mijn paspoort kwijt ({marker}). Hoe vraag ik een nieuw paspoort aan?");
            // …and a WhatsApp message, as Meta delivers it: a signed webhook.
            var whatsApp = $"Hoe vraag ik een nieuw rijbewijs aan? ({marker})";
            await PostWebhookAsync(app.BaseUrl, $"wamid.E2E{marker}", "31" + resident.Mobile[1..], whatsApp);

            await using var context = await shared.NewContextAsync(app.BaseUrl);
            var page = await context.NewPageAsync();
            await LoginAsync(page, "fo.demo");
            await page.GotoAsync("/inbox");
            await page.Locator("[data-interactive=true]").WaitForAsync();
            // The e-mail is read over IMAP (polling every second here); the webhook's message is there at once.
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Wachtende gesprekken E-mail" })).ToContainTextAsync(subject, new() { Timeout = 30_000 });
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Wachtende gesprekken WhatsApp" })).ToContainTextAsync(marker);
            await AxeAsync(page);

            // The e-mail: Tab to it, answer with the kennisbank's e-mail text, send.
            await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = $"Openen: E-mail van {resident.Name}" }));
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"E-mail: {subject}", Level = 1 })).ToBeVisibleAsync();
            var emailAnswer = await AnswerFromKennisbankAsync(page, "pasp", "paspoort");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Klantbeeld" })).ToBeVisibleAsync();
            await AxeAsync(page);

            // The reply arrives at the mail server, in the thread, with the kennisbank text.
            var reply = await ReceivedReplyAsync(mail, "Re: " + subject);
            Assert.Contains(resident.Email, reply.To.Mailboxes.Select(m => m.Address), StringComparer.OrdinalIgnoreCase);
            Assert.Contains(Normalise(emailAnswer)[..40], Normalise(reply.TextBody ?? reply.HtmlBody ?? ""), StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(reply.InReplyTo), "the reply is not threaded (no In-Reply-To)");

            // The WhatsApp message: back to the inbox, the same way.
            await page.GotoAsync("/inbox");
            await page.Locator("[data-interactive=true]").WaitForAsync();
            await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = $"Openen: WhatsApp van {resident.Name}" }));
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.GetByRole(AriaRole.List, new() { Name = "Berichten, oudste eerst" })).ToContainTextAsync(whatsApp);
            var whatsAppAnswer = await AnswerFromKennisbankAsync(page, "rijbew", "rijbewijs");
            var sent = await GraphCallAsync(graph);
            Assert.Contains(Normalise(whatsAppAnswer)[..30], Normalise(sent), StringComparison.Ordinal);

            // Both are in the resident's history; the contact shows the article version the answer came from.
            await page.GotoAsync($"/betrokkenen/{resident.Id}");
            var history = page.GetByRole(AriaRole.List, new() { Name = "Contacthistorie" });
            await Expect(history).ToContainTextAsync("E-mail");
            await Expect(history).ToContainTextAsync("WhatsApp");
            await Expect(history).ToContainTextAsync(marker);
            await history.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "E-mail" }).Filter(new() { HasText = marker })
                .GetByRole(AriaRole.Link).First.ClickAsync();
            await Expect(page.GetByText(VersionLine())).ToBeVisibleAsync();
            await AxeAsync(page);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or Xunit.Sdk.XunitException)
        {
            var output = app.Output;
            throw new InvalidOperationException($"{e.Message}\n--- app ---\n{(output.Length > 6000 ? output[^6000..] : output)}", e);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Alt+V to the topic, a few letters, Tab; Alt+K, ↓, Enter inserts the first article's text for this channel; Tab to send, Enter.</summary>
    private static async Task<string> AnswerFromKennisbankAsync(IPage page, string typed, string topic)
    {
        await page.Keyboard.PressAsync("Alt+v");
        await Expect(page.Locator("#q0-topic")).ToBeFocusedAsync();
        // About a fast agent's pace; at 15 ms a key on a loaded CI machine the topic autocomplete once lost two letters ("rbew").
        await page.Keyboard.TypeAsync(typed, new() { Delay = 60 });
        // Tab takes the list's first item: wait until the list is the one for the typed text (see AgentLoopTests).
        await Expect(page.GetByRole(AriaRole.Option).First).ToHaveTextAsync(topic);
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator("#q0-topic")).ToHaveValueAsync(topic);
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Gevonden artikelen" })).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Alt+k");
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("Enter");
        var answer = page.Locator("#q0-answer");
        await Expect(answer).ToBeFocusedAsync();
        var inserted = await answer.InputValueAsync();
        Assert.True(inserted.Length > 40, inserted);
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Versturen en vastleggen" }));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("het contact is vastgelegd");
        return inserted;
    }

    private static async Task TabToAsync(IPage page, ILocator target)
    {
        for (var i = 0; i < 60 && !await target.EvaluateAsync<bool>("e => e === document.activeElement"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        await Expect(target).ToBeFocusedAsync();
    }

    private sealed record Resident(int Id, string Name, string Email, string Mobile);

    /// <summary>A demo resident with an e-mail address and a mobile number, read from the app's database file.</summary>
    private static async Task<Resident> ResidentWithEmailAndMobileAsync(string dataFolder)
    {
        await using var db = new SqliteConnection($"Data Source={Path.Combine(dataFolder, "kcc.db")};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = """
            SELECT p.Id, p.FirstNames || ' ' || p.LastName, e.NormalizedValue, m.NormalizedValue
            FROM Parties p
            JOIN PartyContactDetails e ON e.PartyId = p.Id AND e.Kind = 2
            JOIN PartyContactDetails m ON m.PartyId = p.Id AND m.Kind = 1 AND m.NormalizedValue LIKE '06%'
            WHERE p.AnonymisedAt IS NULL AND p.OrganisationName IS NULL AND p.Prefix IS NULL AND p.FirstNames IS NOT NULL
            ORDER BY p.Id DESC LIMIT 1
            """;
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "the demo data has no resident with an e-mail address and a mobile number");
        return new Resident(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
    }

    private static async Task SendMailAsync(MailServer server, string from, string subject, string body)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("", from));
        message.To.Add(new MailboxAddress("KCC", "kcc@gemeente.example"));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = body };
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync("127.0.0.1", server.SmtpPort, MailKit.Security.SecureSocketOptions.None);
        await smtp.SendAsync(message);
        await smtp.DisconnectAsync(true);
    }

    private static async Task PostWebhookAsync(string baseUrl, string wamid, string from, string text)
    {
        // The body in the shape Meta sends (the HTTP tests' payloads), signed with the app secret as Meta signs it.
        var body = WhatsAppPayloads.Bytes(WhatsAppPayloads.Message(wamid, from, text, DateTimeOffset.UtcNow, name: "Inwoner"));
        using var http = new HttpClient();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, baseUrl + "/api/v1/whatsapp/webhook") { Content = content };
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(AppSecret), body)));
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"webhook answered {(int)response.StatusCode}");
    }

    /// <summary>The reply as the mail server holds it (smtp4dev keeps every message it accepted in its IMAP INBOX).</summary>
    private static async Task<MimeMessage> ReceivedReplyAsync(MailServer server, string subject)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using (var imap = new ImapClient())
            {
                await imap.ConnectAsync("127.0.0.1", server.ImapPort, MailKit.Security.SecureSocketOptions.None);
                await imap.AuthenticateAsync("kcc", "geheim");
                await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
                var found = await imap.Inbox.SearchAsync(SearchQuery.SubjectContains(subject));
                foreach (var uid in found)
                {
                    var message = await imap.Inbox.GetMessageAsync(uid);
                    if (message.Subject == subject)
                    {
                        return message;
                    }
                }
            }

            Assert.True(DateTime.UtcNow < until, $"no reply \"{subject}\" reached the mail server within 30 s");
            await Task.Delay(500);
        }
    }

    /// <summary>The text of the Graph API call that sent the WhatsApp reply.</summary>
    private static async Task<string> GraphCallAsync(WireMockServer graph)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var call = graph.LogEntries.FirstOrDefault(e => e.RequestMessage.Method == "POST" && e.RequestMessage.Path.EndsWith("/messages", StringComparison.Ordinal));
            if (call?.RequestMessage.Body is { } body)
            {
                Assert.Equal("Bearer e2e-token", call.RequestMessage.Headers!["Authorization"].Single());
                return JsonNode.Parse(body)?["text"]?["body"]?.GetValue<string>() ?? throw new InvalidOperationException("not a text message: " + body);
            }

            Assert.True(DateTime.UtcNow < until, "no WhatsApp reply reached the Graph API stub within 30 s");
            await Task.Delay(250);
        }
    }

    /// <summary>Whitespace folded, so a text compares the same in the form, a mail body and a JSON body.</summary>
    private static string Normalise(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"Antwoord uit kennisbank: .+ \(versie \d+ van \d+ \w+ \d{4}\)")]
    private static partial Regex VersionLine();
}
