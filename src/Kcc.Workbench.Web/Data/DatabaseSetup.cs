using Kcc.Workbench.Web.Data.PostgreSql;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Kcc.Workbench.Web.Data;

public static class DatabaseSetup
{
    /// <summary>
    /// Database:Provider picks the provider: Sqlite (default; ConnectionStrings:Kcc is a file, a relative path resolved
    /// against the content root, its folder created on first start) or PostgreSQL (ConnectionStrings:Kcc is an Npgsql
    /// connection string).
    /// </summary>
    public static IServiceCollection AddKccDatabase(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var provider = DatabaseInfo.ProviderFrom(configuration);
        services.Configure<DatabaseOptions>(configuration.GetSection("Kcc:Database"));
        services.AddSingleton<WriteBatcher>();
        services.AddSingleton<IInterceptor, WriteGate>();
        services.AddSingleton<IntegrityMonitor>();
        services.AddSingleton<ClusterJobs>();
        services.AddHostedService(sp => sp.GetRequiredService<IntegrityMonitor>());
        if (provider == DatabaseProvider.PostgreSql)
        {
            var pg = configuration.GetConnectionString("Kcc") is { Length: > 0 } given && given.Contains('=', StringComparison.Ordinal) && !given.StartsWith("Data Source", StringComparison.OrdinalIgnoreCase)
                ? given
                : throw new InvalidOperationException("Database:Provider is PostgreSQL: zet ConnectionStrings:Kcc op een PostgreSQL-verbinding, bijvoorbeeld Host=db;Port=5432;Username=kcc;Password=…;Database=kcc.");
            services.AddSingleton(new DatabaseInfo(provider, pg));
            services.AddSingleton(sp => new DatabaseGuard(pg, sp.GetService<TimeProvider>() ?? TimeProvider.System, isSqlite: false));
            services.AddSingleton<IInterceptor, CommitOrderInterceptor>();
            services.AddSingleton(_ => new NpgsqlDataSourceBuilder(pg).Build());
            services.AddPooledDbContextFactory<PostgreSqlKccDbContext>((sp, options) => options
                .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>())
                .AddInterceptors(sp.GetServices<IInterceptor>()));
            services.AddSingleton<IDbContextFactory<KccDbContext>, PostgreSqlContextFactory>();
            // Identity's stores take a scoped context; it comes from the pool and goes back when the scope ends.
            services.AddScoped<KccDbContext>(sp => sp.GetRequiredService<IDbContextFactory<PostgreSqlKccDbContext>>().CreateDbContext());
            return services;
        }

        var connectionString = ResolveSqliteConnectionString(configuration.GetConnectionString("Kcc") ?? "Data Source=data/kcc.db", contentRoot);
        services.AddSingleton(new DatabaseInfo(provider, connectionString));
        services.AddSingleton(sp => new DatabaseGuard(connectionString, sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton<IInterceptor, SqlitePragmas>();
        // Every registered interceptor: the pragmas, the write gate, and whatever a test adds (a size limit, say).
        // Pooled: a search per pause in typing made a new context each time, and building its services was about a
        // sixth of what that search cost the server.
        services.AddPooledDbContextFactory<KccDbContext>((sp, options) => options
            .UseSqlite(connectionString)
            .AddInterceptors(sp.GetServices<IInterceptor>()));
        // Identity's stores take a scoped context; it comes from the pool and goes back when the scope ends.
        services.AddScoped<KccDbContext>(sp => sp.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContext());
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

    /// <summary>
    /// Applies migrations (never EnsureCreated). SQLite: switches the file to WAL, which is persistent per file.
    /// PostgreSQL: creates the database when it does not exist yet; call it inside <see cref="StartupLockAsync"/>.
    /// </summary>
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

    /// <summary>
    /// PostgreSQL: makes sure the database exists, then holds a session advisory lock until disposed, so two servers
    /// starting at once on an empty database migrate and seed it one after the other (the second finds it done).
    /// SQLite: nothing to do (one process per file).
    /// </summary>
    public static async Task<IAsyncDisposable> StartupLockAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var info = services.GetRequiredService<DatabaseInfo>();
        if (!info.IsPostgreSql)
        {
            return NoLock.Instance;
        }

        await using (var db = await services.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync(cancellationToken))
        {
            var creator = db.GetService<IRelationalDatabaseCreator>();
            if (!await creator.ExistsAsync(cancellationToken))
            {
                try
                {
                    await creator.CreateAsync(cancellationToken);
                }
                catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
                {
                    // Another server created it a moment ago.
                }
            }
        }

        var connection = services.GetRequiredService<NpgsqlDataSource>().CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using (var command = new NpgsqlCommand($"SELECT pg_advisory_lock({AdvisoryLocks.Startup})", connection))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return new SessionLock(connection);
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>Closing the session releases its advisory locks, also when the unlock itself fails.</summary>
    private sealed class SessionLock(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", connection);
                await command.ExecuteNonQueryAsync();
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }
}
