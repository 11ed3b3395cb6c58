using System.Globalization;
using Kcc.Workbench.Web.Data;
using Microsoft.Data.Sqlite;

namespace Kcc.Workbench.Web.Features.Backups;

/// <summary>
/// <c>--restore &lt;backup&gt;</c>: with the app stopped, puts a backup in place of the database file. The backup is
/// checked first; the current file (with its -wal and -shm) is kept beside it under a dated name, never deleted.
/// Exit code 0 when restored, 2 when nothing was changed.
/// </summary>
public static class RestoreBackup
{
    public static async Task<int> RunAsync(string backup, IConfiguration configuration, string contentRoot, TextWriter output)
    {
        var connectionString = DatabaseSetup.ResolveSqliteConnectionString(configuration.GetConnectionString("Kcc") ?? "Data Source=data/kcc.db", contentRoot);
        var database = new SqliteConnectionStringBuilder(connectionString).DataSource;
        backup = Path.GetFullPath(backup);
        if (!File.Exists(backup))
        {
            await output.WriteLineAsync($"Herstel niet uitgevoerd: de back-up {backup} bestaat niet. De database {database} is niet veranderd.");
            return 2;
        }

        if (await DatabaseChecks.CheckExistingFileAsync(backup) is { } fault)
        {
            await output.WriteLineAsync($"Herstel niet uitgevoerd: {fault.Message} Kies een andere back-up. De database {database} is niet veranderd.");
            return 2;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        var incoming = database + ".herstel";
        File.Copy(backup, incoming, overwrite: true);
        var kept = database + ".voor-herstel-" + DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            if (File.Exists(database + suffix))
            {
                File.Move(database + suffix, kept + suffix);
            }
        }

        File.Move(incoming, database);
        await output.WriteLineAsync($"Back-up {backup} teruggezet als {database}." +
            (File.Exists(kept) ? $" De vorige database staat in {kept}." : "") + " Start de app nu weer.");
        return 0;
    }
}
