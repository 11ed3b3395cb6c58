using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kcc.Workbench.Tests.Data;

/// <summary>
/// A database the app can trust: a file that fails its integrity check is never written again, a full disk (or a
/// database at its size limit) makes /health/ready Unhealthy and saves fail with a Dutch message instead of a 500.
/// </summary>
[Trait("Provider", TestDatabase.SqliteOnly)]
public sealed class DatabaseTrustTests
{
    [Fact]
    public async Task After_a_failed_integrity_check_no_write_reaches_the_file_and_ready_is_unhealthy()
    {
        await using var factory = new KccWebApplicationFactory();
        using var client = ApiClient(factory);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        var topicId = await TopicIdAsync(factory);

        // Fold the WAL into the file, so the noise lands on pages the check really reads.
        await using (var connection = new SqliteConnection($"Data Source={factory.DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await checkpoint.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        CorruptPages(factory.DatabasePath);
        var monitor = factory.Services.GetRequiredService<IntegrityMonitor>();
        Assert.False(await monitor.CheckAsync(TestContext.Current.CancellationToken));
        var before = Fingerprint(factory.DatabasePath);

        var ready = await client.GetAsync("/health/ready");
        var post = await client.PostAsJsonAsync("/api/v1/klantcontacten", Contact(topicId));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, post.StatusCode);
        var problem = await post.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("Er is niets opgeslagen", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, Fingerprint(factory.DatabasePath));
        Assert.Contains(factory.DatabasePath, factory.Services.GetRequiredService<DatabaseGuard>().CorruptionMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_closed_write_gate_refuses_saves_and_raw_sql_with_a_dutch_message()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync("Frontoffice");
        var topicId = await app.TopicIdAsync("paspoort");
        app.Services.GetRequiredService<DatabaseGuard>().MarkCorrupt("*** in database main *** Page 12: btreeInitPage() returns error code 11");

        var result = await app.SendAsync(new LogContact.Command
        {
            Channel = Channel.Telefoon,
            StartedAt = TestApp.DefaultNow.UtcDateTime.AddMinutes(-3),
            Questions = [new LogContact.QuestionInput { TopicId = topicId, Text = "Wanneer is mijn paspoort klaar?", Outcome = Outcome.Beantwoord }],
        });

        Assert.False(result.Succeeded);
        Assert.StartsWith("Er is niets opgeslagen", result.ErrorFor(DatabaseFault.ErrorKey), StringComparison.Ordinal);
        await using var db = await app.CreateDbContextAsync();
        Assert.Equal(0, await db.Contacts.CountAsync(TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<DatabaseWriteRefusedException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM Topics", TestContext.Current.CancellationToken));
        Assert.NotEqual(0, await db.Topics.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_full_database_turns_ready_unhealthy_and_saves_fail_with_a_dutch_503_not_a_500()
    {
        var limit = new PageLimit();
        await using var factory = new KccWebApplicationFactory(services: services => services.AddSingleton<IInterceptor>(limit));
        using var client = ApiClient(factory);
        var topicId = await TopicIdAsync(factory);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        limit.On = true;
        var statuses = new List<HttpStatusCode>();
        string? title = null;
        for (var i = 0; i < 40 && title is null; i++)
        {
            var response = await client.PostAsJsonAsync("/api/v1/klantcontacten", Contact(topicId, new string('x', 900)));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                title = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString();
            }
        }

        var ready = await client.GetAsync("/health/ready");

        Assert.DoesNotContain(HttpStatusCode.InternalServerError, statuses);
        Assert.StartsWith("Er is niets opgeslagen", title, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ready_is_unhealthy_while_a_migration_is_pending_and_healthy_once_applied()
    {
        var folder = Directory.CreateTempSubdirectory("kcc-pending-");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Kcc"] = $"Data Source={Path.Combine(folder.FullName, "kcc.db")};Pooling=False" })
            .Build();
        var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System);
        services.AddKccDatabase(configuration, folder.FullName);
        Kcc.Workbench.Web.Infrastructure.HealthEndpoints.AddKccHealthChecks(services);
        await using var provider = services.BuildServiceProvider();
        var health = provider.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>();
        await using (var db = await provider.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            await db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>().MigrateAsync("20261125063501_Routing", TestContext.Current.CancellationToken);
        }

        var pending = await health.CheckHealthAsync(TestContext.Current.CancellationToken);
        await DatabaseSetup.MigrateAsync(provider, TestContext.Current.CancellationToken);
        var migrated = await health.CheckHealthAsync(TestContext.Current.CancellationToken);

        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, pending.Status);
        Assert.Contains("migratie", pending.Entries["database"].Description, StringComparison.Ordinal);
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, migrated.Status);
        SqliteConnection.ClearAllPools();
        folder.Delete(recursive: true);
    }

    [Fact]
    public async Task The_integrity_check_finds_a_corrupt_file_without_changing_it()
    {
        var folder = Directory.CreateTempSubdirectory("kcc-check-");
        var file = Path.Combine(folder.FullName, "kcc.db");
        await using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE T (Id INTEGER PRIMARY KEY, Text TEXT NOT NULL);
                CREATE INDEX IX_T ON T (Text);
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
                INSERT INTO T (Text) SELECT 'rij ' || i || ' ' || hex(randomblob(40)) FROM n;
                """;
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        Assert.Null(await DatabaseChecks.CheckExistingFileAsync(file, TestContext.Current.CancellationToken));
        CorruptPages(file);
        var before = Fingerprint(file);

        var fault = await DatabaseChecks.CheckExistingFileAsync(file, TestContext.Current.CancellationToken);

        Assert.Equal(DatabaseFaultKind.Corrupt, fault?.Kind);
        Assert.Contains(file, fault!.Message, StringComparison.Ordinal);
        Assert.Equal(before, Fingerprint(file));
    }

    [Fact]
    public async Task A_database_path_under_a_file_is_a_folder_fault_even_for_root()
    {
        var folder = Directory.CreateTempSubdirectory("kcc-underfile-");
        var notAFolder = Path.Combine(folder.FullName, "gewoon-een-bestand");
        await File.WriteAllTextAsync(notAFolder, "x", TestContext.Current.CancellationToken);

        var fault = await DatabaseChecks.BeforeStartAsync(Path.Combine(notAFolder, "kcc.db"), 0, TestContext.Current.CancellationToken);

        Assert.Equal(DatabaseFaultKind.FolderNotWritable, fault?.Kind);
        Assert.Contains(Path.Combine(notAFolder, "kcc.db"), fault!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("INSERT INTO Contacts (Id) VALUES (1)", true)]
    [InlineData("  UPDATE Parties SET Name = 'x'", true)]
    [InlineData("DELETE FROM AuditEntries", true)]
    [InlineData("SELECT COUNT(*) FROM Contacts", false)]
    [InlineData("\nWITH x AS (SELECT 1) SELECT * FROM x", false)]
    [InlineData("PRAGMA quick_check", false)]
    [InlineData("SELECTED_WRITE()", true)]
    public void The_write_gate_tells_reads_from_writes(string sql, bool isWrite) =>
        Assert.Equal(isWrite, WriteGate.IsWrite(sql));

    internal static void CorruptPages(string file)
    {
        var length = new FileInfo(file).Length;
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        var noise = new byte[4096 * 8];
        new Random(7).NextBytes(noise);
        stream.Position = Math.Max(4096 * 2, length / 2);
        stream.Write(noise);
    }

    private static string Fingerprint(string file)
    {
        // An empty WAL and no WAL hold the same (no pending pages): SQLite deletes the empty file when the last pooled
        // connection closes, which may happen between two fingerprints and is not a write.
        var wal = file + "-wal";
        var walLength = File.Exists(wal) ? new FileInfo(wal).Length : 0;
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return Convert.ToHexString(SHA256.HashData(stream)) + "/" + walLength;
    }

    private static HttpClient ApiClient(KccWebApplicationFactory factory)
    {
        var client = factory.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", KccWebApplicationFactory.WebsiteKey);
        return client;
    }

    private static async Task<int> TopicIdAsync(KccWebApplicationFactory factory)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync();
        return await db.Topics.Where(t => t.Name == "paspoort").Select(t => t.Id).SingleAsync();
    }

    private static object Contact(int topicId, string text = "Formulier: vraag over paspoort") => new
    {
        channel = "Website",
        startedAt = DateTime.UtcNow.AddMinutes(-1),
        questions = new[] { new { topicId, text, outcome = "Beantwoord" } },
    };

    /// <summary>Holds every connection to the pages the file has now (SQLite's max_page_count): the database is "full".</summary>
    private sealed class PageLimit : DbConnectionInterceptor
    {
        public volatile bool On;

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            if (On)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA page_count;";
                var pages = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
                command.CommandText = $"PRAGMA max_page_count = {pages};";
                await command.ExecuteScalarAsync(cancellationToken);
            }
        }

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
            ConnectionOpenedAsync(connection, eventData).GetAwaiter().GetResult();
    }
}
