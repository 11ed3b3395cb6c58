using Kcc.Workbench.Web.Features.KnowledgeBase;
using Kcc.Workbench.Web.Infrastructure;

namespace Kcc.Workbench.Tests.Support;

/// <summary>Articles for tests: the search test set of the test project, imported through the real import as a kennisbeheerder.</summary>
public static class KnowledgeBaseData
{
    public const string SearchSet = "zoektest-artikelen.json";

    public static string FilePath(string fileName) => Path.Combine(AppContext.BaseDirectory, "Features", "KnowledgeBase", fileName);

    /// <summary>Imports the file as user "kb" (Kennisbeheerder) and signs the previous user back in.</summary>
    public static async Task<ArticleImportReport> ImportAsync(TestApp app, string fileName = SearchSet)
    {
        var previous = app.User.Principal;
        await app.SignInAsAsync(Roles.Kennisbeheerder, "kb", "Koen Bakker");
        var result = await app.SendAsync(new ImportArticles.Command(await File.ReadAllBytesAsync(FilePath(fileName)), fileName, DryRun: false));
        app.User.Principal = previous;
        Assert.True(result.Succeeded, result.AllErrors);
        Assert.True(result.Value!.Written, "Nothing was imported: " + string.Join("; ", result.Value.Rows.SelectMany(r => r.Notes)));
        return result.Value;
    }

    public static async Task<int> ArticleIdAsync(TestApp app, string externalId)
    {
        await using var db = await app.CreateDbContextAsync();
        return db.Articles.Where(a => a.ExternalId == externalId).Select(a => a.Id).Single();
    }
}
