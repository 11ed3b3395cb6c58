using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kcc.Workbench.EndToEnd.Support;
using Microsoft.Data.Sqlite;

namespace Kcc.Workbench.EndToEnd;

/// <summary>
/// kill -9 while contacts are being logged: every contact the app acknowledged (201) is there after a restart,
/// and no contact is half-written (all its questions or none). SQLite runs in WAL with synchronous=FULL.
/// </summary>
public sealed class CrashRecoveryTests
{
    private const string Key = "crash-test-sleutel-0123456789abcdef";
    private const int Workers = 8;

    [Fact]
    public async Task Every_acknowledged_contact_survives_a_hard_kill_and_none_is_half_written()
    {
        var data = Directory.CreateTempSubdirectory("kcc-crash-");
        var settings = new Dictionary<string, string?>
        {
            ["Demo__Contacts"] = "0",
            ["Integraties__Clients__0__Name"] = "Belastingtest",
            ["Integraties__Clients__0__KeyHash"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key))),
            ["Integraties__Clients__0__Roles__0"] = "Frontoffice",
        };
        try
        {
            var topicId = await TopicIdAsync(data.FullName);
            var acknowledged = new ConcurrentDictionary<long, int>();
            var sent = new ConcurrentDictionary<string, int>();
            var failures = 0;

            await using (var app = await AppProcess.StartAsync(data.FullName, settings))
            {
                using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl), Timeout = TimeSpan.FromSeconds(10) };
                http.DefaultRequestHeaders.Add("X-Api-Key", Key);
                using var stop = new CancellationTokenSource();
                var load = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
                {
                    for (var n = 0; !stop.IsCancellationRequested; n++)
                    {
                        var marker = $"crash-{worker}-{n}";
                        var questions = 1 + (n % 3);
                        sent[marker] = questions;
                        try
                        {
                            using var response = await http.PostAsJsonAsync("/api/v1/klantcontacten", Contact(marker, questions, topicId), stop.Token);
                            if (response.StatusCode == HttpStatusCode.Created)
                            {
                                var id = (await response.Content.ReadFromJsonAsync<JsonElement>(stop.Token)).GetProperty("id").GetInt64();
                                acknowledged[id] = questions;
                            }
                        }
                        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or OperationCanceledException or JsonException or IOException)
                        {
                            Interlocked.Increment(ref failures);
                        }
                    }
                })).ToList();

                // Let the load run until a few hundred contacts are in, then pull the plug mid-stream.
                var clock = Stopwatch.StartNew();
                while (acknowledged.Count < 300 && clock.Elapsed < TimeSpan.FromSeconds(20))
                {
                    await Task.Delay(50);
                }

                await app.KillHardAsync();
                await stop.CancelAsync();
                await Task.WhenAll(load);
            }

            Assert.True(acknowledged.Count >= 50, $"The load generator got only {acknowledged.Count} contacts acknowledged before the kill.");

            // A new process on the same file: SQLite recovers from the WAL, the app migrates and answers again.
            await using (var restarted = await AppProcess.StartAsync(data.FullName, settings))
            {
                using var http = new HttpClient { BaseAddress = new Uri(restarted.BaseUrl) };
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
            }

            var stored = await ReadStoredAsync(data.FullName);
            var missing = acknowledged.Keys.Where(id => !stored.ContainsKey(id)).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} acknowledged contacts are missing after the crash: {string.Join(", ", missing.Take(10))}");
            foreach (var (id, questions) in acknowledged)
            {
                Assert.Equal(questions, stored[id].Questions);
            }

            // Committed but not yet acknowledged when the process died is fine; half-written is not.
            var halfWritten = stored.Values.Where(s => s.Marker is not null && sent.TryGetValue(s.Marker, out var expected) && s.Questions != expected).ToList();
            Assert.Empty(halfWritten);
            Assert.Equal("ok", await IntegrityCheckAsync(data.FullName));

            var figures =
                $"Crash test: {acknowledged.Count} contacts acknowledged before kill -9, {acknowledged.Count - missing.Count} found after restart, " +
                $"{stored.Count - acknowledged.Count} more committed but unacknowledged, {failures} requests cut off, 0 half-written.";
            TestContext.Current.TestOutputHelper?.WriteLine(figures);
            var results = Directory.CreateDirectory(Path.Combine(AppProcess.RepositoryRoot(), "TestResults"));
            await File.WriteAllTextAsync(Path.Combine(results.FullName, "crash-test.txt"), figures + Environment.NewLine);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            data.Delete(recursive: true);
        }
    }

    private static object Contact(string marker, int questions, int topicId) => new
    {
        channel = "Website",
        startedAt = DateTime.UtcNow.AddMinutes(-2),
        questions = Enumerable.Range(1, questions).Select(q => new { topicId, text = $"{marker} vraag {q}", outcome = "Beantwoord" }).ToArray(),
    };

    /// <summary>Starts the app once so the database exists, and reads the id of topic "paspoort".</summary>
    private static async Task<int> TopicIdAsync(string data)
    {
        await using (await AppProcess.StartAsync(data, new Dictionary<string, string?> { ["Demo__Contacts"] = "0" }))
        {
        }

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "kcc.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id FROM Topics WHERE Name = 'paspoort'";
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<Dictionary<long, (string? Marker, int Questions)>> ReadStoredAsync(string data)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "kcc.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT c.Id, MIN(q.Text), COUNT(q.Id) FROM Contacts c LEFT JOIN Questions q ON q.ContactId = c.Id GROUP BY c.Id";
        var stored = new Dictionary<long, (string? Marker, int Questions)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var firstText = reader.IsDBNull(1) ? null : reader.GetString(1);
            var marker = firstText is null ? null : firstText[..firstText.IndexOf(" vraag", StringComparison.Ordinal)];
            stored[reader.GetInt64(0)] = (marker, reader.GetInt32(2));
        }

        return stored;
    }

    private static async Task<string> IntegrityCheckAsync(string data)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "kcc.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
