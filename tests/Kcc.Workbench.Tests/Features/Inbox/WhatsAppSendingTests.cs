using System.Text.Json;
using Kcc.Workbench.Tests.Features.Routing;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Inbox;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Kcc.Workbench.Tests.Features.Inbox;

/// <summary>Replies through the real sender and HTTP pipeline against a stub of the Graph API (WireMock.Net).</summary>
public sealed class WhatsAppSendingTests : IAsyncDisposable
{
    private const string PhoneNumberId = "106540352242922";
    private const string Token = "EAAG-test-token";
    private readonly WireMockServer graph = WireMockServer.Start();

    private async Task<TestApp> AppAsync() => await TestApp.CreateAsync(settings: new Dictionary<string, string?>
    {
        ["Kanalen:WhatsApp:AccessToken"] = Token,
        ["Kanalen:WhatsApp:PhoneNumberId"] = PhoneNumberId,
        ["Kanalen:WhatsApp:GraphApiBaseUrl"] = graph.Url + "/v21.0",
    });

    private static IRequestBuilder Messages() => Request.Create().WithPath($"/v21.0/{PhoneNumberId}/messages").UsingPost();

    [Fact]
    public async Task A_reply_goes_to_the_graph_api_with_the_token_and_the_status_callbacks_follow_it_to_read()
    {
        graph.Given(Messages()).RespondWith(Response.Create().WithStatusCode(200)
            .WithBody("""{"messaging_product":"whatsapp","contacts":[{"input":"31612345678","wa_id":"31612345678"}],"messages":[{"id":"wamid.UIT1"}]}"""));
        await using var app = await AppAsync();
        await AnswerAsync(app, "Uw rijbewijs ligt klaar bij de balie.");

        Assert.True(await app.Services.GetRequiredService<Outbox>().SendNextAsync(CancellationToken.None));

        var call = Assert.Single(graph.LogEntries);
        Assert.Equal("Bearer " + Token, call.RequestMessage.Headers!["Authorization"].Single());
        using var sent = JsonDocument.Parse(call.RequestMessage.Body!);
        Assert.Equal(("whatsapp", "31612345678", "text", "Uw rijbewijs ligt klaar bij de balie."),
            (sent.RootElement.GetProperty("messaging_product").GetString(), sent.RootElement.GetProperty("to").GetString(),
             sent.RootElement.GetProperty("type").GetString(), sent.RootElement.GetProperty("text").GetProperty("body").GetString()));
        Assert.Equal((DeliveryStatus.Verzonden, "wamid.UIT1"), await ReplyStateAsync(app));

        await StatusAsync(app, "wamid.UIT1", "read");
        await StatusAsync(app, "wamid.UIT1", "delivered"); // late and out of order: read stays read
        Assert.Equal((DeliveryStatus.Gelezen, "wamid.UIT1"), await ReplyStateAsync(app));
    }

