using Kcc.Workbench.Tests.Features.Routing;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Inbox;
using Microsoft.Extensions.DependencyInjection;

namespace Kcc.Workbench.Tests.Features.Inbox;

/// <summary>A channel that records what the outbox hands it and answers what the test says.</summary>
public sealed class RecordingSender(Channel channel) : IReplySender
{
    public Channel Channel { get; } = channel;

    public List<OutgoingReply> Sent { get; } = [];

    public Func<OutgoingReply, SendOutcome> Answer { get; set; } = r => SendOutcome.Done(r.ExternalId ?? $"wamid.out{r.MessageId}");

    public Task<SendOutcome> SendAsync(OutgoingReply reply, CancellationToken cancellationToken)
    {
        Sent.Add(reply);
        return Task.FromResult(Answer(reply));
    }
}

internal static class InboxTestKit
{
    public static async Task<(TestApp App, RecordingSender Mail, RecordingSender WhatsApp)> CreateAsync()
    {
        var mail = new RecordingSender(Channel.Email);
        var whatsApp = new RecordingSender(Channel.WhatsApp);
        var app = await TestApp.CreateAsync(services =>
        {
            services.AddSingleton<IReplySender>(mail);
            services.AddSingleton<IReplySender>(whatsApp);
        });
        return (app, mail, whatsApp);
    }

    public static Task<IntakeResult> ReceiveAsync(this TestApp app, IncomingMessage message) =>
        app.Services.GetRequiredService<InboxIntake>().ReceiveAsync(message, CancellationToken.None);

    public static IncomingMessage WhatsApp(TestApp app, string from = "31612345678", string text = "Is mijn paspoort al klaar?", string? id = null) => new()
    {
        Channel = Channel.WhatsApp,
        ExternalId = id ?? $"wamid.{Guid.NewGuid():N}",
        Address = from,
        SenderName = "Jan",
        Body = text,
        SentAt = app.Clock.GetUtcNow().UtcDateTime,
    };

    public static IncomingMessage Mail(TestApp app, string from = "jan@voorbeeld.nl", string text = "Hoe vraag ik een paspoort aan?", string? id = null, params string[] references) => new()
    {
        Channel = Channel.Email,
        ExternalId = id ?? $"{Guid.NewGuid():N}@voorbeeld.nl",
        Address = from,
        SenderName = "Jan de Vries",
        Subject = "Paspoort",
        Body = text,
        SentAt = app.Clock.GetUtcNow().UtcDateTime,
        References = references,
    };

    public static Task<RoutingTestKit.Staff> AgentAsync(this TestApp app, string userName = "fo", string name = "Fenna Front") =>
        app.EmployeeAsync(userName, name, Kcc.Workbench.Web.Infrastructure.Roles.Frontoffice, "KCC");
}
