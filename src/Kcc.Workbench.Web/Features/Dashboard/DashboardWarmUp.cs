namespace Kcc.Workbench.Web.Features.Dashboard;

/// <summary>Loads the dashboard's facts once the app has started, so the first team lead does not wait for it.</summary>
internal sealed class DashboardWarmUp(DashboardFacts facts, IHostApplicationLifetime lifetime, ILogger<DashboardWarmUp> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // After migrations and demo seeding, which run before the app starts listening.
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
        try
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var questions = await facts.ReadAsync(snapshot => snapshot.Questions.Length, stoppingToken);
            logger.LogInformation("Dashboard facts ready: {Questions} questions in {Elapsed} ms", questions, watch.ElapsedMilliseconds);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Not fatal: the first dashboard query loads the facts itself.
            logger.LogWarning(exception, "Dashboard facts could not be loaded at start-up");
        }
    }
}
