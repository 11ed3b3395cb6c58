using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.KnowledgeBase;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kcc.Workbench.Tests.Features.KnowledgeBase;

/// <summary>The memory copy of the index only ever shows committed data, also when another process wrote it.</summary>
public class SearchIndexConsistencyTests
{
    private static readonly ArticleStatus[] Published = [ArticleStatus.Gepubliceerd];

    private static async Task<List<int>> SearchAsync(TestApp app, ISearchEngine engine, string text)
    {
        await using var db = await app.CreateDbContextAsync();
        return (await engine.SearchAsync(db, new SearchQuery(text, Published, 10), CancellationToken.None)).Select(h => h.ArticleId).ToList();
    }

    [Fact]
    public async Task Another_process_sees_a_committed_change_within_the_check_interval()
    {
        await using var app = await TestApp.CreateAsync();
        await KnowledgeBaseData.ImportAsync(app);
        using var otherProcess = new SqliteFts5SearchEngine();
        var id = await KnowledgeBaseData.ArticleIdAsync(app, "hondenbelasting");
        Assert.Empty(await SearchAsync(app, otherProcess, "cavia "));

        await app.SignInAsAsync(Roles.Kennisbeheerder, "kb", "Koen Bakker");
        var article = (await app.SendAsync(new GetArticle.Query(id)))!;
        await app.SendAsync(new SaveArticle.Command(id, article.Version, article.Content with { Keywords = ["cavia"] }));
        await Task.Delay(SearchMemoryIndex.CheckInterval + TimeSpan.FromMilliseconds(100));

        Assert.Equal([id], await SearchAsync(app, otherProcess, "cavia "));
    }

    [Fact]
    public async Task An_index_write_that_is_rolled_back_is_never_found()
    {
        await using var app = await TestApp.CreateAsync();
        await KnowledgeBaseData.ImportAsync(app);
        var engine = app.Services.GetRequiredService<ISearchEngine>();
        Assert.NotEmpty(await SearchAsync(app, engine, "paspoort "));

        await using (var db = await app.CreateDbContextAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await engine.IndexAsync(db, new SearchDocument(9999, ArticleStatus.Gepubliceerd, "Spookartikel", ["spook"], "Bestaat niet."), CancellationToken.None);
            await transaction.RollbackAsync();
        }

        Assert.Empty(await SearchAsync(app, engine, "spookartikel "));
    }

    [Fact]
    public async Task An_archived_article_is_no_longer_found_by_agents()
    {
        await using var app = await TestApp.CreateAsync();
        await KnowledgeBaseData.ImportAsync(app);
        var id = await KnowledgeBaseData.ArticleIdAsync(app, "boom-kappen");
        await app.SignInAsAsync(Roles.Frontoffice);
        Assert.Contains(id, (await app.SendAsync(new SearchArticles.Query("boom kappen "))).Select(h => h.ArticleId));

        await app.SignInAsAsync(Roles.Kennisbeheerder, "kb", "Koen Bakker");
        var article = (await app.SendAsync(new GetArticle.Query(id)))!;
        await app.SendAsync(new SaveArticle.Command(id, article.Version, article.Content with { Status = ArticleStatus.Gearchiveerd }));
        await app.SignInAsAsync(Roles.Frontoffice);

        Assert.DoesNotContain(id, (await app.SendAsync(new SearchArticles.Query("boom kappen "))).Select(h => h.ArticleId));
    }

    [Fact]
    public async Task A_copy_kept_current_through_the_change_log_ranks_like_a_copy_loaded_afresh()
    {
        await using var app = await TestApp.CreateAsync();
        await KnowledgeBaseData.ImportAsync(app);
        var running = app.Services.GetRequiredService<ISearchEngine>();
        Assert.NotEmpty(await SearchAsync(app, running, "paspoort "));
        await app.SignInAsAsync(Roles.Kennisbeheerder, "kb", "Koen Bakker");
        foreach (var externalId in new[] { "hondenbelasting", "paspoort-aanvragen" })
        {
            var id = await KnowledgeBaseData.ArticleIdAsync(app, externalId);
            var article = (await app.SendAsync(new GetArticle.Query(id)))!;
            await app.SendAsync(new SaveArticle.Command(id, article.Version, article.Content with { Keywords = ["rijbewijs", "aanvraag"], Title = article.Content.Title + " en kat" }));
        }

        using var fresh = new SqliteFts5SearchEngine();
        foreach (var query in new[] { "paspoort ", "kwijtschelding ", "hond belasting ", "aanvraag ", "pasfoto rijbewijs ", "kat " })
        {
            Assert.Equal(await SearchAsync(app, fresh, query), await SearchAsync(app, running, query));
        }
    }
}
