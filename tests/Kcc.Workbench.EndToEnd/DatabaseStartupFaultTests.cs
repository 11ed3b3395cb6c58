using System.Diagnostics;
using System.Security.Cryptography;
using Kcc.Workbench.EndToEnd.Support;
using Microsoft.Data.Sqlite;

namespace Kcc.Workbench.EndToEnd;

/// <summary>
/// The real app, started on a database file or folder that is not fit for use: it ends with exit code 2 and one
/// critical line that names the file and says what to do, never an unhandled exception, and it leaves the file as it was.
/// </summary>
public sealed class DatabaseStartupFaultTests
{
    [Fact]
    public async Task A_corrupt_file_stops_the_start_and_is_left_untouched()
    {
        var data = Directory.CreateTempSubdirectory("kcc-corrupt-");
        var file = Path.Combine(data.FullName, "kcc.db");
        CreateDatabaseWithRows(file);
        CorruptPages(file);
        var before = Hash(file);

        await using var app = await AppProcess.RunToExitAsync(data.FullName);

        AssertCleanFault(app, file, "beschadigd");
        Assert.Contains("back-up terug", app.Output, StringComparison.Ordinal);
        Assert.Equal(before, Hash(file));
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_stops_the_start()
    {
        var data = Directory.CreateTempSubdirectory("kcc-foreign-");
        var file = Path.Combine(data.FullName, "kcc.db");
        await File.WriteAllTextAsync(file, "Dit is een boodschappenlijst, geen database.\nmelk\nbrood\n");
        var before = Hash(file);

        await using var app = await AppProcess.RunToExitAsync(data.FullName);

        AssertCleanFault(app, file, "geen SQLite-database");
        Assert.Equal(before, Hash(file));
    }

    [Fact]
    public async Task A_zero_byte_file_does_not_silently_become_a_new_database()
    {
        var data = Directory.CreateTempSubdirectory("kcc-empty-");
        var file = Path.Combine(data.FullName, "kcc.db");
        await File.WriteAllBytesAsync(file, []);

        await using var app = await AppProcess.RunToExitAsync(data.FullName);

        AssertCleanFault(app, file, "is leeg (0 bytes)");
        Assert.Equal(0, new FileInfo(file).Length);
    }

    /// <summary>
    /// As root, chmod does not stop a write; /proc/self is a folder even root cannot create files in.
    /// Otherwise a folder with mode 0555 is the real thing.
    /// </summary>
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_read_only_data_folder_stops_the_start_with_the_folder_named()
    {
        var data = Directory.CreateTempSubdirectory("kcc-readonly-");
        var folder = data.FullName;
        if (Environment.UserName == "root")
        {
            folder = "/proc/self";
        }
        else
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        }

        try
        {
            await using var app = await AppProcess.RunToExitAsync(folder, new Dictionary<string, string?> { ["DataProtection__KeysFolder"] = Path.Combine(data.FullName, "keys") });

            AssertCleanFault(app, Path.Combine(folder, "kcc.db"), "niet schrijven in de map");
        }
        finally
        {
            File.SetUnixFileMode(data.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>
    /// A real full disk when this machine lets the test mount a 1 MB tmpfs (root in a container); otherwise the same
    /// start-up check with a free-space minimum above what the disk has.
    /// </summary>
    [Fact]
    public async Task A_full_disk_on_first_start_stops_with_a_clear_message()
    {
        var data = Directory.CreateTempSubdirectory("kcc-full-");
        var mounted = TryMountTinyDisk(data.FullName);
        try
        {
            var settings = new Dictionary<string, string?> { ["DataProtection__KeysFolder"] = Path.Combine(Path.GetTempPath(), "kcc-full-keys-" + Guid.NewGuid().ToString("N")) };
            settings["Kcc__Database__MinFreeMegabytes"] = mounted ? "0" : (new DriveInfo(data.FullName).AvailableFreeSpace / (1024 * 1024) + 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);

            await using var app = await AppProcess.RunToExitAsync(data.FullName, settings);

            AssertCleanFault(app, Path.Combine(data.FullName, "kcc.db"), "is vol");
        }
        finally
        {
            if (mounted)
            {
                Run("umount", data.FullName);
            }
        }
    }

    [Fact]
    public async Task A_postgresql_server_that_cannot_be_reached_stops_the_start_with_one_line_naming_it_and_not_the_password()
    {
        var data = Directory.CreateTempSubdirectory("kcc-pg-down-");
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // a port nobody listens on

        await using var app = await AppProcess.RunToExitAsync(data.FullName, new Dictionary<string, string?>
        {
            ["Database__Provider"] = "PostgreSQL",
            ["ConnectionStrings__Kcc"] = $"Host=127.0.0.1;Port={port};Username=kcc;Password=Geheim-wachtwoord-42;Database=kcc;Timeout=3",
        });

        AssertCleanFault(app, $"127.0.0.1:{port}", "niet bereikbaar");
        Assert.Contains("ConnectionStrings:Kcc", app.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Geheim-wachtwoord-42", app.Output, StringComparison.Ordinal);
        Assert.Single(app.Output.Split('\n'), line => line.StartsWith("crit:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal));
    }

    private static void AssertCleanFault(AppProcess app, string file, string reason)
    {
        Assert.True(app.HasExited);
        Assert.Equal(2, app.ExitCode);
        var output = app.Output;
        Assert.Contains("Kcc.Workbench start niet", output, StringComparison.Ordinal);
        Assert.Contains(file, output, StringComparison.Ordinal);
        Assert.Contains(reason, output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    private static void CreateDatabaseWithRows(string file)
    {
        using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE Contacts (Id INTEGER PRIMARY KEY, Text TEXT NOT NULL);
                CREATE INDEX IX_Contacts_Text ON Contacts (Text);
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
                INSERT INTO Contacts (Text) SELECT 'contact ' || i || ' ' || hex(randomblob(40)) FROM n;
                """;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Overwrites the middle of the file (b-tree pages of the table and its index) with noise; the header stays.</summary>
    internal static void CorruptPages(string file)
    {
        var length = new FileInfo(file).Length;
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Write);
        var noise = new byte[4096 * 8];
        new Random(7).NextBytes(noise);
        stream.Position = Math.Max(4096 * 2, length / 2);
        stream.Write(noise);
    }

    private static string Hash(string file) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));

    private static bool TryMountTinyDisk(string folder) => Environment.UserName == "root" && Run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", folder) == 0;

    private static int Run(string program, params string[] arguments)
    {
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