    [Fact]
    public async Task Busy_answers_are_retried_in_the_pipeline_and_the_reply_goes_out_once()
    {
        graph.Given(Messages()).InScenario("busy").WillSetStateTo("once").RespondWith(Response.Create().WithStatusCode(503));
        graph.Given(Messages()).InScenario("busy").WhenStateIs("once").WillSetStateTo("twice").RespondWith(Response.Create().WithStatusCode(429));
        graph.Given(Messages()).InScenario("busy").WhenStateIs("twice").RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"messages":[{"id":"wamid.UIT2"}]}"""));
        await using var app = await AppAsync();
        await AnswerAsync(app, "Ja, dat kan.");

        // The pipeline waits between attempts on the app's clock: let test time pass while it sends, a little faster
        // than real time but in small steps, so a slow moment of the machine never runs out an attempt's timeout.
        var sending = app.Services.GetRequiredService<Outbox>().SendNextAsync(CancellationToken.None);
        while (!sending.IsCompleted)
        {
            app.Clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(20);
        }

        await sending;
        Assert.Equal(3, graph.LogEntries.Count);
        Assert.Equal((DeliveryStatus.Verzonden, "wamid.UIT2"), await ReplyStateAsync(app));
    }

    [Fact]
    public async Task A_server_error_that_may_hide_a_sent_message_is_not_retried_and_asks_the_agent_to_check()
    {
        graph.Given(Messages()).RespondWith(Response.Create().WithStatusCode(500).WithBody("""{"error":{"message":"An unknown error occurred","code":1}}"""));
        await using var app = await AppAsync();
        await AnswerAsync(app, "Ja, dat kan.");
        var outbox = app.Services.GetRequiredService<Outbox>();

        await outbox.SendNextAsync(CancellationToken.None);
        app.Clock.Advance(TimeSpan.FromHours(1));
        await outbox.SendNextAsync(CancellationToken.None);

        Assert.Single(graph.LogEntries);
        var (status, _) = await ReplyStateAsync(app);
        Assert.Equal(DeliveryStatus.Onzeker, status);
    }

    [Fact]
    public async Task A_refused_template_shows_why_after_the_failed_callback()
    {
        graph.Given(Messages()).RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"messages":[{"id":"wamid.UIT3"}]}"""));
        await using var app = await AppAsync();
        await AnswerAsync(app, "Ja.");
        await app.Services.GetRequiredService<Outbox>().SendNextAsync(CancellationToken.None);

        await StatusAsync(app, "wamid.UIT3", "failed");

        await using var db = await app.CreateDbContextAsync();
        var reply = await db.Set<ConversationMessage>().SingleAsync(m => m.Direction == Direction.Uitgaand);
        Assert.Equal(DeliveryStatus.Mislukt, reply.Delivery);
        Assert.Equal("WhatsApp kon het antwoord niet afleveren (131047 Re-engagement message).", reply.DeliveryError);
    }

    private static async Task AnswerAsync(TestApp app, string answer)
    {
        var received = await app.ReceiveAsync(InboxTestKit.WhatsApp(app, from: "31612345678"));
        var agent = await app.AgentAsync();
        await app.SendAsAsync(agent, new ClaimConversation.Take(received.ConversationId));
        var view = await app.SendAsAsync(agent, new GetConversation.Query(received.ConversationId));
        var result = await app.SendAsAsync(agent, new SendReply.Command(received.ConversationId, view!.Version, new LogContact.Command
        {
            Channel = Channel.WhatsApp,
            StartedAt = app.Clock.GetUtcNow().UtcDateTime,
            Questions = [new LogContact.QuestionInput { TopicId = await app.TopicIdAsync("rijbewijs"), Text = "Is mijn rijbewijs klaar?", Answer = answer, Outcome = Outcome.Beantwoord }],
        }));
        Assert.True(result.Succeeded, result.AllErrors);
    }

    private static async Task StatusAsync(TestApp app, string wamid, string status)
    {
        var payload = JsonSerializer.Deserialize<WhatsAppWebhook.Payload>(WhatsAppPayloads.Bytes(WhatsAppPayloads.Status(wamid, status, app.Clock.GetUtcNow())), JsonOptions())!;
        using (TestCurrentUser.ActAs(WhatsAppWebhook.Actor))
        {
            var result = await app.SendAsync(payload);
            Assert.True(result.Succeeded, result.AllErrors);
        }
    }

    private static JsonSerializerOptions JsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Kcc.Workbench.Web.Infrastructure.ApiInput.Configure(options);
        return options;
    }

    private static async Task<(DeliveryStatus? Status, string? ExternalId)> ReplyStateAsync(TestApp app)
    {
        await using var db = await app.CreateDbContextAsync();
        var reply = await db.Set<ConversationMessage>().SingleAsync(m => m.Direction == Direction.Uitgaand);
        return (reply.Delivery, reply.ExternalId);
    }

    public ValueTask DisposeAsync()
    {
        graph.Stop();
        graph.Dispose();
        return ValueTask.CompletedTask;
    }
}
