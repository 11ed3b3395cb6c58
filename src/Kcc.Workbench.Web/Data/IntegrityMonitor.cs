using Microsoft.Extensions.Options;

namespace Kcc.Workbench.Web.Data;

/// <summary>
/// Runs PRAGMA quick_check every Kcc:Database:IntegrityInterval on its own read-only connection, off the hot path
/// (WAL lets agents keep saving meanwhile). A failed check closes the write gate for good and logs one line that names
/// the file and what to do; /health/ready turns Unhealthy. The check at start-up is done by <see cref="DatabaseStartup"/>.
/// </summary>
public sealed class IntegrityMonitor(DatabaseGuard guard, IOptions<DatabaseOptions> options, TimeProvider clock, ILogger<IntegrityMonitor> logger) : BackgroundService
{
    /// <summary>One check now; true when the file is sound.</summary>
    public async Task<bool> CheckAsync(CancellationToken cancellationToken = default)
    {
        if (guard.FilePath is not { } file || guard.WritesRefused)
        {
            return !guard.WritesRefused;
        }

        var problem = await DatabaseChecks.QuickCheckAsync(file, cancellationToken);
        if (problem is null)
        {
            return true;
        }

        if (guard.MarkCorrupt(problem))
        {
            logger.LogCritical("{Message}", guard.CorruptionMessage());
        }

        return false;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.IntegrityInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested && !guard.WritesRefused)
        {
            try
            {
                await Task.Delay(interval, clock, stoppingToken);
                await CheckAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Microsoft.Data.Sqlite.SqliteException exception)
            {
                // Busy or unreadable this time: the next round tries again; the health check reports what it sees.
                logger.LogWarning("Integriteitscontrole van de database kon niet draaien (SQLite-fout {Code})", exception.SqliteErrorCode);
            }
        }
    }
}
