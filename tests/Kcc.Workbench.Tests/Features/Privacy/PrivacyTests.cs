using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Features.Privacy;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Tests.Features.Privacy;

public class PrivacyTests
{
    private static async Task<(int PartyId, long ContactId)> ResidentWithContactAsync(TestApp app, string bsn = "111222333")
    {
        var party = await app.SendAsync(new CreateParty.Command
        {
            FirstNames = "Anna", LastName = "Jansen", Bsn = bsn, DateOfBirth = new DateOnly(1970, 1, 1), Postcode = "1234AB", HouseNumber = 1,
            Street = "Dorpsstraat", City = "Demodorp", PhoneNumbers = ["0612345678"], EmailAddresses = ["anna@voorbeeld.nl"],
        });
        var contact = await app.SendAsync(new LogContact.Command
        {
            PartyId = party.Value,
            Channel = Channel.Telefoon,
            StartedAt = app.Clock.GetUtcNow().UtcDateTime,
            Questions = [new LogContact.QuestionInput { TopicId = await app.TopicIdAsync("schuldhulpverlening"), Text = "Ik heb schulden", Answer = "Wijkteam belt u", Outcome = Outcome.Beantwoord }],
        });
        return (party.Value, contact.Value);
    }

    [Fact]
    public async Task The_retention_job_anonymises_only_what_is_past_its_term_and_keeps_the_statistics()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);
        var (oldParty, oldContact) = await ResidentWithContactAsync(app);
        app.Clock.Advance(TimeSpan.FromDays(365));
        var (recentParty, recentContact) = await ResidentWithContactAsync(app, "123456782");
        app.Clock.Advance(TimeSpan.FromDays(367)); // 2027 → 2028 holds 29 February: the first contact is now just over 2 years old

        await app.SignInAsAsync(Roles.Beheerder, "beheer");
        var report = (await app.SendAsync(new AnonymiseExpiredData.Command())).Value!;

        // The audit entries of the old registration and contact are past their own term too; the recent ones stay.
        Assert.Equal(new AnonymisationReport(1, 1, 1, AuditEntries: 2), report);
        await using var db = await app.CreateDbContextAsync();
        var auditedParties = await db.AuditEntries.Where(a => a.EntityType == "Party").Select(a => a.EntityId).ToListAsync();
        Assert.DoesNotContain(oldParty.ToString(DutchFormat.Culture), auditedParties);
        Assert.Contains(recentParty.ToString(DutchFormat.Culture), auditedParties);
        var old = await db.Parties.Include(p => p.ContactDetails).SingleAsync(p => p.Id == oldParty);
        Assert.Equal("Geanonimiseerd", old.DisplayName);
        Assert.Null(old.Bsn);
        Assert.Null(old.DateOfBirth);
        Assert.Null(old.AddressLine);
        Assert.Empty(old.ContactDetails);
        Assert.NotNull(old.AnonymisedAt);
        var oldQuestion = await db.Questions.Include(q => q.Contact).SingleAsync(q => q.ContactId == oldContact);
        Assert.Equal(Anonymiser.Placeholder, oldQuestion.Text);
        Assert.Null(oldQuestion.Answer);
        // The statistics stay: channel, topic, outcome, times and the link to the (now nameless) party.
        Assert.Equal(Channel.Telefoon, oldQuestion.Contact!.Channel);
        Assert.Equal(Outcome.Beantwoord, oldQuestion.Outcome);
        Assert.Equal(await app.TopicIdAsync("schuldhulpverlening"), oldQuestion.TopicId);
        Assert.Equal(oldParty, oldQuestion.Contact.PartyId);

        Assert.Equal("Anna Jansen", (await db.Parties.SingleAsync(p => p.Id == recentParty)).DisplayName);
        Assert.Equal("Ik heb schulden", (await db.Questions.SingleAsync(q => q.ContactId == recentContact)).Text);

        Assert.Equal(new AnonymisationReport(0, 0, 0), (await app.SendAsync(new AnonymiseExpiredData.Command())).Value);
    }

    [Fact]
    public async Task An_erasure_request_anonymises_the_party_at_once_and_search_no_longer_finds_them()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);
        var (partyId, contactId) = await ResidentWithContactAsync(app);
        await app.SignInAsAsync(Roles.Beheerder, "beheer");

        var missingReason = await app.SendAsync(new EraseParty.Command(partyId, ""));
        var erased = await app.SendAsync(new EraseParty.Command(partyId, "Verzoek 2026-0042"));
        var again = await app.SendAsync(new EraseParty.Command(partyId, "Verzoek 2026-0042"));

        Assert.Equal("Vul de reden of het kenmerk van het verzoek in.", missingReason.ErrorFor("Reason"));
        Assert.True(erased.Succeeded);
        Assert.Equal("De gegevens van deze inwoner zijn al geanonimiseerd.", again.ErrorFor("PartyId"));
        Assert.Empty((await app.SendAsync(new FindParties.Query("111222333"))).Matches);
        Assert.Empty((await app.SendAsync(new FindParties.Query("Jansen"))).Matches);
        Assert.Empty((await app.SendAsync(new FindParties.Query("0612345678"))).Matches);
        var contact = await app.SendAsync(new GetContact.Query(contactId));
        Assert.Equal(Anonymiser.Placeholder, contact!.Questions.Single().Text);
    }

    [Fact]
    public async Task The_inzage_export_holds_everything_about_the_party_unmasked()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);
        var (partyId, contactId) = await ResidentWithContactAsync(app);
        await app.SignInAsAsync(Roles.Beheerder, "beheer");

        var export = await app.SendAsync(new ExportPartyData.Query(partyId));

        Assert.NotNull(export);
        Assert.Equal("111222333", export.Party.Bsn);
        Assert.Equal(["0612345678"], export.Party.PhoneNumbers);
        Assert.Equal(["anna@voorbeeld.nl"], export.Party.EmailAddresses);
        var contact = Assert.Single(export.Contacts);
        Assert.Equal(contactId, contact.Id);
        Assert.Equal("Telefoon", contact.Channel);
        Assert.Equal("Ik heb schulden", contact.Questions.Single().Question);
        Assert.Equal("Wijkteam belt u", contact.Questions.Single().Answer);
        Assert.Null(await app.SendAsync(new ExportPartyData.Query(999_999)));
    }

    [Fact]
    public async Task An_erasure_leaves_the_audit_trail_of_who_did_what_but_no_details_about_the_resident()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice, "fo", "Fenna Front");
        var (partyId, contactId) = await ResidentWithContactAsync(app);
        await app.SendAsync(new RecordPartyView.Command(partyId));
        await using (var db = await app.CreateDbContextAsync())
        {
            // An entry as the audit log wrote them before it stopped taking text.
            db.AuditEntries.Add(new Kcc.Workbench.Web.Features.Audit.AuditEntry
            {
                At = app.Clock.GetUtcNow().UtcDateTime, ActorId = "x", ActorName = "Oud", Action = "betrokkene.gewijzigd",
                EntityType = "Party", EntityId = partyId.ToString(DutchFormat.Culture), Summary = "Achternaam Jansen → Janssen",
            });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await app.SignInAsAsync(Roles.Beheerder, "beheer");
        Assert.True((await app.SendAsync(new EraseParty.Command(partyId, "Verzoek 2026-0042"))).Succeeded);

        await using var check = await app.CreateDbContextAsync();
        var party = partyId.ToString(DutchFormat.Culture);
        var contact = contactId.ToString(DutchFormat.Culture);
        var about = await check.AuditEntries
            .Where(a => (a.EntityType == "Party" && a.EntityId == party) || (a.EntityType == "Contact" && a.EntityId == contact))
            .OrderBy(a => a.Id).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["betrokkene.aangemaakt", "contact.geregistreerd", "betrokkene.bekeken", "betrokkene.gewijzigd", "betrokkene.verwijderd"], about.Select(a => a.Action));
        Assert.All(about.SkipLast(1), a => Assert.Equal("", a.Summary));
        Assert.StartsWith("AVG art. 17: 1 inwoners", about[^1].Summary, StringComparison.Ordinal);
        Assert.DoesNotContain(await check.AuditEntries.Select(a => a.Summary).ToListAsync(TestContext.Current.CancellationToken),
            s => s.Contains("Jansen", StringComparison.Ordinal) || s.Contains("Verzoek 2026-0042", StringComparison.Ordinal));
    }
}
