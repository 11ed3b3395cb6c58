using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kcc.Workbench.Tests.Data;

/// <summary>Migration SecDb_DatabaseTrustAndAuditCleanup cleans the audit entries written before the audit log stopped taking text.</summary>
[Trait("Provider", TestDatabase.SqliteOnly)]
public sealed class AuditCleanupMigrationTests
{
    [Fact]
    public async Task Existing_entries_lose_copied_texts_and_repeated_klantbeeld_views()
    {
        var folder = Directory.CreateTempSubdirectory("kcc-migration-");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Kcc"] = $"Data Source={Path.Combine(folder.FullName, "kcc.db")};Pooling=False" })
            .Build();
        await using var services = new ServiceCollection().AddLogging().AddKccDatabase(configuration, folder.FullName).BuildServiceProvider();
        await using (var db = await services.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync("20261125063501_Routing", TestContext.Current.CancellationToken);
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO AuditEntries (At, ActorId, ActorName, Action, EntityType, EntityId, Summary) VALUES
                ('2026-11-24 10:00:00.1234567', 'bo', 'Bram', 'taak.afgerond', 'InterneTaak', '9870', 'Taak 9870 afgerond door Bram: mevrouw De Vries krijgt haar paspoort op 1 dec'),
                ('2026-11-24 10:00:01', 'bo', 'Bram', 'taak.contactgelogd', 'InterneTaak', '9870', 'Taak 9870: Telefoon (uitgaand): besproken dat haar zoon ziek is'),
                ('2026-11-24 10:00:02', 'kb', 'Kees', 'artikel.gewijzigd', 'Article', '5', 'Paspoort aanvragen, versie 3: Gewijzigd: Kosten'),
                ('2026-11-24 10:01:00.0000001', 'bo', 'Bram', 'betrokkene.bekeken', 'Party', '2', 'Klantbeeld bekeken'),
                ('2026-11-24 10:01:00.2', 'bo', 'Bram', 'betrokkene.bekeken', 'Party', '2', 'Klantbeeld bekeken'),
                ('2026-11-24 10:01:01', 'bo', 'Bram', 'betrokkene.bekeken', 'Party', '2', 'Klantbeeld bekeken'),
                ('2026-11-24 10:01:02', 'bo', 'Bram', 'betrokkene.bekeken', 'Party', '2', 'Klantbeeld bekeken'),
                ('2026-11-24 10:01:02', 'fo', 'Fatima', 'betrokkene.bekeken', 'Party', '2', 'Klantbeeld bekeken'),
                ('2026-11-24 11:30:00', 'bo', 'Bram', 'betrokkene.bekeken', 'Party', '2', 'Klantbeeld bekeken'),
                ('2026-11-24 11:30:01', 'bo', 'Bram', 'betrokkene.bekeken', 'Party', '3', 'Klantbeeld bekeken');
                """, TestContext.Current.CancellationToken);

            await migrator.MigrateAsync(cancellationToken: TestContext.Current.CancellationToken);
        }

        await using var check = await services.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var rows = await check.AuditEntries.OrderBy(a => a.Id).Select(a => new { a.Action, a.EntityId, a.ActorId, a.Summary }).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["", ""], rows.Where(r => r.Action.StartsWith("taak.", StringComparison.Ordinal)).Select(r => r.Summary));
        Assert.Equal("Versie 3: Gewijzigd: Kosten", rows.Single(r => r.Action == "artikel.gewijzigd").Summary);
        // Bram's four views within two seconds were one view; Fatima's, his later one and the other party's stay.
        Assert.Equal([("bo", "2"), ("fo", "2"), ("bo", "2"), ("bo", "3")], rows.Where(r => r.Action == "betrokkene.bekeken").Select(r => (r.ActorId, r.EntityId)));
        SqliteConnection.ClearAllPools();
        folder.Delete(recursive: true);
    }
}
