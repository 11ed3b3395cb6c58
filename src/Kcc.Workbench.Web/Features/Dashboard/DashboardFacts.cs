using System.Runtime.InteropServices;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Routing;
using Kcc.Workbench.Web.Features.Routing.ServiceNorms;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Dashboard;

/// <summary>One question as the dashboard counts it: no text, no personal data, just what the figures need.</summary>
[StructLayout(LayoutKind.Auto)]
internal struct QuestionFact
{
    public long QuestionId;
    public long ContactId;
    public long StartedUtcTicks;
    public int PartyId;
    public int TopicId;
    public int HandlingSeconds;

    /// <summary>The team of the question's internal task; 0 when none was created.</summary>
    public int TaskTeamId;

    /// <summary>Row of the same party's previous question on the same topic (by start), or -1.</summary>
    public int PreviousSameTopic;

    /// <summary>Row of the first question on the same topic in a later contact of the same party, or -1: the repeat that may undo "first time right".</summary>
    public int NextSameTopic;

    public int AgentIndex;
    public Channel Channel;

    /// <summary>Outgoing contacts (a callback, the KCC phoning a resident) are no question the resident asked.</summary>
    public Direction Direction;
    public Outcome Outcome;

    /// <summary>Amsterdam's offset at the start, in quarter hours: local time without a time-zone lookup per row.</summary>
    public sbyte OffsetQuarters;

    public readonly long LocalTicks => StartedUtcTicks + OffsetQuarters * TimeSpan.TicksPerMinute * 15;

    public readonly bool IsAnonymous => PartyId == 0;

    public readonly bool IsIncoming => Direction == Direction.Inkomend;

    public readonly bool IsRouted => TaskTeamId != 0;
}

/// <summary>One internal task as the service-norm figures count it.</summary>
internal readonly record struct TaskFact(
    long TaskId, long QuestionId, int TeamId, int TopicId, Channel Channel, NormKind Kind, int AgentIndex,
    long CreatedUtcTicks, long DueUtcTicks, long CompletedUtcTicks)
{
    public bool IsOpen => CompletedUtcTicks == 0;

    /// <summary>Completed by the promised date.</summary>
    public bool OnTime => !IsOpen && CompletedUtcTicks <= DueUtcTicks;
}

/// <summary>
/// The dashboard's memory copy of every question and task, so a year of a large city (1,000,000 questions) is
/// counted in milliseconds instead of seconds of SQL scans. The database stays the source of truth: before every
/// dashboard query the copy reads the questions with a higher id than it has seen (questions are never changed,
/// anonymisation keeps the fields counted here) and the tasks changed since the last read, so it holds exactly the
/// committed rows, also when another process wrote them. Repeat contacts are linked when a question arrives: each
/// question knows the same party's next question on the same topic, whatever the repeat window is set to.
/// </summary>
public sealed class DashboardFacts : IDisposable
{
    private readonly IDbContextFactory<KccDbContext> dbFactory;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Dictionary<long, int> lastRowOfPartyTopic = [];
    private readonly Dictionary<string, int> agentIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<long, TaskFact> tasks = [];

    // Tasks whose question arrived after the questions were read; linked on the next read.
    private readonly List<TaskFact> unlinkedTasks = [];
    private QuestionFact[] rows = new QuestionFact[1024];
    private int count;
    private long lastQuestionId;
    private long lastTaskId;
    private readonly HashSet<long> openTasks = [];
    private readonly List<(string Id, string Name)> agents = [];

    public DashboardFacts(IDbContextFactory<KccDbContext> dbFactory)
    {
        this.dbFactory = dbFactory;
    }

