using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Kcc.Workbench.Web.Infrastructure;

/// <summary>
/// Tells open screens that something they show has changed, so they reload without the user pressing F5.
/// In-process (one server); a multi-server deployment swaps in an implementation over a backplane.
/// Subscribers reload their own data: the event carries no data, so nothing leaks between users.
/// </summary>
public interface ILiveUpdates
{
    /// <summary>Tasks of the team were added or changed. Dispose the result to stop listening.</summary>
    IDisposable OnTeamChanged(int teamId, Func<Task> handler);

    /// <summary>Any team's tasks changed (the regie overview watches all of them).</summary>
    IDisposable OnAnyTeamChanged(Func<Task> handler);

    /// <summary>The employee received a notification.</summary>
    IDisposable OnEmployeeNotified(string employeeId, Func<Task> handler);

    /// <summary>A message arrived in the inbox or a conversation changed hands or was answered.</summary>
    IDisposable OnInboxChanged(Func<Task> handler);

    void TeamChanged(int teamId);

    void InboxChanged();

    void EmployeeNotified(string employeeId);
}

internal sealed class InProcessLiveUpdates(ILogger<InProcessLiveUpdates> logger) : ILiveUpdates
{
    private const string AnyTeam = "team:*";
    private readonly ConcurrentDictionary<string, ImmutableList<Func<Task>>> subscribers = new();

    public IDisposable OnTeamChanged(int teamId, Func<Task> handler) => Subscribe($"team:{teamId}", handler);

    public IDisposable OnAnyTeamChanged(Func<Task> handler) => Subscribe(AnyTeam, handler);

    public IDisposable OnEmployeeNotified(string employeeId, Func<Task> handler) => Subscribe($"employee:{employeeId}", handler);

    public void TeamChanged(int teamId)
    {
        Raise($"team:{teamId}");
        Raise(AnyTeam);
    }

    public void EmployeeNotified(string employeeId) => Raise($"employee:{employeeId}");

    public IDisposable OnInboxChanged(Func<Task> handler) => Subscribe("inbox", handler);

    public void InboxChanged() => Raise("inbox");

    private Subscription Subscribe(string key, Func<Task> handler)
    {
        subscribers.AddOrUpdate(key, _ => [handler], (_, list) => list.Add(handler));
        return new Subscription(() => subscribers.AddOrUpdate(key, _ => [], (_, list) => list.Remove(handler)));
    }

    /// <summary>
    /// Fire and forget: a slow or broken screen must not hold up the change that raised the event. The sender's
    /// execution context (its user, its HTTP request) does not flow into other users' screens.
    /// </summary>
    private void Raise(string key)
    {
        if (!subscribers.TryGetValue(key, out var handlers))
        {
            return;
        }

        using (ExecutionContext.SuppressFlow())
        {
            foreach (var handler in handlers)
            {
                _ = Task.Run(() => InvokeAsync(handler, key));
            }
        }
    }

    private async Task InvokeAsync(Func<Task> handler, string key)
    {
        try
        {
            await handler();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A closed circuit or failed reload only affects that one screen.
            logger.LogWarning(ex, "Live update for {Key} failed", key);
        }
    }

    private sealed class Subscription(Action unsubscribe) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                unsubscribe();
            }
        }
    }
}
