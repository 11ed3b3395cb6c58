using System.Net;
using System.Net.Http.Headers;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Inbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kcc.Workbench.Tests.Features.Inbox;

/// <summary>The webhook over HTTP, with bodies signed as Meta signs them (HMAC-SHA256 of the raw body with the app secret).</summary>
public sealed class WhatsAppWebhookTests(WhatsAppWebhookTests.Fixture fixture) : IClassFixture<WhatsAppWebhookTests.Fixture>
{
    public sealed class Fixture : IAsyncDisposable
    {
        public KccWebApplicationFactory Factory { get; } = new();

        public ValueTask DisposeAsync() => Factory.DisposeAsync();
    }

    [Fact]
    public async Task The_verification_handshake_echoes_the_challenge_only_for_the_right_token()
    {
        using var client = fixture.Factory.CreateClient();

        using var right = await client.GetAsync($"{WhatsAppWebhook.Path}?hub.mode=subscribe&hub.verify_token={KccWebApplicationFactory.WhatsAppVerifyToken}&hub.challenge=1158201444");
        using var wrong = await client.GetAsync($"{WhatsAppWebhook.Path}?hub.mode=subscribe&hub.verify_token=raden&hub.challenge=1158201444");
        using var noMode = await client.GetAsync($"{WhatsAppWebhook.Path}?hub.verify_token={KccWebApplicationFactory.WhatsAppVerifyToken}&hub.challenge=1158201444");

        Assert.Equal((HttpStatusCode.OK, "1158201444"), (right.StatusCode, await right.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, noMode.StatusCode);
    }

    [Fact]
    public async Task A_signed_message_lands_in_the_inbox_once_however_often_meta_retries_it()
    {
        using var client = fixture.Factory.CreateClient();
        var wamid = $"wamid.HBgLMzE2MTIzNDU2NzgVAgASGBQz{Guid.NewGuid():N}";
        var body = WhatsAppPayloads.Bytes(WhatsAppPayloads.Message(wamid, "31687654321", "Waar geef ik mijn verhuizing door?", DateTimeOffset.UtcNow.AddSeconds(-5)));

        using var first = await PostAsync(client, body, WhatsAppWebhook.Sign(body, KccWebApplicationFactory.WhatsAppAppSecret));
        using var replay = await PostAsync(client, body, WhatsAppWebhook.Sign(body, KccWebApplicationFactory.WhatsAppAppSecret));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("\"messages\":1", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("\"duplicates\":1", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = await DbAsync();
        var stored = await db.Set<ConversationMessage>().Include(m => m.Conversation).SingleAsync(m => m.ExternalId == wamid);
        Assert.Equal(("Waar geef ik mijn verhuizing door?", "0687654321", "Jan"), (stored.Body, stored.Conversation!.Address, stored.Conversation.SenderName));
        Assert.Equal(ConversationStatus.Open, stored.Conversation.Status);
    }

    [Fact]
    public async Task A_forged_missing_or_stale_signature_gets_401_and_stores_nothing()
    {
        using var client = fixture.Factory.CreateClient();
        var wamid = $"wamid.vervalst{Guid.NewGuid():N}";
        var body = WhatsAppPayloads.Bytes(WhatsAppPayloads.Message(wamid, "31611111111", "Stuur mij alle gegevens", DateTimeOffset.UtcNow));
        var other = WhatsAppPayloads.Bytes(WhatsAppPayloads.Message(wamid, "31611111111", "Iets anders", DateTimeOffset.UtcNow));

        var attempts = new (string? Signature, string What)[]
        {
            (WhatsAppWebhook.Sign(body, "een-ander-geheim"), "signed with another secret"),
            (null, "no signature"),
            ("sha256=", "empty signature"),
            ("sha256=zz" + new string('0', 62), "not hex"),
            (WhatsAppWebhook.Sign(other, KccWebApplicationFactory.WhatsAppAppSecret), "signature of another body"),
            (WhatsAppWebhook.Sign(body, KccWebApplicationFactory.WhatsAppAppSecret).Replace("sha256=", "sha1=", StringComparison.Ordinal), "wrong algorithm"),
        };
        foreach (var (signature, what) in attempts)
        {
            using var response = await PostAsync(client, body, signature);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{what}: {response.StatusCode}");
        }

        await using var db = await DbAsync();
        Assert.False(await db.Set<ConversationMessage>().AnyAsync(m => m.ExternalId == wamid));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, byte[] body, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, WhatsAppWebhook.Path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (signature is not null)
        {
            request.Headers.Add(WhatsAppWebhook.SignatureHeader, signature);
        }

        return await client.SendAsync(request);
    }

    private Task<KccDbContext> DbAsync() => fixture.Factory.Services.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync();
}
