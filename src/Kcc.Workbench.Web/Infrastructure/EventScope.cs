using Kcc.Workbench.Web.Data;

namespace Kcc.Workbench.Web.Infrastructure;

/// <summary>
/// The transaction a domain event is published in. Notification handlers add their rows (audit entries,
/// notifications) to <see cref="Db"/>, so they are saved and committed with the change that raised the event or not
/// at all; what must only happen once the change is visible to others (live updates) they defer with
/// <see cref="AfterCommit"/>. The handler that publishes saves, commits, then calls <see cref="Committed"/>.
/// </summary>
public sealed class EventScope(KccDbContext db, string actorId, string actorName, DateTime now)
{
    private readonly List<Action> afterCommit = [];

    public KccDbContext Db { get; } = db;

    public string ActorId { get; } = actorId;

    public string ActorName { get; } = actorName;

    public DateTime Now { get; } = now;

    public void AfterCommit(Action action) => afterCommit.Add(action);

    public void Committed()
    {
        foreach (var action in afterCommit)
        {
            action();
        }

        afterCommit.Clear();
    }
}
