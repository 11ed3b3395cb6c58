using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kcc.Workbench.Web.Data;

public static class DatabaseSetup
{
    /// <summary>
    /// SQLite by default: ConnectionStrings:Kcc, a relative file path resolved against the content root,
    /// whose folder is created on first start.
    /// </summary>
    public static IServiceCollection AddKccDatabase(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var connectionString = ResolveSqliteConnectionString(configuration.GetConnectionString("Kcc") ?? "Data Source=data/kcc.db", contentRoot);
        services.Configure<DatabaseOptions>(configuration.GetSection("Kcc:Database"));
        services.AddSingleton(sp => new DatabaseGuard(connectionString, sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton<IInterceptor, SqlitePragmas>();
        services.AddSingleton<IInterceptor, WriteGate>();
        services.AddSingleton<IntegrityMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<IntegrityMonitor>());
        // Every registered interceptor: the pragmas, the write gate, and whatever a test adds (a size limit, say).
        services.AddDbContextFactory<KccDbContext>((sp, options) => options
            .UseSqlite(connectionString)
            .AddInterceptors(sp.GetServices<IInterceptor>()));
        services.AddSingleton<WriteBatcher>();
        return services;
    }

    /// <summary>The folder is not created here but by the start-up check, which can say clearly why it cannot be.</summary>
    public static string ResolveSqliteConnectionString(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:" && !Path.IsPathRooted(builder.DataSource))
        {
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, builder.DataSource));
        }

        builder.Pooling = true;
        return builder.ToString();
    }

    /// <summary>Applies migrations (never EnsureCreated) and switches the file to WAL, which is persistent per file.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        if (services.GetService<DatabaseGuard>()?.FilePath is { } file && Path.GetDirectoryName(file) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        var factory = services.GetRequiredService<IDbContextFactory<KccDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // A table rebuild in a migration switches foreign keys off on its connection; SqlitePragmas sets them once
            // per native connection, so start the app on fresh ones.
            await db.Database.CloseConnectionAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearPool((Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection());
        }
    }
}
