using Kcc.Workbench.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.KnowledgeBase;

/// <summary>
/// Loads the search index into memory right after start-up, so the first agent who types a question does not wait
/// for it (about a second at 10,000 articles on this hardware).
/// </summary>
internal sealed class SearchWarmUp(IDbContextFactory<KccDbContext> dbFactory, ISearchEngine engine, IHostApplicationLifetime lifetime, ILogger<SearchWarmUp> logger)
    : BackgroundService
{
    private static readonly ArticleStatus[] Published = [ArticleStatus.Gepubliceerd];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // After migrations and demo seeding, which run before the app starts listening.
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
            await engine.SearchAsync(db, new SearchQuery("kennisbank ", Published, 1), stoppingToken);
            logger.LogInformation("Kennisbank search index ready in {Elapsed} ms", clock.ElapsedMilliseconds);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Not fatal: the first search loads the index itself.
            logger.LogWarning(exception, "Kennisbank search index could not be loaded at start-up");
        }
    }
}
