using Kcc.Workbench.Web.Infrastructure;
using Npgsql;

namespace Kcc.Workbench.Web.Data.PostgreSql;

/// <summary>
/// Live updates across app servers through PostgreSQL's LISTEN/NOTIFY: a change raised on this server reaches this
/// server's screens at once (in process, as on SQLite) and every other server through one NOTIFY on channel
/// <c>kcc_live</c>; each server keeps one connection LISTENing and raises what the others sent on its own screens.
/// The payload names a team or an employee id, never data. NOTIFY is sent after the change committed (the callers
/// raise events after their commit), so the other server reads the committed change when its screens reload.
/// </summary>
internal sealed class PostgreSqlLiveUpdates(InProcessLiveUpdates local, NpgsqlDataSource dataSource, ILogger<PostgreSqlLiveUpdates> logger)
    : BackgroundService, ILiveUpdates
{
    public const string Channel = "kcc_live";

    /// <summary>This server's own notifications come back to it too; it has already raised them.</summary>
    private readonly string self = Guid.NewGuid().ToString("N");

    /// <summary>Set once LISTEN is in place (tests wait for it before routing on another server).</summary>
    public Task Listening => listening.Task;

    private readonly TaskCompletionSource listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IDisposable OnTeamChanged(int teamId, Func<Task> handler) => local.OnTeamChanged(teamId, handler);

    public IDisposable OnAnyTeamChanged(Func<Task> handler) => local.OnAnyTeamChanged(handler);

    public IDisposable OnEmployeeNotified(string employeeId, Func<Task> handler) => local.OnEmployeeNotified(employeeId, handler);

    public IDisposable OnInboxChanged(Func<Task> handler) => local.OnInboxChanged(handler);

    public void InboxChanged()
    {
        local.InboxChanged();
        Send("inbox");
    }

    public void TeamChanged(int teamId)
    {
        local.TeamChanged(teamId);
        Send("team:" + teamId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public void EmployeeNotified(string employeeId)
    {
        local.EmployeeNotified(employeeId);
        Send("employee:" + employeeId);
    }

    private void Send(string what)
    {
        // Fire and forget, like the in-process path: a change must not wait for (or fail on) other servers' screens.
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await using var command = dataSource.CreateCommand("SELECT pg_notify(@channel, @payload)");
                    command.Parameters.AddWithValue("channel", Channel);
                    command.Parameters.AddWithValue("payload", self + "|" + what);
                    await command.ExecuteNonQueryAsync();
                }
                catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or ObjectDisposedException)
                {
                    logger.LogWarning("Live update for other servers not sent: {Reason}", exception.Message);
                }
            });
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => Receive(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                listening.TrySetResult();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or System.IO.IOException or InvalidOperationException)
            {
                // The database went away (a failover, a restart): listen again shortly. Screens refresh on their next change.
                logger.LogWarning("Listening for live updates from other servers stopped ({Reason}); retrying in 2 s", exception.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private void Receive(string payload)
    {
        var separator = payload.IndexOf('|', StringComparison.Ordinal);
        if (separator < 0 || payload.AsSpan(0, separator).SequenceEqual(self))
        {
            return;
        }

        var what = payload[(separator + 1)..];
        if (what.StartsWith("team:", StringComparison.Ordinal) && int.TryParse(what.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture, out var teamId))
        {
            local.TeamChanged(teamId);
        }
        else if (what.StartsWith("employee:", StringComparison.Ordinal))
        {
            local.EmployeeNotified(what["employee:".Length..]);
        }
        else if (what == "inbox")
        {
            local.InboxChanged();
        }
    }
}
