using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kcc.Workbench.Tests.Data;

/// <summary>A first start migrates a new database quietly: every step inside its migration's transaction.</summary>
[Trait("Provider", TestDatabase.SqliteOnly)]
public class MigrationTests
{
    [Fact]
    public async Task Migrating_a_new_database_warns_about_nothing_and_keeps_the_foreign_keys_of_the_questions()
    {
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "kcc-tests", "migrate-" + Guid.NewGuid().ToString("N")));
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Kcc"] = $"Data Source={Path.Combine(folder.FullName, "kcc.db")};Pooling=False" })
            .Build();
        using var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(builder => builder.SetMinimumLevel(LogLevel.Warning).AddProvider(logs));
        services.AddKccDatabase(configuration, folder.FullName);
        await using var provider = services.BuildServiceProvider();

        await DatabaseSetup.MigrateAsync(provider);

        Assert.Empty(logs.Lines);
        await using var db = await provider.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync();
        var foreignKeys = await db.Database.SqlQueryRaw<string>("SELECT \"table\" || '.' || \"from\" AS Value FROM pragma_foreign_key_list('Questions')").ToListAsync();
        Assert.Contains("Articles.ArticleId", foreignKeys);
        Assert.Contains("ArticleVersions.ArticleVersionId", foreignKeys);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }
}
