using Microsoft.Extensions.Options;

namespace Kcc.Workbench.Web.Features.Backups;

/// <summary>Makes a backup every Kcc:Backup:Interval; the first one minute after start when the folder holds none yet.</summary>
internal sealed class BackupJob(BackupStore store, IOptions<BackupOptions> options, TimeProvider clock, ILogger<BackupJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.Interval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var backups = store.List();
            DateTime? last = backups.Count > 0 ? backups[0].MadeAt : null;
            var wait = last is { } made ? made + interval - clock.GetUtcNow().UtcDateTime : TimeSpan.FromMinutes(Math.Min(1, interval.TotalMinutes));
            try
            {
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, clock, stoppingToken);
                }

                await store.CreateAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is BackupRefusedException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                logger.LogError("Geplande back-up mislukt: {Reason}. Volgende poging over {Interval}.", exception.Message, interval);
                await Task.Delay(interval, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
