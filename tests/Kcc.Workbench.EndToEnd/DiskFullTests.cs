using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kcc.Workbench.EndToEnd.Support;
using Microsoft.Data.Sqlite;

namespace Kcc.Workbench.EndToEnd;

/// <summary>
/// The disk fills up while the app runs: /health/ready turns Unhealthy and a save that no longer fits is answered with
/// a Dutch 503, never a 500. On a real 48 MB tmpfs when this machine lets the test mount one (root); otherwise the
/// app's own free-space minimum is set just under what the disk has and a filler file crosses it.
/// </summary>
public sealed class DiskFullTests
{
    private const string Key = "diskfull-test-sleutel-0123456789abcdef";

    [Fact]
    public async Task A_disk_that_fills_up_while_running_makes_ready_unhealthy_and_saves_fail_in_dutch_not_with_500()
    {
        var data = Directory.CreateTempSubdirectory("kcc-diskfull-");
        var mounted = Run("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", data.FullName) == 0;
        var minFree = mounted ? 8 : Math.Max(1, (new DriveInfo(data.FullName).AvailableFreeSpace / 1048576) - 32);
        var settings = new Dictionary<string, string?>
        {
            ["Demo__Contacts"] = "0",
            ["Kcc__Database__MinFreeMegabytes"] = minFree.ToString(CultureInfo.InvariantCulture),
            ["Kcc__Backup__Interval"] = "0",
            ["DataProtection__KeysFolder"] = Path.Combine(Path.GetTempPath(), "kcc-diskfull-keys-" + Guid.NewGuid().ToString("N")),
            ["Integraties__Clients__0__Name"] = "Schijftest",
            ["Integraties__Clients__0__KeyHash"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key))),
            ["Integraties__Clients__0__Roles__0"] = "Frontoffice",
        };
        var filler = Path.Combine(data.FullName, "vulling.bin");
        try
        {
            await using var app = await AppProcess.StartAsync(data.FullName, settings);
            using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Add("X-Api-Key", Key);
            var topicId = await TopicIdAsync(Path.Combine(data.FullName, "kcc.db"));
            Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/api/v1/klantcontacten", Contact(topicId))).StatusCode);

            Fill(filler, mounted ? long.MaxValue : 64L * 1048576);

            var ready = await http.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            var statuses = new List<HttpStatusCode>();
            string? refusal = null;
            for (var i = 0; i < (mounted ? 3000 : 20) && refusal is null; i++)
            {
                using var response = await http.PostAsJsonAsync("/api/v1/klantcontacten", Contact(topicId));
                statuses.Add(response.StatusCode);
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    refusal = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString();
                }
            }

            Assert.DoesNotContain(HttpStatusCode.InternalServerError, statuses);
            if (mounted)
            {
                Assert.StartsWith("Er is niets opgeslagen", refusal, StringComparison.Ordinal);
            }

            Assert.DoesNotContain("Unhandled exception", app.Output, StringComparison.Ordinal);
            var figures = string.Create(CultureInfo.InvariantCulture,
                $"Disk full ({(mounted ? "48 MB tmpfs" : "free-space minimum")}): ready 503; {statuses.Count(s => s == HttpStatusCode.Created)} saves still fitted, then {statuses.Count(s => s == HttpStatusCode.ServiceUnavailable)} × 503, 0 × 500.");
            TestContext.Current.TestOutputHelper?.WriteLine(figures);
            var results = Directory.CreateDirectory(Path.Combine(AppProcess.RepositoryRoot(), "TestResults"));
            await File.WriteAllTextAsync(Path.Combine(results.FullName, "disk-full-test.txt"), figures + Environment.NewLine);
        }
        finally
        {
            File.Delete(filler);
            SqliteConnection.ClearAllPools();
            if (mounted)
            {
                Run("umount", "-l", data.FullName);
            }

            data.Delete(recursive: true);
        }
    }

    private static void Fill(string path, long bytes)
    {
        var chunk = new byte[1048576];
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        try
        {
            for (long written = 0; written < bytes; written += chunk.Length)
            {
                stream.Write(chunk);
                stream.Flush(flushToDisk: true);
            }
        }
        catch (IOException)
        {
            // The disk is full: that is the point.
        }
    }

    private static object Contact(int topicId) => new
    {
        channel = "Website",
        startedAt = DateTime.UtcNow.AddMinutes(-1),
        questions = new[] { new { topicId, text = "Schijf vol? " + new string('x', 900), outcome = "Beantwoord" } },
    };

    private static async Task<int> TopicIdAsync(string file)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id FROM Topics WHERE Name = 'paspoort'";
        return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static int Run(string program, params string[] arguments)
    {
        if (Environment.UserName != "root")
        {
            return -1;
        }

        try
        {
            var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}
