using System.Diagnostics;
using System.Globalization;
using Kcc.Workbench.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Kcc.Workbench.Web.Features.Backups;

/// <summary>One backup file: when it was made, its size, and whether it passed the integrity check.</summary>
public sealed record BackupInfo(string FileName, DateTime MadeAt, long Bytes);

/// <summary>
/// Online backups of the SQLite database with SQLite's backup API: one step copies every page under a read lock, so
/// the copy is one consistent moment while agents keep saving (WAL lets writers go on). The copy is written under a
/// temporary name, checked with quick_check and only then renamed and counted; the oldest beyond Keep are removed.
/// A database that failed its integrity check is not backed up, so good backups are never rotated out by bad ones.
/// </summary>
public sealed class BackupStore(DatabaseGuard guard, IOptions<BackupOptions> options, TimeProvider clock, ILogger<BackupStore> logger, IHostEnvironment? environment = null)
{
    private const string Prefix = "kcc-";
    private const string Extension = ".db";
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public string Folder => Path.GetFullPath(Path.Combine(environment?.ContentRootPath ?? AppContext.BaseDirectory, options.Value.Folder));

    public int Keep => Math.Max(1, options.Value.Keep);

    public async Task<BackupInfo> CreateAsync(CancellationToken cancellationToken = default)
    {
        if (guard.FilePath is not { } source)
        {
            throw new BackupRefusedException("De app maakt alleen back-ups van een SQLite-database. Deze werkplek draait op PostgreSQL: maak back-ups met pg_dump (zie README, 'PostgreSQL en meerdere servers').");
        }

        if (guard.WritesRefused)
        {
            throw new BackupRefusedException("De database is bij de integriteitscontrole afgekeurd; een back-up ervan zou de goede back-ups verdringen.");
        }

        await OneAtATime.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(Folder);
            var madeAt = clock.GetUtcNow().UtcDateTime;
            var name = Prefix + madeAt.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + Extension;
            var target = Path.Combine(Folder, name);
            var temporary = target + ".deel";
            var watch = Stopwatch.StartNew();
            try
            {
                await using (var from = new SqliteConnection(new SqliteConnectionStringBuilder(guard.ConnectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
                await using (var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temporary, Pooling = false }.ToString()))
                {
                    await from.OpenAsync(cancellationToken);
                    await to.OpenAsync(cancellationToken);
                    await CopyAsync(from, to, cancellationToken);
                    await using var journal = to.CreateCommand();
                    // A backup is one self-contained file: no -wal beside it to forget when copying it back.
                    journal.CommandText = "PRAGMA journal_mode=DELETE;";
                    await journal.ExecuteNonQueryAsync(cancellationToken);
                }

                if (await DatabaseChecks.QuickCheckAsync(temporary, cancellationToken) is { } problem)
                {
                    throw new BackupRefusedException($"De back-up kwam niet door de integriteitscontrole ({problem}).");
                }

                File.Move(temporary, target, overwrite: true);
            }
            finally
            {
                File.Delete(temporary);
            }

            var info = new BackupInfo(name, madeAt, new FileInfo(target).Length);
            logger.LogInformation("Back-up {File} gemaakt in {Elapsed} ms ({Bytes} bytes)", target, watch.ElapsedMilliseconds, info.Bytes);
            Prune();
            return info;
        }
        finally
        {
            OneAtATime.Release();
        }
    }

    /// <summary>
    /// SQLite's online backup. It gives up at once with "database is locked" when it meets a moment the source cannot
    /// be read (a checkpoint of the app's writer, say); that passes in milliseconds, so try again for about 20 s.
    /// </summary>
    private static async Task CopyAsync(SqliteConnection from, SqliteConnection to, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Task.Run(() => from.BackupDatabase(to), cancellationToken);
                return;
            }
            catch (SqliteException busy) when (busy.SqliteErrorCode is 5 or 6 && attempt < 60)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(500, 20 * attempt)), cancellationToken);
            }
        }
    }

    /// <summary>The backups in the folder, newest first.</summary>
    public IReadOnlyList<BackupInfo> List()
    {
        if (!Directory.Exists(Folder))
        {
            return [];
        }

        return Directory.EnumerateFiles(Folder, Prefix + "*" + Extension)
            .Select(path => (Path: path, MadeAt: MadeAt(Path.GetFileName(path))))
            .Where(f => f.MadeAt is not null)
            .OrderByDescending(f => f.MadeAt)
            .Select(f => new BackupInfo(Path.GetFileName(f.Path), f.MadeAt!.Value, new FileInfo(f.Path).Length))
            .ToList();
    }

    public string PathOf(string fileName) => Path.Combine(Folder, Path.GetFileName(fileName));

    private void Prune()
    {
        foreach (var old in List().Skip(Keep))
        {
            File.Delete(PathOf(old.FileName));
            logger.LogInformation("Oude back-up {File} verwijderd (bewaard: {Keep})", old.FileName, Keep);
        }
    }

    private static DateTime? MadeAt(string fileName) =>
        DateTime.TryParseExact(fileName[Prefix.Length..^Extension.Length], "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}

/// <summary>A backup that was not made, with the Dutch reason a beheerder reads.</summary>
public sealed class BackupRefusedException(string message) : Exception(message);