    /// <summary>
    /// Brings the copy up to date and runs <paramref name="read"/> on it while no refresh can change it. Reads are
    /// short (milliseconds), so one at a time is simpler than a reader/writer lock and costs nothing noticeable.
    /// </summary>
    internal async Task<T> ReadAsync<T>(Func<Snapshot, T> read, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            await CatchUpAsync(cancellationToken);
            return read(new Snapshot(this));
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>A read-only view for one computation.</summary>
    internal readonly struct Snapshot(DashboardFacts facts)
    {
        public ReadOnlySpan<QuestionFact> Questions => facts.rows.AsSpan(0, facts.count);

        public ref readonly QuestionFact Row(int index) => ref facts.rows[index];

        public IReadOnlyCollection<TaskFact> Tasks => facts.tasks.Values;

        public (string Id, string Name) Agent(int index) => facts.agents[index];

        public int AgentCount => facts.agents.Count;

        public int IndexOfAgent(string agentId) => facts.agentIndex.TryGetValue(agentId, out var index) ? index : -1;
    }

    public void Dispose() => gate.Dispose();

    /// <remarks>
    /// Reading "every question above the last id seen" is exact on SQLite: its single writer hands out ids in commit
    /// order. A provider whose sequences can commit out of order (PostgreSQL with concurrent writers) needs an
    /// overlapping read here before it is supported.
    /// </remarks>
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var newQuestions = db.Questions.AsNoTracking()
            .Where(q => q.Id > lastQuestionId)
            .OrderBy(q => q.Id)
            .Select(q => new
            {
                q.Id,
                q.ContactId,
                q.Contact!.PartyId,
                q.TopicId,
                q.Outcome,
                q.Contact.Channel,
                q.Contact.Direction,
                q.Contact.AgentId,
                q.Contact.AgentName,
                q.Contact.StartedAt,
                q.Contact.EndedAt,
            })
            .AsAsyncEnumerable();
        await foreach (var q in newQuestions.WithCancellation(cancellationToken))
        {
            var started = q.StartedAt;
            Append(new QuestionFact
            {
                QuestionId = q.Id,
                ContactId = q.ContactId,
                StartedUtcTicks = started.Ticks,
                PartyId = q.PartyId ?? 0,
                TopicId = q.TopicId,
                HandlingSeconds = (int)Math.Clamp((q.EndedAt - started).TotalSeconds, 0, int.MaxValue),
                AgentIndex = AgentIndex(q.AgentId, q.AgentName),
                Channel = q.Channel,
                Direction = q.Direction,
                Outcome = q.Outcome,
                OffsetQuarters = (sbyte)(DutchFormat.Amsterdam.GetUtcOffset(started).Ticks / (TimeSpan.TicksPerMinute * 15)),
            });
            lastQuestionId = q.Id;
        }

        // Tasks: the new ones (ids above the last seen), and every open one, because only open tasks change what the
        // figures count (hand-over moves team and due date, completion sets the end). Tasks open in the copy but no
        // longer open were completed since: they are read once more by id. No clock is involved, so a task stamped in
        // the future or a late commit cannot hide a change.
        // Everything is read before anything changes: a cancelled or failed read leaves the copy as it was.
        var pending = unlinkedTasks.ToList();
        var openNow = new HashSet<long>();
        await foreach (var task in Project(db.InternalTasks.Where(t => t.Status == InternalTaskStatus.TeVerwerken)).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            openNow.Add(task.Id);
            pending.Add(ToFact(task));
        }

        foreach (var closed in openTasks.Where(id => !openNow.Contains(id)).Chunk(500))
        {
            pending.AddRange((await Project(db.InternalTasks.Where(t => closed.Contains(t.Id))).ToListAsync(cancellationToken)).Select(ToFact));
        }

        var newLastTaskId = lastTaskId;
        await foreach (var task in Project(db.InternalTasks.Where(t => t.Id > lastTaskId)).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            pending.Add(ToFact(task));
            newLastTaskId = Math.Max(newLastTaskId, task.Id);
        }

        lastTaskId = newLastTaskId;
        unlinkedTasks.Clear();
        foreach (var task in pending)
        {
            var row = IndexOf(task.QuestionId);
            if (row < 0)
            {
                unlinkedTasks.Add(task);
                continue;
            }

            tasks[task.TaskId] = task;
            rows[row].TaskTeamId = task.TeamId;
            if (task.IsOpen)
            {
                openTasks.Add(task.TaskId);
            }
            else
            {
                openTasks.Remove(task.TaskId);
            }
        }
    }

