using System.Text;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Data.DemoData;
using Kcc.Workbench.Web.Features.KnowledgeBase;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Tests.Features.KnowledgeBase;

public class ImportArticlesTests
{
    private const string CsvHeader = "externalId;title;uplUri;team;status;reviewBefore;questionVariants;keywords;watIsHet;kosten;shortAnswer;internalNote;links";

    private static async Task<TestApp> StartAsync()
    {
        var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Kennisbeheerder, "kb", "Koen Bakker");
        return app;
    }

    private static Task<Result<ArticleImportReport>> ImportAsync(TestApp app, string text, string fileName, bool dryRun = false, bool skipRejected = false) =>
        app.SendAsync(new ImportArticles.Command(Encoding.UTF8.GetBytes(text), fileName, dryRun, skipRejected));

    private static async Task<int> ArticleCountAsync(TestApp app)
    {
        await using var db = await app.CreateDbContextAsync();
        return await db.Articles.CountAsync();
    }

    [Fact]
    public async Task A_dry_run_reports_per_row_and_writes_nothing()
    {
        await using var app = await StartAsync();
        var csv = CsvHeader + "\n" +
            "paspoort;Paspoort aanvragen;http://standaarden.overheid.nl/owms/terms/paspoort;Burgerzaken;gepubliceerd;2027-06-30;Hoe vraag ik een paspoort aan?|Paspoort verlopen;reisdocument|reispas;Met een paspoort reist u.;€ 84,70;Maak een afspraak.;Intern;[Afspraak](https://www.demodorp.nl/afspraak)\n" +
            "onbekend;Iets;http://standaarden.overheid.nl/owms/terms/bestaat-niet;;concept;;;;Tekst;;;;\n" +
            "fout;Fout;http://standaarden.overheid.nl/owms/terms/rijbewijs;Geen Team;misschien;31-12-2027;;;Tekst;;;;\n";

        var result = await ImportAsync(app, csv, "artikelen.csv", dryRun: true);

        Assert.True(result.Succeeded, result.AllErrors);
        var report = result.Value!;
        Assert.False(report.Written);
        Assert.Equal([(2, ImportAction.Nieuw), (3, ImportAction.Afgewezen), (4, ImportAction.Afgewezen)], report.Rows.Select(r => (r.Row, r.Action)));
        Assert.Contains("Onderwerp onbekend", report.Rows[1].Notes[0], StringComparison.Ordinal);
        Assert.Contains(report.Rows[2].Notes, n => n.Contains("Status 'misschien' bestaat niet", StringComparison.Ordinal));
        Assert.Contains(report.Rows[2].Notes, n => n.Contains("geen datum als 2027-06-30", StringComparison.Ordinal));
        Assert.Equal(0, await ArticleCountAsync(app));
    }

    [Fact]
    public async Task A_file_with_a_rejected_row_imports_nothing_unless_rejected_rows_may_be_skipped()
    {
        await using var app = await StartAsync();
        var csv = CsvHeader + "\n" +
            "goed;Goed;http://standaarden.overheid.nl/owms/terms/paspoort;;concept;;;;Tekst;;;;\n" +
            "slecht;;http://standaarden.overheid.nl/owms/terms/paspoort;;concept;;;;Tekst;;;;\n";

        var strict = await ImportAsync(app, csv, "a.csv");
        Assert.False(strict.Value!.Written);
        Assert.Equal(0, await ArticleCountAsync(app));

        var lenient = await ImportAsync(app, csv, "a.csv", skipRejected: true);
        Assert.True(lenient.Value!.Written);
        Assert.Equal(1, await ArticleCountAsync(app));
    }

    [Theory]
    [InlineData(",")]
    [InlineData(";")]
    public async Task Csv_with_commas_or_semicolons_and_quoted_multi_line_markdown_imports(string delimiter)
    {
        await using var app = await StartAsync();
        var csv = string.Join(delimiter, "externalId", "title", "uplUri", "status", "watNeemtUMee", "keywords") + "\n" +
            string.Join(delimiter, "id-kaart", "Identiteitskaart", "http://standaarden.overheid.nl/owms/terms/identiteitskaart", "gepubliceerd",
                "\"- Pasfoto\n- Oude kaart, of paspoort\"", "ID-kaart|pijp\\|teken") + "\n";

        var result = await ImportAsync(app, csv, "x.csv");

        Assert.True(result.Value!.Written, string.Join(" ", result.Value.Rows.SelectMany(r => r.Notes)));
        await using var db = await app.CreateDbContextAsync();
        var article = await db.Articles.SingleAsync();
        Assert.Equal("- Pasfoto\n- Oude kaart, of paspoort", article.WatNeemtUMee);
        Assert.Equal(["ID-kaart", "pijp|teken"], article.Keywords);
    }

    [Fact]
    public async Task Importing_again_updates_by_external_id_with_a_new_version_and_leaves_unchanged_rows_alone()
    {
        await using var app = await StartAsync();
        await KnowledgeBaseData.ImportAsync(app);
        var json = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(KnowledgeBaseData.FilePath(KnowledgeBaseData.SearchSet)))
            .Replace("Een paspoort kost € 84,70.", "Een paspoort kost € 90,00.", StringComparison.Ordinal);

        var result = await ImportAsync(app, json, "k.json");

        Assert.Equal(1, result.Value!.Count(ImportAction.Bijgewerkt));
        Assert.Equal(14, result.Value.Count(ImportAction.Ongewijzigd));
        var id = await KnowledgeBaseData.ArticleIdAsync(app, "paspoort-aanvragen");
        var versions = await app.SendAsync(new ArticleHistory.ListVersions(id));
        Assert.Equal("Import: Gewijzigd: Kosten", versions[0].Summary);
    }

    [Theory]
    [InlineData("{ \"format\": \"kcc-kennisbank/1\", \"articles\": [ { \"title\": ", "k.json", "geen geldige JSON")]
    [InlineData("{ \"format\": \"iets-anders\", \"articles\": [] }", "k.json", "\"format\" moet \"kcc-kennisbank/1\" zijn")]
    [InlineData("naam;adres\nx;y\n", "k.csv", "mist de kolom(men) externalId, title, uplUri")]
    public async Task A_bad_file_is_refused_whole_with_a_reason(string text, string fileName, string message)
    {
        await using var app = await StartAsync();

        var result = await ImportAsync(app, text, fileName);

        Assert.False(result.Succeeded);
        Assert.Contains(message, result.ErrorFor("Content"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_utf8_is_refused()
    {
        await using var app = await StartAsync();

        var result = await app.SendAsync(new ImportArticles.Command(Encoding.Latin1.GetBytes(CsvHeader + "\nx;Café;u;;;;;;;;;;\n"), "x.csv", DryRun: true));

        Assert.Contains("UTF-8", result.ErrorFor("Content"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ExportFormat.Json, "k.json")]
    [InlineData(ExportFormat.Csv, "k.csv")]
    public async Task An_export_imports_again_without_changes(ExportFormat format, string fileName)
    {
        await using var app = await StartAsync();
        await KnowledgeBaseData.ImportAsync(app);

        var exported = await app.SendAsync(new ExportArticles.Query(format));
        var again = await app.SendAsync(new ImportArticles.Command(exported.Content, fileName, DryRun: true));

        Assert.True(again.Succeeded, again.AllErrors);
        Assert.Equal(15, again.Value!.Count(ImportAction.Ongewijzigd));
        Assert.StartsWith("kennisbank-2026-11-24", exported.FileName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_embedded_demo_kennisbank_imports_every_article_and_the_seeder_runs_once()
    {
        await using var app = await StartAsync();
        await using (var db = await app.CreateDbContextAsync())
        {
            db.Users.Add(new Kcc.Workbench.Web.Features.Account.Employee { UserName = "kb.demo", NormalizedUserName = "KB.DEMO", DisplayName = "Koen Bakker" });
            await db.SaveChangesAsync();
        }

        await DemoKennisbank.SeedAsync(app.Services, CancellationToken.None);
        await DemoKennisbank.SeedAsync(app.Services, CancellationToken.None);

        await using var check = await app.CreateDbContextAsync();
        var articles = await check.Articles.ToListAsync();
        using var resource = typeof(DemoKennisbank).Assembly.GetManifestResourceStream(DemoKennisbank.ResourceName)!;
        using var document = await System.Text.Json.JsonDocument.ParseAsync(resource);
        Assert.Equal(document.RootElement.GetProperty("articles").GetArrayLength(), articles.Count);
        Assert.All(articles, a => Assert.Equal(1, a.Version));
        Assert.Equal(articles.Count, await check.ArticleVersions.CountAsync(v => v.CreatedByName == "Koen Bakker"));
    }
}
