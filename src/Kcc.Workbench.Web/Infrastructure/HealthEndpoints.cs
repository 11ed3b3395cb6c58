using Kcc.Workbench.Web.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Kcc.Workbench.Web.Infrastructure;

/// <summary>/health/live says the process runs; /health/ready also needs a database that can be trusted and written.</summary>
public static class HealthEndpoints
{
    public static IServiceCollection AddKccHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return services;
    }

    public static IEndpointRouteBuilder MapKccHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
        return endpoints;
    }

    /// <summary>
    /// Ready means: the file passed its integrity check, every migration is applied, the disk (and the database's own
    /// size limit) has room, a real committed write succeeds, and no save failed for want of space since the last one
    /// that worked. Free space is measured, not guessed from a rolled-back write: SQLite reuses the space of its WAL,
    /// so a small write can succeed on a full disk while a contact with its audit entries cannot.
    /// </summary>
    private sealed class DatabaseHealthCheck(IDbContextFactory<KccDbContext> dbFactory, DatabaseGuard guard, IOptions<DatabaseOptions> options, TimeProvider clock) : IHealthCheck
    {
        private static readonly TimeSpan SpaceFailureMemory = TimeSpan.FromMinutes(1);

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (guard.WritesRefused)
            {
                return HealthCheckResult.Unhealthy("integriteitscontrole mislukt: " + guard.Corruption);
            }

            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                if (!await db.Database.CanConnectAsync(cancellationToken))
                {
                    return HealthCheckResult.Unhealthy("database niet bereikbaar");
                }

                var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
                if (pending > 0)
                {
                    return HealthCheckResult.Unhealthy($"{pending} migratie(s) nog niet toegepast");
                }

                if (await RoomProblemAsync(db, cancellationToken) is { } room)
                {
                    return HealthCheckResult.Unhealthy(room);
                }

                var now = clock.GetUtcNow().UtcDateTime;
                var written = await db.HealthProbes.Where(p => p.Id == 1).ExecuteUpdateAsync(p => p.SetProperty(x => x.CheckedAt, now), cancellationToken);
                if (written == 0)
                {
                    db.HealthProbes.Add(new HealthProbe { Id = 1, CheckedAt = now });
                    await db.SaveChangesAsync(cancellationToken);
                }

                if (guard.SpaceFailureAt is { } failedAt)
                {
                    if (clock.GetUtcNow() - failedAt < SpaceFailureMemory)
                    {
                        return HealthCheckResult.Unhealthy("opslaan mislukte kort geleden: schijf of database vol");
                    }

                    guard.WriteCommitted();
                }

                return HealthCheckResult.Healthy();
            }
            catch (Exception exception) when (exception is InvalidOperationException or System.Data.Common.DbException or DbUpdateException or DatabaseWriteRefusedException)
            {
                return HealthCheckResult.Unhealthy("schrijftest mislukt: " + (exception is SqliteException sqlite ? $"SQLite-fout {sqlite.SqliteErrorCode}" : exception.GetType().Name));
            }
        }

        /// <summary>Free space on the database's disk, and room under SQLite's max_page_count (a quota).</summary>
        private async Task<string?> RoomProblemAsync(KccDbContext db, CancellationToken cancellationToken)
        {
            var minFree = options.Value.MinFreeBytes;
            if (guard.FilePath is { } file && DatabaseChecks.FreeBytes(Path.GetDirectoryName(file)!) is { } free && free < minFree)
            {
                return $"schijf bijna vol: {free / (1024 * 1024)} MB vrij";
            }

            if (!db.Database.IsSqlite())
            {
                return null;
            }

            await db.Database.OpenConnectionAsync(cancellationToken);
            var connection = db.Database.GetDbConnection();
            var pageSize = await PragmaAsync(connection, "page_size", cancellationToken);
            var headroomPages = await PragmaAsync(connection, "max_page_count", cancellationToken) - await PragmaAsync(connection, "page_count", cancellationToken)
                + await PragmaAsync(connection, "freelist_count", cancellationToken);
            return headroomPages * pageSize < minFree ? $"database aan zijn maximale grootte: {headroomPages * pageSize / (1024 * 1024)} MB ruimte" : null;
        }

        private static async Task<long> PragmaAsync(System.Data.Common.DbConnection connection, string pragma, CancellationToken cancellationToken)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA " + pragma;
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