    private sealed record TaskRow(long Id, long QuestionId, int TeamId, int TopicId, Channel Channel, RequestedAction Action,
        string CreatedById, string CreatedByName, DateTime CreatedAt, DateTime DueAt, DateTime? CompletedAt);

    private static IQueryable<TaskRow> Project(IQueryable<InternalTask> tasks) => tasks.AsNoTracking()
        .Select(t => new TaskRow(t.Id, t.QuestionId, t.TeamId, t.TopicId, t.Channel, t.Action, t.CreatedById, t.CreatedByName, t.CreatedAt, t.DueAt, t.CompletedAt));

    private TaskFact ToFact(TaskRow t) =>
        new(t.Id, t.QuestionId, t.TeamId, t.TopicId, t.Channel, NormKinds.For(t.Action, t.Channel), AgentIndex(t.CreatedById, t.CreatedByName),
            t.CreatedAt.Ticks, t.DueAt.Ticks, t.CompletedAt?.Ticks ?? 0);

    private int AgentIndex(string id, string name)
    {
        if (agentIndex.TryGetValue(id, out var index))
        {
            // Rows come in id order: the newest name wins (someone who married, a typo fixed).
            agents[index] = (id, name);
            return index;
        }

        index = agents.Count;
        agentIndex[id] = index;
        agents.Add((id, name));
        return index;
    }

    /// <summary>Rows are appended in question-id order, so a binary search finds a question.</summary>
    private int IndexOf(long questionId)
    {
        int low = 0, high = count - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var id = rows[middle].QuestionId;
            if (id == questionId)
            {
                return middle;
            }

            if (id < questionId)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return -1;
    }

    private void Append(QuestionFact fact)
    {
        if (count == rows.Length)
        {
            Array.Resize(ref rows, rows.Length * 2);
        }

        var index = count++;
        fact.PreviousSameTopic = -1;
        fact.NextSameTopic = -1;
        rows[index] = fact;
        // Only the resident coming back is a repeat: anonymous and outgoing contacts are never linked.
        if (!fact.IsAnonymous && fact.IsIncoming)
        {
            LinkSameTopic(index);
        }
    }

    /// <summary>
    /// Puts the row into its party-and-topic chain, ordered by start time (a contact logged afterwards for an earlier
    /// moment lands in its place), and points every earlier question whose next contact on the topic is now this one.
    /// </summary>
    private void LinkSameTopic(int index)
    {
        ref var row = ref rows[index];
        var key = ((long)row.PartyId << 32) | (uint)row.TopicId;
        if (!lastRowOfPartyTopic.TryGetValue(key, out var tail))
        {
            lastRowOfPartyTopic[key] = index;
            return;
        }

        // Walk back past the questions that started later: the last one passed is the first later question.
        var successor = -1;
        var previous = tail;
        while (previous >= 0 && rows[previous].StartedUtcTicks > row.StartedUtcTicks)
        {
            successor = previous;
            previous = rows[previous].PreviousSameTopic;
        }

        row.PreviousSameTopic = previous;
        if (successor < 0)
        {
            lastRowOfPartyTopic[key] = index;
        }
        else
        {
            rows[successor].PreviousSameTopic = index;
            row.NextSameTopic = successor;
        }

        // Earlier questions now have this one as their next contact on the topic, until one already has a nearer one.
        // Questions of the same moment (the same contact) are no repeat of each other and are passed over.
        for (var earlier = previous; earlier >= 0; earlier = rows[earlier].PreviousSameTopic)
        {
            ref var candidate = ref rows[earlier];
            if (candidate.StartedUtcTicks == row.StartedUtcTicks)
            {
                continue;
            }

            if (candidate.NextSameTopic >= 0 && rows[candidate.NextSameTopic].StartedUtcTicks <= row.StartedUtcTicks)
            {
                break;
            }

            candidate.NextSameTopic = index;
        }
    }
}
