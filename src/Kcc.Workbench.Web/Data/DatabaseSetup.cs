using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

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
        services.AddSingleton<SqlitePragmas>();
        services.AddDbContextFactory<KccDbContext>((sp, options) => options
            .UseSqlite(connectionString)
            .AddInterceptors(sp.GetRequiredService<SqlitePragmas>()));
        services.AddSingleton<WriteBatcher>();
        return services;
    }

    public static string ResolveSqliteConnectionString(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:" && !Path.IsPathRooted(builder.DataSource))
        {
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, builder.DataSource));
        }

        var folder = Path.GetDirectoryName(builder.DataSource);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        builder.Pooling = true;
        return builder.ToString();
    }

    /// <summary>Applies migrations (never EnsureCreated) and switches the file to WAL, which is persistent per file.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<KccDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        await db.Database.MigrateAsync(cancellationToken);
    }
}
