namespace Kcc.Workbench.Web.Data;

/// <summary>Database:Provider: SQLite (the embedded default, one server) or PostgreSQL (a managed database, several servers).</summary>
public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>Which provider this process runs on, for the few places that differ (locks, live updates, backups).</summary>
public sealed record DatabaseInfo(DatabaseProvider Provider, string ConnectionString)
{
    public bool IsPostgreSql => Provider == DatabaseProvider.PostgreSql;

    public bool IsSqlite => Provider == DatabaseProvider.Sqlite;

    public static DatabaseProvider ProviderFrom(IConfiguration configuration) => configuration["Database:Provider"]?.Trim().ToUpperInvariant() switch
    {
        null or "" or "SQLITE" => DatabaseProvider.Sqlite,
        "POSTGRESQL" or "POSTGRES" or "NPGSQL" => DatabaseProvider.PostgreSql,
        var other => throw new InvalidOperationException(
            $"Database:Provider '{other}' is onbekend. Kies Sqlite (standaard) of PostgreSQL."),
    };
}
