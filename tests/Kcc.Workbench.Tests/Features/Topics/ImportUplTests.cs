using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Data.DemoData;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Topics;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Tests.Features.Topics;

public class ImportUplTests
{
    // Distinct URIs among the rows with Gemeente = X in TestData/upl-actueel.csv (567 such rows, one per legal basis).
    private const int MunicipalProductsInFile = 512;

    private const string PaspoortUri = "http://standaarden.overheid.nl/owms/terms/paspoort";
    private const string RijbewijsUri = "http://standaarden.overheid.nl/owms/terms/rijbewijs";

    private static readonly int[] ExpectedRejectedRows = [3, 4, 5, 6, 7, 10, 11, 12];

    private static readonly string PublishedFile = File.ReadAllText(SharedData.Path("upl-actueel.csv"), Encoding.UTF8);

    [Fact]
    public async Task A_dry_run_of_the_published_file_reports_every_municipal_product_and_writes_nothing()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Beheerder);
        var before = await SnapshotAsync(app);

        var result = await app.SendAsync(new ImportUpl.Command(Utf8(PublishedFile), DryRun: true));

        Assert.True(result.Succeeded, result.AllErrors);
        var report = result.Value!;
        Assert.True(report.DryRun);
        Assert.Equal(1321, report.RowsRead);
        Assert.Equal(MunicipalProductsInFile, report.MunicipalProducts);
        Assert.Equal(MunicipalProductsInFile, report.Created.Count + report.Updated.Count + report.Unchanged.Count);
        Assert.Equal(DemoTopics.All.Count, report.Updated.Count + report.Unchanged.Count);
        Assert.Equal(MunicipalProductsInFile - DemoTopics.All.Count, report.Created.Count);
        Assert.Empty(report.Deactivated);
        Assert.Empty(report.Rejected);
        Assert.Equal(report.Created.Count, report.Created.Select(t => t.Uri).Distinct().Count());
        Assert.Equal(before, await SnapshotAsync(app));
    }

    [Fact]
    public async Task An_import_creates_the_municipal_products_without_duplicating_existing_topics()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Beheerder);
        var teamsBefore = await TeamsByUriAsync(app);

        var result = await app.SendAsync(new ImportUpl.Command(Utf8(PublishedFile), DryRun: false));

        Assert.True(result.Succeeded, result.AllErrors);
        Assert.False(result.Value!.DryRun);
        Assert.Equal(MunicipalProductsInFile - DemoTopics.All.Count, result.Value.Created.Count);
        await using var db = await app.CreateDbContextAsync();
        var topics = await db.Topics.AsNoTracking().ToListAsync(Ct);
        Assert.Equal(MunicipalProductsInFile, topics.Count);
        Assert.All(topics, t =>
        {
            Assert.True(t.IsActive);
            Assert.Equal(Kcc.Workbench.Web.Features.Parties.Identifiers.FoldForSearch(t.Name), t.SearchName);
        });
        Assert.Contains(topics, t => t.Name == "aanleunwoning" && t.Uri == "http://standaarden.overheid.nl/owms/terms/aanleunwoning" && t.DefaultTeamId == null);
        Assert.All(teamsBefore, pair => Assert.Equal(pair.Value, topics.Single(t => t.Uri == pair.Key).DefaultTeamId));
    }

    [Fact]
    public async Task Importing_the_same_file_twice_changes_nothing_the_second_time()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Beheerder);
        await app.SendAsync(new ImportUpl.Command(Utf8(PublishedFile), DryRun: false));
        var before = await SnapshotAsync(app);
        app.Clock.Advance(TimeSpan.FromDays(30));

        var result = await app.SendAsync(new ImportUpl.Command(Utf8(PublishedFile), DryRun: false));

        Assert.True(result.Succeeded, result.AllErrors);
        Assert.False(result.Value!.HasChanges);
        Assert.Equal(MunicipalProductsInFile, result.Value.Unchanged.Count);
        Assert.Equal(before, await SnapshotAsync(app));
    }

    [Fact]
    public async Task Reimporting_a_changed_list_renames_and_deactivates_while_old_contacts_keep_their_topic()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Beheerder, "beheer", "Bea Heerkens");
        Assert.True((await app.SendAsync(new ImportUpl.Command(Utf8(PublishedFile), DryRun: false))).Succeeded);
        var rijbewijsTeam = (await TeamsByUriAsync(app))[RijbewijsUri];
        Assert.NotNull(rijbewijsTeam);

        await app.SignInAsAsync(Roles.Frontoffice, "fo", "Fatima Ouali");
        var paspoortId = await app.TopicIdAsync("paspoort");
        var logged = await app.SendAsync(new LogContact.Command
        {
            StartedAt = app.Clock.GetUtcNow().UtcDateTime.AddMinutes(-3),
            Questions = [new LogContact.QuestionInput { TopicId = paspoortId, Text = "Hoe lang is mijn paspoort geldig?", Outcome = Outcome.Beantwoord }],
        });
        Assert.True(logged.Succeeded, logged.AllErrors);

        await app.SignInAsAsync(Roles.Beheerder, "beheer", "Bea Heerkens");
        app.Clock.Advance(TimeSpan.FromDays(90));
        var changed = WithoutProduct(Renamed(PublishedFile, RijbewijsUri, "rijbewijs", "rijbewijs aanvragen"), PaspoortUri);

        var beforeDryRun = await SnapshotAsync(app);
        var dryRun = await app.SendAsync(new ImportUpl.Command(Utf8(changed), DryRun: true));
        Assert.True(dryRun.Succeeded, dryRun.AllErrors);
        Assert.Equal(beforeDryRun, await SnapshotAsync(app));

        var result = await app.SendAsync(new ImportUpl.Command(Utf8(changed), DryRun: false));

        Assert.True(result.Succeeded, result.AllErrors);
        var report = result.Value!;
        Assert.Empty(report.Created);
        var update = Assert.Single(report.Updated);
        Assert.Equal(new UpdatedTopic(RijbewijsUri, "rijbewijs", "rijbewijs aanvragen", Reactivated: false), update);
        Assert.True(update.Renamed);
        Assert.Equal(new ImportedTopic("paspoort", PaspoortUri), Assert.Single(report.Deactivated));
        Assert.Equal(MunicipalProductsInFile - 1, report.MunicipalProducts);
        Assert.Equal(MunicipalProductsInFile - 2, report.Unchanged.Count);
        // The dry run promised exactly what the import then did.
        Assert.Equal(dryRun.Value!.Updated, report.Updated);
        Assert.Equal(dryRun.Value.Deactivated, report.Deactivated);
        Assert.Equal(dryRun.Value.Unchanged, report.Unchanged);

        await using (var db = await app.CreateDbContextAsync())
        {
            var paspoort = await db.Topics.AsNoTracking().SingleAsync(t => t.Uri == PaspoortUri, Ct);
            Assert.False(paspoort.IsActive);
            Assert.Equal(paspoortId, paspoort.Id);
            Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, paspoort.UpdatedAt);
            var rijbewijs = await db.Topics.AsNoTracking().SingleAsync(t => t.Uri == RijbewijsUri, Ct);
            Assert.Equal("rijbewijs aanvragen", rijbewijs.Name);
            Assert.Equal("rijbewijs aanvragen", rijbewijs.SearchName);
            Assert.True(rijbewijs.IsActive);
            Assert.Equal(rijbewijsTeam, rijbewijs.DefaultTeamId);
        }

        var contact = await app.SendAsync(new GetContact.Query(logged.Value));
        Assert.NotNull(contact);
        var question = Assert.Single(contact.Questions);
        Assert.Equal(paspoortId, question.TopicId);
        Assert.Equal("paspoort", question.TopicName);
        Assert.DoesNotContain(await app.SendAsync(new SearchTopics.Query("paspoort")), t => t.Id == paspoortId);
        Assert.Contains(await app.SendAsync(new SearchTopics.Query("rijbewijs aanvragen")), t => t.Uri == RijbewijsUri);
    }

    [Fact]
    public async Task A_product_that_returns_to_the_list_is_reactivated()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Beheerder);
        await app.SendAsync(new ImportUpl.Command(Utf8(WithoutProduct(PublishedFile, PaspoortUri)), DryRun: false));

        var result = await app.SendAsync(new ImportUpl.Command(Utf8(PublishedFile), DryRun: false));

        Assert.True(result.Succeeded, result.AllErrors);
        var update = Assert.Single(result.Value!.Updated);
        Assert.Equal(new UpdatedTopic(PaspoortUri, "paspoort", "paspoort", Reactivated: true), update);
        Assert.False(update.Renamed);
        await using var db = await app.CreateDbContextAsync();
        Assert.True(await db.Topics.Where(t => t.Uri == PaspoortUri).Select(t => t.IsActive).SingleAsync(Ct));
    }

    [Fact]
    public async Task A_file_without_a_required_column_is_refused_and_nothing_is_written()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Beheerder);
        var before = await SnapshotAsync(app);
        var header = PublishedFile[..PublishedFile.IndexOf('\n', StringComparison.Ordinal)];
        var withoutMunicipalityColumn = header.Replace(",Gemeente,", ",Gemeenten,", StringComparison.Ordinal) + PublishedFile[header.Length..];

        var result = await app.SendAsync(new ImportUpl.Command(Utf8(withoutMunicipalityColumn), DryRun: false));

        Assert.False(result.Succeeded);
        var message = result.ErrorFor(nameof(ImportUpl.Command.Csv));
        Assert.NotNull(message);
        Assert.Contains("mist de kolom Gemeente", message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(app));
    }

    [Fact]
    public async Task A_file_missing_several_columns_names_them_all()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Beheerder);

        var result = await app.SendAsync(new ImportUpl.Command(Utf8("Naam,Adres\npaspoort,http://example.org/p\n"), DryRun: true));

        Assert.Contains("de kolommen UniformeProductnaam, URI en Gemeente", result.ErrorFor("Csv"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejected_rows_are_reported_with_their_row_number_and_a_reason()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Beheerder);
        var csv = string.Join("\n",
            "UniformeProductnaam,URI,Gemeente,Burger",
            $"paspoort,{PaspoortUri},X,X",
            "zonder uri,,X,X",
            "ftp-product,ftp://example.org/product,X,",
            $"{new string('a', 201)},{RijbewijsUri},X,",
            $"lange uri,http://example.org/{new string('u', 400)},X,",
            ",http://example.org/naamloos,X,",
            "rijksproduct zonder uri,,,X",
            $"paspoort,{PaspoortUri},X,",
            $"paspoort (ander),{PaspoortUri},X,",
            "te kort,http://example.org/kort",
            "\"aanleun\nwoning\",http://example.org/aanleunwoning,X,X",
            "nieuw product,https://example.org/nieuw,X,X");

        var result = await app.SendAsync(new ImportUpl.Command(Utf8(csv), DryRun: true));

        Assert.True(result.Succeeded, result.AllErrors);
        var report = result.Value!;
        Assert.Equal(ExpectedRejectedRows, report.Rejected.Select(r => r.Row));
        var reasons = report.Rejected.ToDictionary(r => r.Row, r => r.Reason);
        Assert.Equal("De URI ontbreekt.", reasons[3]);
        Assert.Contains("http:// of https://", reasons[4], StringComparison.Ordinal);
        Assert.Equal("De productnaam is te lang: 201 tekens, hoogstens 200.", reasons[5]);
        Assert.Equal("De URI is te lang: 419 tekens, hoogstens 400.", reasons[6]);
        Assert.Equal("De productnaam ontbreekt.", reasons[7]);
        Assert.Contains("rij 2", reasons[10], StringComparison.Ordinal);
        Assert.Contains("minder kolommen", reasons[11], StringComparison.Ordinal);
        Assert.Contains("tekens die niet zijn toegestaan", reasons[12], StringComparison.Ordinal);
        Assert.Equal("nieuw product", Assert.Single(report.Created).Name);
        Assert.Equal(2, report.MunicipalProducts);
        // The rijbewijs row was rejected, but the product is still on the list: its topic stays active.
        Assert.DoesNotContain(report.Deactivated, t => t.Uri == RijbewijsUri);
        Assert.DoesNotContain(report.Deactivated, t => t.Uri == PaspoortUri);
        Assert.Equal(DemoTopics.All.Count - 2, report.Deactivated.Count);
    }

    [Fact]
    public async Task A_file_without_municipal_products_is_refused_rather_than_switching_every_topic_off()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Beheerder);
        var before = await SnapshotAsync(app);
        var onlyNationalProducts = string.Join("\n", PublishedFile.Split('\n').Where((line, i) => i == 0 || (line.Length > 0 && !IsMunicipal(line))));

        var result = await app.SendAsync(new ImportUpl.Command(Utf8(onlyNationalProducts), DryRun: false));

        Assert.False(result.Succeeded);
        Assert.Contains("geen producten van gemeenten", result.ErrorFor("Csv"), StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(app));
    }

    [Fact]
    public async Task A_file_whose_municipal_rows_are_all_rejected_is_refused_with_the_reasons()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Beheerder);
        var before = await SnapshotAsync(app);

        var result = await app.SendAsync(new ImportUpl.Command(Utf8("UniformeProductnaam,URI,Gemeente\nzonder uri,,X\n"), DryRun: false));

        Assert.False(result.Succeeded);
        Assert.Contains("rij 2: De URI ontbreekt", result.ErrorFor("Csv"), StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(app));
    }

    [Fact]
    public async Task A_file_with_a_byte_order_mark_is_read()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Beheerder);

        var result = await app.SendAsync(new ImportUpl.Command([.. Encoding.UTF8.Preamble, .. Utf8(PublishedFile)], DryRun: true));

        Assert.True(result.Succeeded, result.AllErrors);
        Assert.Equal(MunicipalProductsInFile, result.Value!.MunicipalProducts);
    }

    [Fact]
    public async Task A_copy_saved_with_semicolons_by_Dutch_Excel_is_read_the_same()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Beheerder);
        var expected = (await app.SendAsync(new ImportUpl.Command(Utf8(PublishedFile), DryRun: true))).Value!;

        var result = await app.SendAsync(new ImportUpl.Command(Utf8(WithDelimiter(PublishedFile, ";")), DryRun: true));

        Assert.True(result.Succeeded, result.AllErrors);
        Assert.Equal(expected.Created, result.Value!.Created);
        Assert.Equal(expected.Unchanged, result.Value.Unchanged);
    }

    [Fact]
    public async Task A_file_that_is_not_utf8_is_refused()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Beheerder);
        var windows1252 = "UniformeProductnaam,URI,Gemeente\ncaf"u8.ToArray().Concat(new byte[] { 0xE9 }).Concat(",http://example.org/cafe,X\n"u8.ToArray()).ToArray();

        var result = await app.SendAsync(new ImportUpl.Command(windows1252, DryRun: true));

        Assert.Contains("UTF-8", result.ErrorFor("Csv"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_or_too_large_file_is_refused_with_a_Dutch_message()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Beheerder);

        var empty = await app.SendAsync(new ImportUpl.Command([], DryRun: true));
        var tooLarge = await app.SendAsync(new ImportUpl.Command(new byte[ImportUpl.MaxFileBytes + 1], DryRun: true));

        Assert.Contains("leeg", empty.ErrorFor("Csv"), StringComparison.Ordinal);
        Assert.Contains("te groot", tooLarge.ErrorFor("Csv"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_frontoffice_agent_may_not_import()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);

        await Assert.ThrowsAsync<ForbiddenRequestException>(() => app.SendAsync(new ImportUpl.Command(Utf8(PublishedFile), DryRun: false)));

        await using var db = await app.CreateDbContextAsync();
        Assert.Equal(DemoTopics.All.Count, await db.Topics.CountAsync(Ct));
    }

    [Fact]
    public async Task The_topic_list_shows_withdrawn_topics_and_their_team()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Beheerder);
        await app.SendAsync(new ImportUpl.Command(Utf8(WithoutProduct(PublishedFile, PaspoortUri)), DryRun: false));

        var all = await app.SendAsync(new ListTopics.Query());
        var inactive = await app.SendAsync(new ListTopics.Query(Status: TopicStatusFilter.Inactive));
        var search = await app.SendAsync(new ListTopics.Query("RIJBEWIJS"));
        var byUri = await app.SendAsync(new ListTopics.Query(PaspoortUri));

        Assert.Equal(MunicipalProductsInFile, all.Matches);
        Assert.Equal(MunicipalProductsInFile - 1, all.Active);
        Assert.Equal(1, all.Inactive);
        var paspoort = Assert.Single(inactive.Items);
        Assert.Equal("paspoort", paspoort.Name);
        Assert.False(paspoort.IsActive);
        Assert.Equal("Burgerzaken", paspoort.TeamName);
        Assert.Contains(search.Items, t => t.Uri == RijbewijsUri);
        Assert.All(search.Items, t => Assert.Contains("rijbewijs", t.Name, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(PaspoortUri, Assert.Single(byUri.Items).Uri);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static bool IsMunicipal(string line)
    {
        using var parser = new CsvParser(new StringReader(line), CultureInfo.InvariantCulture);
        return parser.Read() && parser.Record![5] == "X";
    }

    /// <summary>Every line of the product, one per legal basis, renamed. The published file quotes none of these names.</summary>
    private static string Renamed(string csv, string uri, string oldName, string newName)
    {
        var lines = csv.Split('\n');
        var hits = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith($"{oldName},{uri},", StringComparison.Ordinal))
            {
                lines[i] = $"{newName},{uri}," + lines[i][$"{oldName},{uri},".Length..];
                hits++;
            }
        }

        Assert.True(hits > 0, $"{uri} not found in the file");
        return string.Join('\n', lines);
    }

    private static string WithoutProduct(string csv, string uri)
    {
        var lines = csv.Split('\n');
        var kept = lines.Where(l => !l.Contains($",{uri},", StringComparison.Ordinal)).ToArray();
        Assert.True(kept.Length < lines.Length, $"{uri} not found in the file");
        return string.Join('\n', kept);
    }

    private static string WithDelimiter(string csv, string delimiter)
    {
        using var writer = new StringWriter();
        using (var parser = new CsvParser(new StringReader(csv), CultureInfo.InvariantCulture))
        using (var output = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = delimiter }))
        {
            while (parser.Read())
            {
                foreach (var field in parser.Record!)
                {
                    output.WriteField(field);
                }

                output.NextRecord();
            }
        }

        return writer.ToString();
    }

    private static async Task<Dictionary<string, int?>> TeamsByUriAsync(TestApp app)
    {
        await using var db = await app.CreateDbContextAsync();
        return await db.Topics.ToDictionaryAsync(t => t.Uri, t => t.DefaultTeamId, Ct);
    }

    /// <summary>Every stored field of every topic, as one comparable string.</summary>
    private static async Task<string> SnapshotAsync(TestApp app)
    {
        await using var db = await app.CreateDbContextAsync();
        var rows = await db.Topics.AsNoTracking().OrderBy(t => t.Id)
            .Select(t => new { t.Id, t.Name, t.Uri, t.SearchName, t.IsActive, t.DefaultTeamId, t.UpdatedAt })
            .ToListAsync(Ct);
        return string.Join("\n", rows.Select(r => r.ToString()));
    }
}
