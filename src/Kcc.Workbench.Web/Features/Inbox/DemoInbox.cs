using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Parties;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Inbox;

/// <summary>Demo mode: a handful of e-mails and WhatsApp messages wait in the inbox, some from known residents.</summary>
public static class DemoInbox
{
    public static async Task SeedAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var factory = services.GetRequiredService<IDbContextFactory<KccDbContext>>();
        var clock = services.GetRequiredService<TimeProvider>();
        var intake = services.GetRequiredService<InboxIntake>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (await db.Set<ConversationMessage>().AnyAsync(cancellationToken))
        {
            return;
        }

        var phones = await db.PartyContactDetails.Where(d => d.Kind == ContactDetailKind.Phone && d.NormalizedValue.StartsWith("06"))
            .OrderBy(d => d.Id).Select(d => d.NormalizedValue).Take(2).ToListAsync(cancellationToken);
        var emails = await db.PartyContactDetails.Where(d => d.Kind == ContactDetailKind.Email)
            .OrderBy(d => d.Id).Select(d => d.NormalizedValue).Take(2).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var messages = new List<IncomingMessage>
        {
            Mail(emails.ElementAtOrDefault(0) ?? "j.devries@voorbeeld.nl", "Jan de Vries", "Paspoort verlopen",
                "Goedemiddag,\n\nMijn paspoort is verlopen. Hoe vraag ik een nieuw paspoort aan en wat kost dat?\n\nMet vriendelijke groet,\nJan", now.AddHours(-30)),
            Mail(emails.ElementAtOrDefault(1) ?? "s.bakker@voorbeeld.nl", "Sanne Bakker", "Grofvuil ophalen",
                "Beste gemeente,\n\nWanneer kan ik mijn oude bank laten ophalen? Moet ik daarvoor een afspraak maken?\n\nGroet, Sanne", now.AddHours(-6)),
            Mail("onbekend@voorbeeld.nl", "M. Yilmaz", "Parkeervergunning",
                "Hallo, ik ben verhuisd naar het centrum. Kan ik een parkeervergunning voor bewoners krijgen?", now.AddMinutes(-50)),
            WhatsApp(phones.ElementAtOrDefault(0) ?? "0612345678", "Kees", "Hoi, is mijn rijbewijs al klaar om op te halen?", now.AddHours(-3)),
            WhatsApp(phones.ElementAtOrDefault(1) ?? "0687654321", "Fatima", "Goedemorgen! Waar kan ik mijn verhuizing doorgeven?", now.AddMinutes(-25)),
            WhatsApp("0611122233", null, "Mijn container is niet geleegd vandaag. Wat moet ik doen?", now.AddHours(-27)),
        };
        foreach (var message in messages)
        {
            await intake.ReceiveAsync(message, cancellationToken);
        }
    }

    private static IncomingMessage Mail(string address, string name, string subject, string body, DateTime sentAt) => new()
    {
        Channel = Channel.Email,
        ExternalId = $"demo-{Guid.NewGuid():N}@voorbeeld.nl",
        Address = address,
        SenderName = name,
        Subject = subject,
        Body = body,
        SentAt = sentAt,
    };

    private static IncomingMessage WhatsApp(string phone, string? name, string body, DateTime sentAt) => new()
    {
        Channel = Channel.WhatsApp,
        ExternalId = $"wamid.demo{Guid.NewGuid():N}",
        Address = "31" + phone.TrimStart('0'),
        SenderName = name,
        Body = body,
        SentAt = sentAt,
    };
}
