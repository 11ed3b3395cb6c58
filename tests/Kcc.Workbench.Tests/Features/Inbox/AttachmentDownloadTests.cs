using System.Net;
using Bunit;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Data.DemoData;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Inbox;
using Kcc.Workbench.Web.Features.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kcc.Workbench.Tests.Features.Inbox;

/// <summary>An e-mail's attachment downloaded over HTTP as the agent's browser does: saved, never shown, on record.</summary>
public sealed class AttachmentDownloadTests(AttachmentDownloadTests.Fixture fixture) : IClassFixture<AttachmentDownloadTests.Fixture>
{
    public sealed class Fixture : IAsyncDisposable
    {
        public KccWebApplicationFactory Factory { get; } = new();

        public ValueTask DisposeAsync() => Factory.DisposeAsync();
    }

    private static readonly byte[] Pdf = "%PDF-1.4 uittreksel"u8.ToArray();

    private async Task<(long ConversationId, long Pdf, long Html)> MailAsync()
    {
        var intake = fixture.Factory.Services.GetRequiredService<InboxIntake>();
        var stored = await intake.ReceiveAsync(new IncomingMessage
        {
            Channel = Channel.Email, ExternalId = $"{Guid.NewGuid():N}@voorbeeld.nl", Address = "anna@voorbeeld.nl", Body = "Zie bijlagen",
            SentAt = DateTime.UtcNow.AddMinutes(-1),
            Attachments =
            [
                new IncomingAttachment("..\\..\\uittreksel \"Anna\"\r\n.pdf", "application/pdf", Pdf),
                new IncomingAttachment("brief.html", "text/html; charset=utf-8", "<script>alert(1)</script>"u8.ToArray()),
            ],
        }, Xunit.TestContext.Current.CancellationToken);
        await using var db = await DbAsync();
        var ids = await db.Set<MessageAttachment>().Where(a => a.MessageId == stored.MessageId).OrderBy(a => a.Id).Select(a => a.Id)
            .ToListAsync(Xunit.TestContext.Current.CancellationToken);
        return (stored.ConversationId, ids[0], ids[1]);
    }

    private async Task<Web.Data.KccDbContext> DbAsync() =>
        await fixture.Factory.Services.GetRequiredService<IDbContextFactory<Web.Data.KccDbContext>>().CreateDbContextAsync(Xunit.TestContext.Current.CancellationToken);

    private async Task<HttpClient> SignedInAsync(string userName)
    {
        var client = fixture.Factory.CreateBrowserLikeClient();
        using var response = await LoginForm.SignInAsync(client, userName, DemoSeeder.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    [Fact]
    public async Task An_agent_downloads_the_bytes_as_an_attachment_with_a_safe_name_and_the_download_is_on_record()
    {
        var (conversationId, pdf, html) = await MailAsync();
        using var agent = await SignedInAsync("fo.demo");

        using var response = await agent.GetAsync(DownloadAttachment.Path(pdf), Xunit.TestContext.Current.CancellationToken);
        using var script = await agent.GetAsync(DownloadAttachment.Path(html), Xunit.TestContext.Current.CancellationToken);
        using var unknown = await agent.GetAsync(DownloadAttachment.Path(987_654_321), Xunit.TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Pdf, await response.Content.ReadAsByteArrayAsync(Xunit.TestContext.Current.CancellationToken));
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("uittreksel _Anna___.pdf", response.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        // Not on the safe list: the browser gets bytes to save, not a page to run.
        Assert.Equal("application/octet-stream", script.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", script.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        await using var db = await DbAsync();
        var entries = await db.AuditEntries.Where(a => a.Action == DownloadAttachment.Action && a.EntityId == conversationId.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .ToListAsync(Xunit.TestContext.Current.CancellationToken);
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal((AuditSubjects.Conversation, "Fatima Ouali"), (e.EntityType, e.ActorName)));
        Assert.DoesNotContain(entries, e => e.Summary.Contains("uittreksel", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_the_inbox_role_or_signed_out_nothing_is_handed_out()
    {
        var (_, pdf, _) = await MailAsync();
        using var backoffice = await SignedInAsync("bo.demo");
        using var anonymous = fixture.Factory.CreateBrowserLikeClient();

        using var refused = await backoffice.GetAsync(DownloadAttachment.Path(pdf), Xunit.TestContext.Current.CancellationToken);
        using var signedOut = await anonymous.GetAsync(DownloadAttachment.Path(pdf), Xunit.TestContext.Current.CancellationToken);

        // Like the app's other pages and downloads: to the access-denied page and to the sign-in page.
        Assert.Equal((HttpStatusCode.Redirect, "/geen-toegang"), (refused.StatusCode, refused.Headers.Location!.AbsolutePath));
        Assert.Equal((HttpStatusCode.Redirect, "/inloggen"), (signedOut.StatusCode, signedOut.Headers.Location!.AbsolutePath));
        Assert.DoesNotContain("PDF", await refused.Content.ReadAsStringAsync(Xunit.TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("C:\\Users\\jan\\paspoort.pdf", "paspoort.pdf")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("a\u0000b<c>.pdf", "a_b_c_.pdf")]
    [InlineData("  ...  ", "bijlage-7")]
    public void A_file_name_loses_folders_and_characters_a_file_system_refuses(string given, string expected) =>
        Assert.Equal(expected, DownloadAttachment.SafeFileName(given, 7));
}

/// <summary>The thread lists each attachment as a download link the keyboard reaches.</summary>
public sealed class ConversationAttachmentLinkTests : KccBunitContext
{
    [Fact]
    public async Task Each_attachment_is_a_download_link_with_its_name_and_size()
    {
        var stored = await App.ReceiveAsync(InboxTestKit.Mail(App) with
        {
            Attachments = [new IncomingAttachment("uittreksel.pdf", "application/pdf", new byte[2048]), new IncomingAttachment("foto.jpg", "image/jpeg", new byte[10])],
        });

        var page = Render<ConversationPage>(p => p.Add(c => c.ConversationId, stored.ConversationId));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("a[data-attachment-id]").Count), TimeSpan.FromSeconds(10));
        var links = page.FindAll("a[data-attachment-id]");
        Assert.Equal(["Download uittreksel.pdf (2 kB)", "Download foto.jpg (1 kB)"], links.Select(a => a.TextContent.Trim()));
        Assert.All(links, a => Assert.Equal(DownloadAttachment.Path(long.Parse(a.GetAttribute("data-attachment-id")!, System.Globalization.CultureInfo.InvariantCulture)), a.GetAttribute("href")));
        Assert.Equal("uittreksel.pdf", links[0].GetAttribute("download"));
    }
}
