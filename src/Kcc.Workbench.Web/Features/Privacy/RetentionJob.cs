using Kcc.Workbench.Web.Data.PostgreSql;
using Microsoft.Extensions.Options;

namespace Kcc.Workbench.Web.Features.Privacy;

/// <summary>
/// Runs the anonymisation of data past its retention term once a day (first run a minute after start). With several
/// app servers on one PostgreSQL database, only the server that claims the run does it (<see cref="ClusterJobs"/>).
/// </summary>
internal sealed class RetentionJob(Anonymiser anonymiser, ClusterJobs jobs, IOptions<RetentionOptions> options, TimeProvider clock, ILogger<RetentionJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMinutes(1), clock, stoppingToken);
            using var timer = new PeriodicTimer(options.Value.Interval, clock);
            do
            {
                try
                {
                    if (!await jobs.TryClaimAsync("retention", options.Value.Interval, clock.GetUtcNow().UtcDateTime, stoppingToken))
                    {
                        logger.LogInformation("Retention run skipped: another server ran it within the interval");
                        continue;
                    }

                    var report = await anonymiser.AnonymiseExpiredAsync(Anonymiser.SystemActorId, Anonymiser.SystemActorName, stoppingToken);
                    logger.LogInformation("Retention run: {Parties} parties, {Contacts} contacts, {Questions} questions, {Tasks} tasks, {Conversations} inbox conversations ({Messages} messages), {KnowledgeGaps} knowledge gaps anonymised",
                        report.Parties, report.Contacts, report.Questions, report.Tasks, report.Conversations, report.Messages, report.KnowledgeGaps);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // One failed night must not stop the job; the next run catches up.
                    logger.LogError(exception, "Retention run failed");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }
}
