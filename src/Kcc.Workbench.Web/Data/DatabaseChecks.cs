using System.Text;
using Microsoft.Data.Sqlite;

namespace Kcc.Workbench.Web.Data;

/// <summary>Why the app cannot start on its database file; the message names the file and says what to do.</summary>
public sealed record DatabaseFault(DatabaseFaultKind Kind, string Message)
{
    /// <summary>The key of the message in a failed Result when the database refused a write.</summary>
    public const string ErrorKey = "Database";
}

public enum DatabaseFaultKind
{
    FolderNotWritable,
    DiskFull,
    EmptyFile,
    NotADatabase,
    Corrupt,
    Unreadable,
}

/// <summary>
/// Checks on the SQLite file that run before anything writes to it (start-up) and off the hot path (the integrity
/// monitor, the health check). None of them modifies the file: quick_check runs on a read-only connection.
/// </summary>
public static class DatabaseChecks
{
    private static readonly byte[] SqliteHeader = Encoding.ASCII.GetBytes("SQLite format 3\0");

    /// <summary>
    /// Before migrating: the folder exists and takes a write, the disk has room, and an existing file is a healthy
    /// SQLite database. A zero-byte file is refused rather than silently becoming a new, empty database.
    /// </summary>
    public static async Task<DatabaseFault?> BeforeStartAsync(string file, long minFreeBytes, CancellationToken cancellationToken = default)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return new(DatabaseFaultKind.FolderNotWritable,
                $"De map {folder} voor de database {file} kan niet worden aangemaakt ({exception.GetType().Name}). " +
                "Controleer ConnectionStrings:Kcc en of het pad naar een map wijst waarin de app mag schrijven.");
        }

        var probe = Path.Combine(folder, $".kcc-schrijftest-{Guid.NewGuid():N}");
        try
        {
            await using (var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough))
            {
                await stream.WriteAsync(new byte[4096], cancellationToken);
            }

            File.Delete(probe);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            TryDelete(probe);
            return IsNoSpace(exception)
                ? DiskFull(file, FreeBytes(folder) ?? 0)
                : new(DatabaseFaultKind.FolderNotWritable,
                    $"De app kan niet schrijven in de map {folder} van de database {file}. " +
                    "Geef het account waaronder de app draait schrijfrechten op die map (de database, het WAL-bestand en de sleutels staan daar).");
        }

        if (FreeBytes(folder) is { } free && free < minFreeBytes)
        {
            return DiskFull(file, free);
        }

        return File.Exists(file) ? await CheckExistingFileAsync(file, cancellationToken) : null;
    }

    /// <summary>An existing file: not empty, an SQLite header, and quick_check says "ok".</summary>
    public static async Task<DatabaseFault?> CheckExistingFileAsync(string file, CancellationToken cancellationToken = default)
    {
        var header = new byte[SqliteHeader.Length];
        int read;
        try
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (stream.Length == 0)
            {
                return new(DatabaseFaultKind.EmptyFile,
                    $"Het databasebestand {file} is leeg (0 bytes). De app maakt er geen nieuwe database van, want dan lijken alle gegevens weg. " +
                    "Zet de laatste back-up terug (README, 'Back-up en herstel'), of verwijder het lege bestand als u echt met een nieuwe database wilt beginnen.");
            }

            read = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return new(DatabaseFaultKind.Unreadable,
                $"Het databasebestand {file} kan niet worden gelezen ({exception.GetType().Name}). Controleer de rechten op het bestand.");
        }

        if (read < header.Length || !header.AsSpan().SequenceEqual(SqliteHeader))
        {
            return new(DatabaseFaultKind.NotADatabase,
                $"Het bestand {file} is geen SQLite-database. Controleer ConnectionStrings:Kcc; staat er een ander bestand op die plek, " +
                "zet dan de laatste back-up terug (README, 'Back-up en herstel').");
        }

        var problem = await QuickCheckAsync(file, cancellationToken);
        return problem is null
            ? null
            : new(DatabaseFaultKind.Corrupt,
                $"De database {file} is beschadigd (integriteitscontrole: {problem}). De app start niet en verandert niets aan het bestand. " +
                "Bewaar een kopie voor onderzoek, zet de laatste goede back-up terug (README, 'Back-up en herstel') en start opnieuw.");
    }

    /// <summary>PRAGMA quick_check on its own read-only connection; null when the file is sound, otherwise what it found.</summary>
    public static async Task<string?> QuickCheckAsync(string file, CancellationToken cancellationToken = default)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        try
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout=10000;";
            await command.ExecuteNonQueryAsync(cancellationToken);
            command.CommandText = "PRAGMA quick_check(5);";
            var lines = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                lines.Add(reader.GetString(0));
            }

            return lines is ["ok"] ? null : Shorten(string.Join("; ", lines));
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode is 11 or 26)
        {
            // SQLITE_CORRUPT, SQLITE_NOTADB: the check itself could not read the file.
            return Shorten(exception.Message);
        }
    }

    /// <summary>Free bytes on the file system that holds <paramref name="path"/>; null when the platform cannot tell.</summary>
    public static long? FreeBytes(string path)
    {
        try
        {
            return new DriveInfo(path).AvailableFreeSpace;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>What went wrong while migrating or seeding, when it is the file's or the disk's fault rather than a bug.</summary>
    public static DatabaseFault? Classify(Exception exception, string file)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        return exception switch
        {
            SqliteException { SqliteErrorCode: 13 } => DiskFull(file, FreeBytes(folder) ?? 0),
            SqliteException { SqliteErrorCode: 8 or 14 } => new(DatabaseFaultKind.FolderNotWritable,
                $"De app kan de database {file} niet openen om te schrijven (alleen-lezen of geen rechten). " +
                $"Geef het account waaronder de app draait schrijfrechten op {folder} en op het bestand."),
            SqliteException { SqliteErrorCode: 11 or 26 } => new(DatabaseFaultKind.Corrupt,
                $"De database {file} is beschadigd ({exception.Message}). Zet de laatste goede back-up terug (README, 'Back-up en herstel') en start opnieuw."),
            SqliteException { SqliteErrorCode: 10 } => new(DatabaseFaultKind.Unreadable,
                $"Lezen of schrijven van de database {file} mislukt (I/O-fout). Controleer de schijf en de map {folder}."),
            IOException or UnauthorizedAccessException when IsNoSpace(exception) => DiskFull(file, FreeBytes(folder) ?? 0),
            IOException or UnauthorizedAccessException => new(DatabaseFaultKind.FolderNotWritable,
                $"De app kan niet schrijven in {folder} (map van de database {file}). Controleer de rechten en de schijf."),
            _ when exception.InnerException is { } inner => Classify(inner, file),
            _ => null,
        };
    }

    private static DatabaseFault DiskFull(string file, long free) => new(DatabaseFaultKind.DiskFull,
        $"De schijf van de database {file} is vol ({free / (1024 * 1024)} MB vrij). Maak ruimte vrij (oude back-ups, logbestanden) en start de app opnieuw.");

    // ENOSPC (28) and EDQUOT (122) on Linux; ERROR_DISK_FULL (112) and ERROR_HANDLE_DISK_FULL (39) on Windows.
    private static bool IsNoSpace(Exception exception) => (exception.HResult & 0xFFFF) is 28 or 122 or 112 or 39;

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..299] + "…";

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The probe file could not be created in the first place.
        }
    }
}
