using System.Text;
using Kcc.Workbench.Tests.Features.Routing;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Audit;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.KnowledgeBase;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Features.Routing;
using Kcc.Workbench.Web.Features.Routing.ServiceNorms;
using Kcc.Workbench.Web.Features.Topics;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Tests.Features.Audit;

/// <summary>
/// Every change leaves exactly one audit entry — who, when, what, which fields — written in the change's own
/// transaction: a change that is not saved leaves none, and an entry that cannot be written stops the change.
/// </summary>
public class AuditTrailTests
{
    private static async Task<List<AuditEntry>> EntriesAsync(TestApp app, string actionPrefix)
    {
        await using var db = await app.CreateDbContextAsync();
        return await db.AuditEntries.AsNoTracking().Where(a => a.Action.StartsWith(actionPrefix)).OrderBy(a => a.Id).ToListAsync();
    }

    /// <summary>Makes every insert into <paramref name="table"/> fail inside the database, as a full disk or a constraint would.</summary>
    private static async Task FailInsertsIntoAsync(TestApp app, string table)
    {
        await using var db = await app.CreateDbContextAsync();
        // The table name is the test's own constant, not input.
        var sql = TestDatabase.FailInsertsSql(table);
        await db.Database.ExecuteSqlRawAsync(sql);
    }

    private static LogContact.Command Contact(TestApp app, int? partyId, int topicId, bool confidential = false) => new()
    {
        PartyId = partyId,
        IsConfidential = confidential,
        StartedAt = app.Clock.GetUtcNow().UtcDateTime.AddMinutes(-4),
        Questions =
        [
            new LogContact.QuestionInput { TopicId = topicId, Text = "Mijn BSN is 111222333, waar blijft mijn paspoort?", Outcome = Outcome.Beantwoord },
            new LogContact.QuestionInput { TopicId = topicId, Text = "En mijn rijbewijs?", Answer = "Dat duurt een week.", Outcome = Outcome.Beantwoord },
        ],
    };

    [Fact]
    public async Task Logging_a_contact_records_who_and_what_without_the_conversation()
    {
        await using var app = await TestApp.CreateAsync();
        var agent = await app.SignInAsAsync(Roles.Frontoffice, "fo", "Fenna Front");
        var party = await app.SendAsync(new CreateParty.Command { LastName = "Jansen" });

        var logged = await app.SendAsync(Contact(app, party.Value, await app.TopicIdAsync("paspoort"), confidential: true));

        var entry = Assert.Single(await EntriesAsync(app, "contact."));
        Assert.Equal("contact.geregistreerd", entry.Action);
        Assert.Equal(("Contact", logged.Value.ToString(DutchFormat.Culture)), (entry.EntityType, entry.EntityId));
        Assert.Equal((agent.Id, "Fenna Front"), (entry.ActorId, entry.ActorName));
        Assert.Equal(TestApp.DefaultNow.UtcDateTime, entry.At);
        Assert.Equal($"Telefoon (inkomend), 2 vragen, inwoner {party.Value}, vertrouwelijk", entry.Summary);
    }

