using Npgsql;

namespace Kcc.Workbench.Tests.Support;

/// <summary>
/// Which database the suite runs on. SQLite (a fresh file per test) unless <c>KCC_TEST_PROVIDER=PostgreSQL</c>; then
/// <c>KCC_TEST_PG</c> is a connection string to a throwaway server (no Database: the tests create one per test and
/// drop it afterwards). test.sh runs this project once per provider.
/// </summary>
public static class TestDatabase
{
    public static bool IsPostgreSql { get; } = string.Equals(Environment.GetEnvironmentVariable("KCC_TEST_PROVIDER"), "PostgreSQL", StringComparison.OrdinalIgnoreCase);

    private static string Server => Environment.GetEnvironmentVariable("KCC_TEST_PG") is { Length: > 0 } server
        ? server
        : throw new InvalidOperationException("KCC_TEST_PROVIDER=PostgreSQL needs KCC_TEST_PG (a connection string to a PostgreSQL server).");

    /// <summary>The trait of tests that are about the SQLite file itself (corruption, full disk, file backups); the PostgreSQL run leaves them out.</summary>
    public const string SqliteOnly = "SqliteOnly";

    /// <summary>The trait of tests about several servers on one PostgreSQL database; the SQLite run leaves them out.</summary>
    public const string PostgreSqlOnly = "PostgreSqlOnly";

    /// <summary>A new, unique database name (not created yet).</summary>
    public static string NewName(string prefix) => $"kcc_{prefix}_{Guid.NewGuid():N}";

    public static string ConnectionString(string database) => new NpgsqlConnectionStringBuilder(Server) { Database = database, Pooling = true }.ToString();

    /// <summary>The settings that put the app on that database.</summary>
    public static Dictionary<string, string?> Settings(string database) => new()
    {
        ["Database:Provider"] = "PostgreSQL",
        ["ConnectionStrings:Kcc"] = ConnectionString(database),
    };

    /// <summary>These settings with the app put on that PostgreSQL database.</summary>
    public static Dictionary<string, string?> WithPostgreSql(this Dictionary<string, string?> settings, string database)
    {
        foreach (var (key, value) in Settings(database))
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>A query listing every table of the database as a column "Value" (for row counts).</summary>
    public static string TableNamesSql(params string[] except) => (IsPostgreSql
            ? "SELECT table_name AS \"Value\" FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            : "SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%'")
        + string.Concat(except.Select(e => $" AND {(IsPostgreSql ? "table_name" : "name")} <> '{e}'"));

    /// <summary>A trigger that makes every insert into <paramref name="table"/> fail inside the database.</summary>
    public static string FailInsertsSql(string table) => IsPostgreSql
        ? $"CREATE FUNCTION test_fail_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'test: insert refused'; END $$; " +
          $"CREATE TRIGGER test_fail_{table} BEFORE INSERT ON \"{table}\" FOR EACH ROW EXECUTE FUNCTION test_fail_{table}();"
        : $"CREATE TRIGGER test_fail_{table} BEFORE INSERT ON \"{table}\" BEGIN SELECT RAISE(ABORT, 'test: insert refused'); END;";

    public static async Task CreateAsync(string database, string? template = null)
    {
        await using var connection = await OpenMaintenanceAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{database}\"" + (template is null ? "" : $" TEMPLATE \"{template}\""), connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task DropAsync(string database)
    {
        await using var connection = await OpenMaintenanceAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<NpgsqlConnection> OpenMaintenanceAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server) { Database = "postgres", Pooling = false }.ToString());
        await connection.OpenAsync();
        return connection;
    }
}
