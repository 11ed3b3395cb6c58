using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Kcc.Workbench.EndToEnd.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using static Kcc.Workbench.EndToEnd.Support.Ui;
using static Microsoft.Playwright.Assertions;

namespace Kcc.Workbench.EndToEnd;

/// <summary>A beheerder makes a backup from the beheer area, with the keyboard alone.</summary>
public sealed class BackupPageTests(KccApp app) : BrowserTest(app)
{
    [Fact]
    public async Task A_beheerder_starts_a_backup_with_the_keyboard_and_sees_it_listed_and_the_page_passes_axe()
    {
        await LoginAsync(Page, "beheer.demo");
        await Page.GotoAsync("/beheer/backups");
        await Page.Locator("[data-interactive=true]").WaitForAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Back-ups van de database", Level = 1 })).ToBeVisibleAsync();

        await Page.GetByRole(AriaRole.Button, new() { Name = "Nu een back-up maken" }).FocusAsync();
        await Page.Keyboard.PressAsync("Enter");

        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("gemaakt en gecontroleerd");
        await Expect(Page.GetByRole(AriaRole.Table).GetByRole(AriaRole.Row).Nth(1)).ToContainTextAsync(new Regex(@"kcc-\d{8}T\d{6}Z\.db"));
        await AxeAsync(Page);
    }
}

/// <summary>
/// An online backup taken while contacts keep coming in is one consistent moment: restored into a fresh folder with
/// <c>--restore</c>, the app starts on it and it holds no more contacts than the source had at the end.
/// </summary>
public sealed partial class BackupUnderLoadTests
{
    private const string Key = "backup-test-sleutel-0123456789abcdef";
    private const int Workers = 4;

    [Fact]
    public async Task A_backup_taken_under_write_load_restores_into_a_fresh_app_that_starts()
    {
        var source = Directory.CreateTempSubdirectory("kcc-backup-src-");
        var fresh = Directory.CreateTempSubdirectory("kcc-backup-dst-");
        var settings = new Dictionary<string, string?>
        {
            ["Demo__Contacts"] = "5000",
            ["Kcc__Backup__Interval"] = "00:00:03",
            ["Integraties__Clients__0__Name"] = "Backuptest",
            ["Integraties__Clients__0__KeyHash"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key))),
            ["Integraties__Clients__0__Roles__0"] = "Frontoffice",
        };
        try
        {
            var acknowledged = 0;
            long contactsAtEnd;
            long contactsBeforeLoad;
            Match backupLine;
            await using (var app = await AppProcess.StartAsync(source.FullName, settings))
            {
                contactsBeforeLoad = await CountContactsAsync(Path.Combine(source.FullName, "kcc.db"));
                var topicId = await ScalarAsync(Path.Combine(source.FullName, "kcc.db"), "SELECT Id FROM Topics WHERE Name = 'paspoort'");
                using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl), Timeout = TimeSpan.FromSeconds(20) };
                http.DefaultRequestHeaders.Add("X-Api-Key", Key);
                using var stop = new CancellationTokenSource();
                var errors = new ConcurrentBag<HttpStatusCode>();
                var load = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
                {
                    for (var n = 0; !stop.IsCancellationRequested; n++)
                    {
                        try
                        {
                            using var response = await http.PostAsJsonAsync("/api/v1/klantcontacten", Contact(topicId, $"backup-{worker}-{n}"), stop.Token);
                            if (response.StatusCode == HttpStatusCode.Created)
                            {
                                Interlocked.Increment(ref acknowledged);
                            }
                            else
                            {
                                errors.Add(response.StatusCode);
                            }
                        }
                        catch (OperationCanceledException) when (stop.IsCancellationRequested)
                        {
                            return;
                        }
                    }
                })).ToList();

                // Once a few hundred contacts are in, wait for the next scheduled backup; the load keeps running meanwhile.
                var clock = Stopwatch.StartNew();
                while (Volatile.Read(ref acknowledged) < 200 && clock.Elapsed < TimeSpan.FromSeconds(60))
                {
                    await Task.Delay(50);
                }

                var linesBefore = BackupMade().Count(app.Output);
                while (BackupMade().Count(app.Output) == linesBefore && clock.Elapsed < TimeSpan.FromSeconds(90))
                {
                    await Task.Delay(50);
                }

                backupLine = BackupMade().Matches(app.Output)[linesBefore];
                await Task.Delay(500);
                await stop.CancelAsync();
                await Task.WhenAll(load);
                Assert.Empty(errors);
                contactsAtEnd = await CountContactsAsync(Path.Combine(source.FullName, "kcc.db"));
            }

            var backup = backupLine.Groups["file"].Value;
            var backupMs = long.Parse(backupLine.Groups["ms"].Value, CultureInfo.InvariantCulture);
            var backupBytes = long.Parse(backupLine.Groups["bytes"].Value, CultureInfo.InvariantCulture);
            var inBackup = await CountContactsAsync(backup);
            Assert.Equal("ok", await IntegrityAsync(backup));
            Assert.True(inBackup > contactsBeforeLoad, $"The backup ({inBackup}) should hold contacts saved under load (before: {contactsBeforeLoad}).");
            Assert.True(inBackup <= contactsAtEnd, $"The backup holds {inBackup} contacts, more than the {contactsAtEnd} at the end.");

            var restoreClock = Stopwatch.StartNew();
            await using (var restore = await AppProcess.RunToExitAsync(fresh.FullName, settings, ["--restore", backup]))
            {
                Assert.True(restore.ExitCode == 0, restore.Output);
                Assert.Contains("teruggezet", restore.Output, StringComparison.Ordinal);
            }

            await using (var restored = await AppProcess.StartAsync(fresh.FullName, settings))
            {
                using var http = new HttpClient { BaseAddress = new Uri(restored.BaseUrl) };
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
            }

            var restoreSeconds = restoreClock.Elapsed.TotalSeconds;
            Assert.Equal(inBackup, await CountContactsAsync(Path.Combine(fresh.FullName, "kcc.db")));
            Assert.Equal("ok", await IntegrityAsync(Path.Combine(fresh.FullName, "kcc.db")));

            var figures = string.Create(CultureInfo.InvariantCulture,
                $"Backup under load: {inBackup} contacts ({backupBytes / 1048576.0:0.0} MB) copied in {backupMs / 1000.0:0.00} s while {Workers} clients kept posting " +
                $"({acknowledged} acknowledged, {contactsAtEnd} at the end); restore + start + ready: {restoreSeconds:0.0} s.");
            TestContext.Current.TestOutputHelper?.WriteLine(figures);
            var results = Directory.CreateDirectory(Path.Combine(AppProcess.RepositoryRoot(), "TestResults"));
            await File.WriteAllTextAsync(Path.Combine(results.FullName, "backup-test.txt"), figures + Environment.NewLine);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            source.Delete(recursive: true);
            fresh.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"Back-up (?<file>\S+) gemaakt in (?<ms>\d+) ms \((?<bytes>\d+) bytes\)")]
    private static partial Regex BackupMade();

    private static object Contact(int topicId, string marker) => new
    {
        channel = "Website",
        startedAt = DateTime.UtcNow.AddMinutes(-2),
        questions = new[] { new { topicId, text = marker + " vraag", outcome = "Beantwoord" } },
    };

    private static async Task<long> CountContactsAsync(string file) => await ScalarAsync(file, "SELECT COUNT(*) FROM Contacts");

    private static async Task<string> IntegrityAsync(string file)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<int> ScalarAsync(string file, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