    [Fact]
    public async Task A_contact_and_its_audit_entry_are_saved_together_or_not_at_all()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);
        var topicId = await app.TopicIdAsync("paspoort");
        await FailInsertsIntoAsync(app, "AuditEntries");

        await Assert.ThrowsAnyAsync<Exception>(() => app.SendAsync(Contact(app, null, topicId)));

        await using var db = await app.CreateDbContextAsync();
        Assert.Equal(0, await db.Contacts.CountAsync());
        Assert.Equal(0, await db.Questions.CountAsync());
    }

    [Fact]
    public async Task A_contact_that_is_not_saved_leaves_no_audit_entry()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);
        var topicId = await app.TopicIdAsync("paspoort");
        await FailInsertsIntoAsync(app, "Questions");

        await Assert.ThrowsAnyAsync<Exception>(() => app.SendAsync(Contact(app, null, topicId)));

        Assert.Empty(await EntriesAsync(app, ""));
    }

    [Fact]
    public async Task Registering_and_correcting_a_party_record_the_kinds_of_data_not_the_data()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Backoffice, "bo", "Bart Burger");

        var created = await app.SendAsync(new CreateParty.Command
        {
            FirstNames = "Anna", LastName = "Jansen", Bsn = "111222333", Postcode = "1234 AB", HouseNumber = 1, PhoneNumbers = ["0612345678"],
        });
        var updated = await app.SendAsync(new UpdateParty.Command
        {
            PartyId = created.Value, ExpectedVersion = 1, FirstNames = "Anna", LastName = "Jansen-de Vries", Postcode = "1234 AB", HouseNumber = 1,
            PhoneNumbers = ["0612345678", "0201234567"],
        });

        Assert.True(updated.Succeeded, updated.AllErrors);
        var entries = await EntriesAsync(app, "betrokkene.");
        Assert.Equal(["betrokkene.aangemaakt", "betrokkene.gewijzigd"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal(("Party", created.Value.ToString(DutchFormat.Culture), "Bart Burger"), (e.EntityType, e.EntityId, e.ActorName)));
        Assert.Equal("Inwoner geregistreerd met BSN, adres, 1 telefoonnummer", entries[0].Summary);
        Assert.Equal("Gewijzigd: achternaam, telefoonnummers", entries[1].Summary);
        Assert.DoesNotContain(entries, e => e.Summary.Contains("Jansen", StringComparison.Ordinal) || e.Summary.Contains("0201234567", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_party_edit_leaves_no_audit_entry()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);
        var created = await app.SendAsync(new CreateParty.Command { LastName = "Jansen" });
        var edit = new UpdateParty.Command { PartyId = created.Value, ExpectedVersion = 1, LastName = "Janssen" };
        Assert.True((await app.SendAsync(edit)).Succeeded);

        var stale = await app.SendAsync(edit with { LastName = "Jansens" });
        var invalid = await app.SendAsync(edit with { ExpectedVersion = 2, Postcode = "0000 XX" });

        Assert.False(stale.Succeeded);
        Assert.False(invalid.Succeeded);
        Assert.Equal(["betrokkene.aangemaakt", "betrokkene.gewijzigd"], (await EntriesAsync(app, "betrokkene.")).Select(e => e.Action));
    }

    [Fact]
    public async Task Each_article_change_is_one_entry_naming_the_article_version_and_changed_fields()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Kennisbeheerder, "kb", "Koen Bakker");
        var content = new ArticleContent { Title = "Paspoort aanvragen", TopicId = await app.TopicIdAsync("paspoort"), WatIsHet = "Met een paspoort reist u.", Kosten = "€ 84,70" };

        var created = (await app.SendAsync(new SaveArticle.Command(null, 0, content))).Value!;
        await app.SendAsync(new SaveArticle.Command(created.Id, 1, content with { Kosten = "€ 90,00" }));
        var stale = await app.SendAsync(new SaveArticle.Command(created.Id, 1, content with { Kosten = "€ 95,00" }));
        await app.SendAsync(new SaveArticle.Command(created.Id, 2, content with { Kosten = "€ 90,00", Status = ArticleStatus.Gearchiveerd }));
        await app.SendAsync(new ArticleHistory.Restore(created.Id, 1, 3));

        Assert.Equal(SaveArticle.ConcurrencyMessage, stale.ErrorFor("Version"));
        var entries = await EntriesAsync(app, "artikel.");
        Assert.Equal(["artikel.aangemaakt", "artikel.gewijzigd", "artikel.gearchiveerd", "artikel.teruggezet"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal(("Article", created.Id.ToString(DutchFormat.Culture), "Koen Bakker"), (e.EntityType, e.EntityId, e.ActorName)));
        Assert.Equal("Versie 2: Gewijzigd: Kosten", entries[1].Summary);
        Assert.Equal("Versie 4: Teruggezet naar versie 1", entries[3].Summary);
    }

    [Fact]
    public async Task An_article_import_records_one_entry_per_article_and_a_dry_run_none()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Kennisbeheerder, "kb");
        var file = Encoding.UTF8.GetBytes("""
            {"format":"kcc-kennisbank/1","articles":[
              {"externalId":"paspoort","title":"Paspoort aanvragen","uplUri":"http://standaarden.overheid.nl/owms/terms/paspoort","status":"concept"},
              {"externalId":"rijbewijs","title":"Rijbewijs verlengen","uplUri":"http://standaarden.overheid.nl/owms/terms/rijbewijs","status":"concept"}]}
            """);

        var dryRun = await app.SendAsync(new ImportArticles.Command(file, "artikelen.json", DryRun: true));
        Assert.True(dryRun.Succeeded, dryRun.AllErrors);
        Assert.Empty(await EntriesAsync(app, "artikel."));

        var imported = await app.SendAsync(new ImportArticles.Command(file, "artikelen.json", DryRun: false));

        Assert.True(imported.Value!.Written, string.Join(" ", imported.Value.Rows.SelectMany(r => r.Notes)));
        Assert.Equal(2, (await EntriesAsync(app, "artikel.aangemaakt")).Count);
    }

    [Fact]
    public async Task Feedback_given_and_closed_is_on_record_without_its_text()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Kennisbeheerder, "kb", "Koen Bakker");
        var content = new ArticleContent { Title = "Paspoort", TopicId = await app.TopicIdAsync("paspoort"), Status = ArticleStatus.Gepubliceerd, WatIsHet = "Reisdocument." };
        var article = (await app.SendAsync(new SaveArticle.Command(null, 0, content))).Value!;
        await app.SignInAsAsync(Roles.Frontoffice, "fo", "Fenna Front");

        var given = await app.SendAsync(new ArticleFeedbacks.Give(article.Id, FeedbackKind.Verouderd, "Mevrouw Jansen zegt dat het € 90 is"));
        var refused = await app.SendAsync(new ArticleFeedbacks.Give(999_999, FeedbackKind.Verouderd, null));
        await app.SignInAsAsync(Roles.Kennisbeheerder, "kb", "Koen Bakker");
        var emptyReply = await app.SendAsync(new ArticleFeedbacks.Close(given.Value, " "));
        await app.SendAsync(new ArticleFeedbacks.Close(given.Value, "Tarief aangepast"));

        Assert.False(refused.Succeeded);
        Assert.False(emptyReply.Succeeded);
        var entries = await EntriesAsync(app, "feedback.");
        Assert.Equal([("feedback.gegeven", "Fenna Front"), ("feedback.afgesloten", "Koen Bakker")], entries.Select(e => (e.Action, e.ActorName)));
        Assert.Equal($"Artikel {article.Id}: Verouderd", entries[0].Summary);
        Assert.DoesNotContain(entries, e => e.Summary.Contains("Jansen", StringComparison.Ordinal) || e.Summary.Contains("Tarief", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Settings_changes_record_old_and_new_values()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Beheerder, "beheer", "Bep Beheer");
        var paspoort = await app.TopicIdAsync("paspoort");
        await using (var db = await app.CreateDbContextAsync())
        {
            Assert.Empty(await db.AuditEntries.ToListAsync());
        }

        await app.SendAsync(new SaveServiceNorm.Command(NormKind.Terugbelverzoek, null, 2, NormUnit.Werkdagen));
        await app.SendAsync(new SaveServiceNorm.Command(NormKind.DoorgezetteVraag, paspoort, 3, NormUnit.Werkdagen));
        var refused = await app.SendAsync(new SaveServiceNorm.Command(NormKind.Email, null, 0, NormUnit.Werkdagen));
        await app.SendAsync(new RemoveTopicNorm.Command(paspoort));
        await app.SendAsync(new RemoveTopicNorm.Command(paspoort));
        await app.SendAsync(new SetRoutingRule.Command(paspoort, await app.TeamIdAsync("Vergunningen")));
        await app.SendAsync(new SetRoutingRule.Command(paspoort, null));
        await app.SendAsync(new SetRoutingRule.Command(paspoort, null));

        Assert.False(refused.Succeeded);
        var entries = await EntriesAsync(app, "");
        Assert.Equal(
            [
                ("servicenorm.gewijzigd", "Terugbelverzoek: 1 werkdag → 2 werkdagen"),
                ("servicenorm.gewijzigd", "Doorgezette vraag afhandelen (paspoort): geen eigen termijn → 3 werkdagen"),
                ("servicenorm.verwijderd", "Doorgezette vraag afhandelen (paspoort): 3 werkdagen → standaardtermijn"),
                ("routeringsregel.gewijzigd", "paspoort: geen regel → Vergunningen"),
                ("routeringsregel.verwijderd", "paspoort: Vergunningen → geen regel"),
            ],
            entries.Select(e => (e.Action, e.Summary)));
        Assert.All(entries, e => Assert.Equal("Bep Beheer", e.ActorName));
    }

    [Fact]
    public async Task A_upl_import_records_the_counts_and_a_dry_run_or_failed_import_nothing()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Beheerder, "beheer");
        var csv = Encoding.UTF8.GetBytes("UniformeProductnaam,URI,Gemeente\nNieuw product,http://standaarden.overheid.nl/owms/terms/NieuwProduct,X\n");

        await app.SendAsync(new ImportUpl.Command(csv, DryRun: true));
        Assert.Empty(await EntriesAsync(app, "onderwerpen."));
        await FailInsertsIntoAsync(app, "Topics");
        var failed = await app.SendAsync(new ImportUpl.Command(csv, DryRun: false));
        Assert.False(failed.Succeeded);
        Assert.Empty(await EntriesAsync(app, "onderwerpen."));
        await using (var db = await app.CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync(TestDatabase.IsPostgreSql ? "DROP TRIGGER test_fail_Topics ON \"Topics\";" : "DROP TRIGGER test_fail_Topics;");
        }

        var imported = await app.SendAsync(new ImportUpl.Command(csv, DryRun: false));

        var entry = Assert.Single(await EntriesAsync(app, "onderwerpen."));
        Assert.Equal($"UPL-import: 1 nieuw, 0 gewijzigd, {imported.Value!.Deactivated.Count} uitgezet, 0 ongewijzigd", entry.Summary);
    }
}
