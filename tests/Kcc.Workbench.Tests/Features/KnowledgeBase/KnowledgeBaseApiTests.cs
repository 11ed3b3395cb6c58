using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.KnowledgeBase;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kcc.Workbench.Tests.Features.KnowledgeBase;

/// <summary>The public read API over HTTP, on the demo kennisbank.</summary>
public sealed class KnowledgeBaseApiTests(KnowledgeBaseApiTests.Fixture fixture) : IClassFixture<KnowledgeBaseApiTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public KccWebApplicationFactory Factory { get; } = new(new Dictionary<string, string?> { ["Kcc:Kennisbank:Api:PermitLimit"] = "1000" });

        /// <summary>The test's own articles (the search test set), so the tests do not depend on the demo content.</summary>
        public async ValueTask InitializeAsync()
        {
            _ = Factory.Server;
            await using var scope = Factory.Services.CreateAsyncScope();
            var importer = scope.ServiceProvider.GetRequiredService<ArticleImporter>();
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync();
            var file = ArticleFile.Read(await File.ReadAllBytesAsync(KnowledgeBaseData.FilePath(KnowledgeBaseData.SearchSet)), KnowledgeBaseData.SearchSet);
            var editor = await db.Users.Where(u => u.UserName == "kb.demo").Select(u => u.Id).SingleAsync();
            var report = await importer.ImportAsync(db, file.Rows, new Actor(editor, "Koen Bakker"), dryRun: false, skipRejected: false, CancellationToken.None);
            Assert.True(report.Written);
        }

        public ValueTask DisposeAsync() => Factory.DisposeAsync();
    }

    private static readonly string[] HitFields = ["id", "title", "uplUri", "uplName", "answer", "shortAnswer", "url", "score"];

    [Fact]
    public async Task Search_is_anonymous_and_returns_published_articles_in_the_agreed_shape()
    {
        using var client = fixture.Factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/api/v1/kennisbank/zoeken?q=hondebelasting&top=1", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var hit = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(HitFields.Order(), hit.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("Hondenbelasting", hit.GetProperty("title").GetString());
        Assert.Equal("http://standaarden.overheid.nl/owms/terms/hondenbelasting", hit.GetProperty("uplUri").GetString());
        Assert.Equal("hondenbelasting", hit.GetProperty("uplName").GetString());
        Assert.Contains("<h3>Kosten</h3>", hit.GetProperty("answer").GetString(), StringComparison.Ordinal);
        Assert.EndsWith($"/api/v1/kennisbank/artikelen/{hit.GetProperty("id").GetInt32()}", hit.GetProperty("url").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Never_returns_the_internal_werkinstructie()
    {
        using var client = fixture.Factory.CreateClient();
        var hits = await client.GetStringAsync(new Uri("/api/v1/kennisbank/zoeken?q=paspoort%20aanvragen&top=20", UriKind.Relative));
        var id = JsonDocument.Parse(hits).RootElement.EnumerateArray().First(h => h.GetProperty("title").GetString() == "Paspoort aanvragen").GetProperty("id").GetInt32();

        var article = await client.GetStringAsync(new Uri($"/api/v1/kennisbank/artikelen/{id}", UriKind.Relative));

        foreach (var body in new[] { hits, article })
        {
            Assert.DoesNotContain("internalNote", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("werkinstructie", body, StringComparison.OrdinalIgnoreCase);
            // The test article's werkinstructie.
            Assert.DoesNotContain("verbind door met Burgerzaken", body, StringComparison.Ordinal);
        }

        Assert.Contains("\"sections\"", article, StringComparison.Ordinal);
        Assert.Contains("Een paspoort kost € 84,70.", JsonDocument.Parse(article).RootElement.GetProperty("answer").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hondenbelasting")]
    [InlineData("http://standaarden.overheid.nl/owms/terms/hondenbelasting")]
    [InlineData("Hondenbelasting")]
    public async Task An_onderwerp_by_upl_name_or_uri_puts_that_products_articles_first(string onderwerp)
    {
        using var client = fixture.Factory.CreateClient();
        const string Question = "hoeveel moet ik per jaar betalen en kan het in delen";

        var without = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/api/v1/kennisbank/zoeken?q={Uri.EscapeDataString(Question)}", UriKind.Relative)));
        var with = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/api/v1/kennisbank/zoeken?q={Uri.EscapeDataString(Question)}&onderwerp={Uri.EscapeDataString(onderwerp)}", UriKind.Relative)));

        Assert.NotEqual("Hondenbelasting", without.RootElement[0].GetProperty("title").GetString());
        Assert.Equal("Hondenbelasting", with.RootElement[0].GetProperty("title").GetString());
    }

    [Fact]
    public async Task An_unknown_onderwerp_gets_a_400_that_says_so()
    {
        using var client = fixture.Factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/api/v1/kennisbank/zoeken?q=paspoort&onderwerp=ruimtevaart", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Onbekend onderwerp", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concept_articles_are_not_public()
    {
        using var client = fixture.Factory.CreateClient();

        var hits = await client.GetStringAsync(new Uri("/api/v1/kennisbank/zoeken?q=spoedaanvraag", UriKind.Relative));

        Assert.Equal("[]", hits);
    }

    [Theory]
    [InlineData("/api/v1/kennisbank/artikelen/999999", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/kennisbank/zoeken", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/kennisbank/zoeken?q=a", HttpStatusCode.BadRequest)]
    public async Task Unknown_articles_and_missing_queries_get_a_clear_status(string url, HttpStatusCode status)
    {
        using var client = fixture.Factory.CreateClient();

        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));

        Assert.Equal(status, response.StatusCode);
    }

    [Fact]
    public async Task An_openapi_document_describes_the_api_and_nothing_else()
    {
        using var client = fixture.Factory.CreateClient();

        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/kennisbank.json", UriKind.Relative)));

        var paths = json.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["/api/v1/kennisbank/artikelen/{id}", "/api/v1/kennisbank/zoeken"], paths.Order());
        Assert.Contains("q", json.RootElement.GetProperty("paths").GetProperty("/api/v1/kennisbank/zoeken").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_export_needs_a_signed_in_kennisbeheerder()
    {
        using var client = fixture.Factory.CreateBrowserLikeClient();

        using var response = await client.GetAsync(new Uri("/kennisbank/export?formaat=json", UriKind.Relative));

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }
}

public sealed class KnowledgeBaseApiRateLimitTests
{
    [Fact]
    public async Task Too_many_requests_from_one_client_get_429_with_retry_after()
    {
        await using var factory = new KccWebApplicationFactory(new Dictionary<string, string?>
        {
            ["Kcc:Kennisbank:Api:PermitLimit"] = "3",
            ["Kcc:Kennisbank:Api:WindowSeconds"] = "60",
        });
        using var client = factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last?.Dispose();
            last = await client.GetAsync(new Uri("/api/v1/kennisbank/zoeken?q=paspoort", UriKind.Relative));
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.InRange(int.Parse(last!.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        var problem = await last.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Te veel verzoeken", problem.GetProperty("title").GetString());
        last.Dispose();
    }
}
