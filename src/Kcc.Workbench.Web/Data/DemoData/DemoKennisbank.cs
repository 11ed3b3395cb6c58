using Kcc.Workbench.Web.Features.KnowledgeBase;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Data.DemoData;

/// <summary>
/// Seeds the demo kennisbank from the embedded kennisbank-demo.json through the same import as the kennisbeheerder's,
/// as kb.demo, only when there are no articles yet. Whatever the file holds is imported; rows with an unknown topic are
/// reported in the log and skipped, an unknown team leaves the article without a team.
/// </summary>
internal static class DemoKennisbank
{
    public const string ResourceName = "Kcc.Workbench.Web.Data.DemoData.kennisbank-demo.json";

    public static async Task SeedAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var factory = services.GetRequiredService<IDbContextFactory<KccDbContext>>();
        var logger = services.GetRequiredService<ILogger<ArticleImporter>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (await db.Articles.AnyAsync(cancellationToken))
        {
            return;
        }

        var editor = await db.Users.Where(u => u.UserName == "kb.demo").Select(u => new { u.Id, u.DisplayName }).FirstOrDefaultAsync(cancellationToken);
        if (editor is null)
        {
            logger.LogWarning("Demo kennisbank not seeded: the account kb.demo does not exist");
            return;
        }

        await using var stream = typeof(DemoKennisbank).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        var parsed = ArticleFile.Read(buffer.ToArray(), "kennisbank-demo.json");
        if (parsed.Error is not null)
        {
            logger.LogWarning("Demo kennisbank not seeded: {Error}", parsed.Error);
            return;
        }

        await using var scope = services.CreateAsyncScope();
        var importer = scope.ServiceProvider.GetRequiredService<ArticleImporter>();
        var report = await importer.ImportAsync(db, parsed.Rows, new Actor(editor.Id, editor.DisplayName), dryRun: false, skipRejected: true, cancellationToken);
        foreach (var row in report.Rows.Where(r => r.Notes.Count > 0))
        {
            logger.LogWarning("Demo kennisbank, article {Row} ({ExternalId}): {Action}: {Notes}", row.Row, row.ExternalId, row.Action, string.Join(" ", row.Notes));
        }

        logger.LogInformation("Demo kennisbank: {Created} articles imported, {Rejected} skipped", report.Count(ImportAction.Nieuw), report.Count(ImportAction.Afgewezen));
    }
}
