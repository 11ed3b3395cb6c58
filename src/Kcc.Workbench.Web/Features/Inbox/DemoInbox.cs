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

        // Known senders are demo residents, written under their own names: two by e-mail, two others by WhatsApp.
        var details = await (
            from d in db.PartyContactDetails
            join p in db.Parties on d.PartyId equals p.Id
            where p.OrganisationName == null && p.FirstNames != null && p.LastName != null && p.AnonymisedAt == null
                  && (d.Kind == ContactDetailKind.Email || (d.Kind == ContactDetailKind.Phone && d.NormalizedValue.StartsWith("06")))
            orderby d.Id
            select new DemoSender(d.Kind, d.NormalizedValue, d.PartyId, p.FirstNames!, p.Prefix, p.LastName!)).Take(200).ToListAsync(cancellationToken);
        var emails = details.Where(d => d.Kind == ContactDetailKind.Email).DistinctBy(d => d.PartyId).Take(2).ToList();
        var phones = details.Where(d => d.Kind == ContactDetailKind.Phone && emails.All(e => e.PartyId != d.PartyId)).DistinctBy(d => d.PartyId).Take(2).ToList();
        static string First(int i, List<DemoSender> from, string fallback) => from.ElementAtOrDefault(i)?.FirstNames.Split(' ')[0] ?? fallback;
        static string Full(int i, List<DemoSender> from, string fallback) => from.ElementAtOrDefault(i) is { } r
            ? string.Join(' ', new[] { r.FirstNames, r.Prefix, r.LastName }.Where(n => !string.IsNullOrWhiteSpace(n)))
            : fallback;
        var now = clock.GetUtcNow().UtcDateTime;
        var messages = new List<IncomingMessage>
        {
            Mail(emails.ElementAtOrDefault(0)?.NormalizedValue ?? "j.devries@voorbeeld.nl", Full(0, emails, "Jan de Vries"), "Paspoort verlopen",
                $"Goedemiddag,\n\nMijn paspoort is verlopen. Hoe vraag ik een nieuw paspoort aan en wat kost dat?\n\nMet vriendelijke groet,\n{First(0, emails, "Jan")}", now.AddHours(-30)),
            Mail(emails.ElementAtOrDefault(1)?.NormalizedValue ?? "s.bakker@voorbeeld.nl", Full(1, emails, "Sanne Bakker"), "Grofvuil ophalen",
                $"Beste gemeente,\n\nWanneer kan ik mijn oude bank laten ophalen? Moet ik daarvoor een afspraak maken?\n\nGroet, {First(1, emails, "Sanne")}", now.AddHours(-6)),
            Mail("onbekend@voorbeeld.nl", "M. Yilmaz", "Parkeervergunning",
                "Hallo, ik ben verhuisd naar het centrum. Kan ik een parkeervergunning voor bewoners krijgen?", now.AddMinutes(-50)),
            WhatsApp(phones.ElementAtOrDefault(0)?.NormalizedValue ?? "0612345678", First(0, phones, "Kees"), "Hoi, is mijn rijbewijs al klaar om op te halen?", now.AddHours(-3)),
            WhatsApp(phones.ElementAtOrDefault(1)?.NormalizedValue ?? "0687654321", First(1, phones, "Fatima"), "Goedemorgen! Waar kan ik mijn verhuizing doorgeven?", now.AddMinutes(-25)),
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

    private sealed record DemoSender(ContactDetailKind Kind, string NormalizedValue, int PartyId, string FirstNames, string? Prefix, string LastName);
}
