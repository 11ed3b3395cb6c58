using System.Globalization;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Routing.ServiceNorms;
using Kcc.Workbench.Web.Infrastructure;

namespace Kcc.Workbench.Web.Features.Dashboard;

public sealed record FtrSplit(string Key, string Label, FtrFigures Figures);

public sealed record FtrPoint(string Label, DateOnly Start, FtrFigures Figures);

/// <summary>A registered "right" answer that a later contact of the same resident on the same topic turned into "not right".</summary>
public sealed record RepeatLink(long ContactId, DateTime StartedAt, Channel Channel, string Topic, long RepeatContactId, DateTime RepeatStartedAt, Channel RepeatChannel);

public sealed record FtrResult(
    FtrFigures Total,
    Granularity Granularity,
    IReadOnlyList<FtrPoint> OverTime,
    IReadOnlyList<FtrSplit> ByChannel,
    IReadOnlyList<FtrSplit> ByTeam,
    IReadOnlyList<FtrSplit> ByAgent,
    IReadOnlyList<FtrSplit> ByTopic,
    int RepeatCount,
    IReadOnlyList<RepeatLink> Repeats);

/// <summary>Incoming contacts and their questions per channel; outgoing contacts (callbacks) apart, as work done.</summary>
public sealed record ChannelVolume(Channel Channel, int Contacts, int Questions, int PreviousContacts, int PreviousQuestions, int OutgoingContacts);

/// <summary>Contacts per channel per day, week or month of the period: the trend of each channel.</summary>
public sealed record ChannelTrend(IReadOnlyList<string> Buckets, IReadOnlyDictionary<Channel, int[]> Contacts);

public sealed record ChannelResult(int Contacts, int Questions, int PreviousContacts, int PreviousQuestions, IReadOnlyList<ChannelVolume> Channels, int[][] Heatmap, ChannelTrend Trend)
{
    /// <summary>Weekdays of the heatmap rows, Monday first.</summary>
    public static readonly string[] Weekdays = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"];
}

public sealed record HandlingTime(Channel Channel, int Contacts, double AverageSeconds, int P90Seconds);

public sealed record NormRow(int TeamId, string Team, NormKind Kind, int Completed, int OnTime, double? AverageHours, double? P90Hours, int OverdueNow, int DueToday)
{
    public double? OnTimePercent => Completed == 0 ? null : 100.0 * OnTime / Completed;
}

/// <summary>What the service-norm figures count of a task at one moment: completed in the period, overdue now, due later today.</summary>
internal readonly record struct TaskMoment(long NowUtcTicks, long EndOfTodayUtcTicks)
{
    public static TaskMoment At(long nowUtcTicks) =>
        new(nowUtcTicks, DutchFormat.FromLocal(DutchFormat.ToLocal(new DateTime(nowUtcTicks, DateTimeKind.Utc)).Date.AddDays(1)).UtcTicks);

    public static bool CompletedIn(in TaskFact task, DashboardScope scope) => !task.IsOpen && scope.InPeriod(task.CompletedUtcTicks);

    public bool Overdue(in TaskFact task) => task.IsOpen && task.DueUtcTicks < NowUtcTicks;

    public bool DueToday(in TaskFact task) => task.IsOpen && task.DueUtcTicks >= NowUtcTicks && task.DueUtcTicks < EndOfTodayUtcTicks;
}

public sealed record NormResult(int Completed, int OnTime, int OverdueNow, int DueToday, double? AverageHours, double? P90Hours, IReadOnlyList<NormRow> Rows)
{
    public double? OnTimePercent => Completed == 0 ? null : 100.0 * OnTime / Completed;
}

/// <summary>
/// The dashboard's figures, each one scan over the facts. Pure functions of the facts, the scope and the moment, so the
/// tests and the benchmark time and check exactly what the page shows.
/// </summary>
internal static class DashboardFigures
{
    private const int RepeatsShown = 20;

    /// <summary>Arrays indexed by channel number.</summary>
    private static readonly int ChannelSlots = (int)ContactLabels.Channels.Max() + 1;

    public static FtrResult FirstTimeRight(DashboardFacts.Snapshot facts, DashboardScope scope, long windowTicks, long nowLocalTicks, bool detailed)
    {
        var catalog = scope.Catalog;
        var total = new FtrTally();
        var today = DateOnly.FromDateTime(new DateTime(nowLocalTicks));
        var buckets = Buckets(scope.Filter, today, out var bucketOfDay);
        var overTime = new FtrTally[buckets.Count];
        var byChannel = new FtrTally[ChannelSlots];
        var byTeam = new Dictionary<int, FtrTally>();
        var byAgent = new FtrTally[detailed ? facts.AgentCount : 0];
        var byTopic = new Dictionary<int, FtrTally>();
        var repeats = new List<int>();
        var fromDay = scope.Filter.From.DayNumber;
        var rows = facts.Questions;
        for (var i = 0; i < rows.Length; i++)
        {
            ref readonly var row = ref rows[i];
            if (!scope.Matches(row))
            {
                continue;
            }

            var verdict = Dashboard.FirstTimeRight.Verify(row, facts, windowTicks);
            var registered = Dashboard.FirstTimeRight.IsRegisteredRight(row);
            var stillInWindow = row.LocalTicks + windowTicks > nowLocalTicks;
            total.Add(verdict, registered, row.IsRouted, stillInWindow);
            if (!detailed)
            {
                continue;
            }

            var day = (int)(row.LocalTicks / TimeSpan.TicksPerDay) - fromDay;
            if ((uint)day < (uint)bucketOfDay.Length)
            {
                overTime[bucketOfDay[day]].Add(verdict, registered, row.IsRouted, stillInWindow);
            }

            byChannel[(int)row.Channel].Add(verdict, registered, row.IsRouted, stillInWindow);
            byAgent[row.AgentIndex].Add(verdict, registered, row.IsRouted, stillInWindow);
            AddTo(byTeam, catalog.TeamOf(row), verdict, registered, row.IsRouted, stillInWindow);
            AddTo(byTopic, row.TopicId, verdict, registered, row.IsRouted, stillInWindow);
            if (verdict == Verdict.Herhaald)
            {
                repeats.Add(i);
            }
        }

        if (!detailed)
        {
            return new FtrResult(total.ToFigures(), scope.Filter.EffectiveGranularity, [], [], [], [], [], 0, []);
        }

        var shownRepeats = repeats.OrderByDescending(i => facts.Row(i).StartedUtcTicks).Take(RepeatsShown).Select(i => ToRepeatLink(facts, catalog, i, windowTicks)).ToList();
        return new FtrResult(
            total.ToFigures(),
            scope.Filter.EffectiveGranularity,
            buckets.Select((b, i) => new FtrPoint(b.Label, b.Start, overTime[i].ToFigures())).ToList(),
            Sorted(ContactLabels.Channels.Where(c => !byChannel[(int)c].IsEmpty).Select(c => new FtrSplit(c.ToString(), c.Label(), byChannel[(int)c].ToFigures()))),
            Sorted(byTeam.Select(t => new FtrSplit(t.Key.ToString(CultureInfo.InvariantCulture), catalog.TeamName(t.Key), t.Value.ToFigures()))),
            Sorted(byAgent.Select((tally, index) => (tally, index)).Where(a => !a.tally.IsEmpty)
                .Select(a => new FtrSplit(facts.Agent(a.index).Id, facts.Agent(a.index).Name, a.tally.ToFigures()))),
            Sorted(byTopic.Select(t => new FtrSplit(t.Key.ToString(CultureInfo.InvariantCulture), catalog.TopicName(t.Key), t.Value.ToFigures()))),
            repeats.Count,
            shownRepeats);
    }

    internal static RepeatLink ToRepeatLink(DashboardFacts.Snapshot facts, DashboardCatalog catalog, int index, long windowTicks)
    {
        ref readonly var row = ref facts.Row(index);
        ref readonly var repeat = ref facts.Row(Dashboard.FirstTimeRight.RepeatWithin(row, facts, windowTicks));
        return new RepeatLink(row.ContactId, new DateTime(row.StartedUtcTicks, DateTimeKind.Utc), row.Channel, catalog.TopicName(row.TopicId),
            repeat.ContactId, new DateTime(repeat.StartedUtcTicks, DateTimeKind.Utc), repeat.Channel);
    }

    private static List<FtrSplit> Sorted(IEnumerable<FtrSplit> splits) => splits.OrderByDescending(s => s.Figures.Questions).ThenBy(s => s.Label, StringComparer.CurrentCulture).ToList();

    private static void AddTo(Dictionary<int, FtrTally> tallies, int key, Verdict verdict, bool registered, bool routed, bool stillInWindow)
    {
        ref var tally = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(tallies, key, out _);
        tally.Add(verdict, registered, routed, stillInWindow);
    }

    /// <summary>
    /// The period's days, weeks (ISO, Monday first) or months up to today, and the bucket of every day. A period still
    /// running ends its axis today: days still to come have no figures, and drawing them would look like a drop to zero.
    /// </summary>
    internal static List<(string Label, DateOnly Start)> Buckets(DashboardFilter filter, DateOnly today, out int[] bucketOfDay)
    {
        var buckets = new List<(string Label, DateOnly Start)>();
        var last = filter.LastChartDay(today);
        bucketOfDay = new int[Math.Max(0, last.DayNumber - filter.From.DayNumber + 1)];
        var granularity = filter.EffectiveGranularity;
        string? currentKey = null;
        for (var day = filter.From; day <= last; day = day.AddDays(1))
        {
            var (key, label, start) = granularity switch
            {
                Granularity.Dag => (day.ToString("yyyyMMdd", CultureInfo.InvariantCulture), day.ToString("d MMM", DutchFormat.Culture).Replace(".", "", StringComparison.Ordinal), day),
                Granularity.Week => Week(day),
                _ => (day.ToString("yyyyMM", CultureInfo.InvariantCulture), day.ToString("MMM yyyy", DutchFormat.Culture).Replace(".", "", StringComparison.Ordinal), new DateOnly(day.Year, day.Month, 1)),
            };
            if (key != currentKey)
            {
                buckets.Add((label, start));
                currentKey = key;
            }

            bucketOfDay[day.DayNumber - filter.From.DayNumber] = buckets.Count - 1;
        }

        // A week or month cut short (the period starts or ends inside it, or it is still running) names its days, so
        // its lower count does not read as a drop: "15–30 nov 2025", "wk 48 (23–24 nov)".
        if (granularity != Granularity.Dag)
        {
            for (var i = 0; i < buckets.Count; i++)
            {
                var (label, start) = buckets[i];
                var end = granularity == Granularity.Week ? start.AddDays(6) : start.AddMonths(1).AddDays(-1);
                var first = start < filter.From ? filter.From : start;
                var final = end > last ? last : end;
                if (first != start || final != end)
                {
                    buckets[i] = (granularity == Granularity.Week ? $"{label} ({Days(first, final)})" : $"{Days(first, final)} {first.Year}", start);
                }
            }
        }

        return buckets;

        static string Days(DateOnly first, DateOnly final) =>
            first == final ? ShortDay(first)
            : first.Month == final.Month ? $"{first.Day}–{ShortDay(final)}"
            : $"{ShortDay(first)}–{ShortDay(final)}";

        static string ShortDay(DateOnly day) => day.ToString("d MMM", DutchFormat.Culture).Replace(".", "", StringComparison.Ordinal);

        static (string, string, DateOnly) Week(DateOnly day)
        {
            var date = day.ToDateTime(TimeOnly.MinValue);
            var week = ISOWeek.GetWeekOfYear(date);
            var year = ISOWeek.GetYear(date);
            return ($"{year}W{week}", $"wk {week}", DateOnly.FromDateTime(ISOWeek.ToDateTime(year, week, DayOfWeek.Monday)));
        }
    }

    /// <summary>Contacts and questions per channel against the previous period, and contact arrivals per weekday and hour.</summary>
    public static ChannelResult Channels(DashboardFacts.Snapshot facts, DashboardScope scope, DashboardScope previous, DateOnly today)
    {
        var contacts = new int[ChannelSlots];
        var questions = new int[ChannelSlots];
        var previousContacts = new int[ChannelSlots];
        var previousQuestions = new int[ChannelSlots];
        var heatmap = new int[7][];
        for (var d = 0; d < 7; d++)
        {
            heatmap[d] = new int[24];
        }

        var buckets = Buckets(scope.Filter, today, out var bucketOfDay);
        var trend = new int[ChannelSlots][];
        var fromDay = scope.Filter.From.DayNumber;
        var outgoing = new int[ChannelSlots];
        long lastContact = -1, lastPreviousContact = -1, lastOutgoingContact = -1;
        var rows = facts.Questions;
        for (var i = 0; i < rows.Length; i++)
        {
            ref readonly var row = ref rows[i];
            var channel = (int)row.Channel;
            if (scope.Matches(row))
            {
                questions[channel]++;
                // A contact's questions are stored together, so a new contact id is a new contact.
                if (row.ContactId != lastContact)
                {
                    lastContact = row.ContactId;
                    contacts[channel]++;
                    var local = row.LocalTicks;
                    var dayNumber = (int)(local / TimeSpan.TicksPerDay);
                    heatmap[(dayNumber + 7) % 7][(int)(local % TimeSpan.TicksPerDay / TimeSpan.TicksPerHour)]++;
                    var day = dayNumber - fromDay;
                    if ((uint)day < (uint)bucketOfDay.Length)
                    {
                        (trend[channel] ??= new int[buckets.Count])[bucketOfDay[day]]++;
                    }
                }
            }
            else if (!row.IsIncoming && scope.MatchesAnyDirection(row))
            {
                if (row.ContactId != lastOutgoingContact)
                {
                    lastOutgoingContact = row.ContactId;
                    outgoing[channel]++;
                }
            }
            else if (previous.Matches(row))
            {
                previousQuestions[channel]++;
                if (row.ContactId != lastPreviousContact)
                {
                    lastPreviousContact = row.ContactId;
                    previousContacts[channel]++;
                }
            }
        }

        var volumes = ContactLabels.Channels
            .Where(c => contacts[(int)c] + previousContacts[(int)c] + outgoing[(int)c] > 0)
            .Select(c => new ChannelVolume(c, contacts[(int)c], questions[(int)c], previousContacts[(int)c], previousQuestions[(int)c], outgoing[(int)c]))
            .OrderByDescending(v => v.Contacts).ToList();
        var trendByChannel = ContactLabels.Channels.Where(c => trend[(int)c] is not null).ToDictionary(c => c, c => trend[(int)c]);
        return new ChannelResult(contacts.Sum(), questions.Sum(), previousContacts.Sum(), previousQuestions.Sum(), volumes, heatmap,
            new ChannelTrend(buckets.Select(b => b.Label).ToList(), trendByChannel));
    }

    /// <summary>Handling time (end minus start of the contact) per channel: average and 90th percentile (nearest rank).</summary>
    public static IReadOnlyList<HandlingTime> Handling(DashboardFacts.Snapshot facts, DashboardScope scope)
    {
        var histograms = new SecondsHistogram?[ChannelSlots];
        long lastContact = -1;
        var rows = facts.Questions;
        for (var i = 0; i < rows.Length; i++)
        {
            ref readonly var row = ref rows[i];
            if (row.ContactId == lastContact || !scope.Matches(row))
            {
                continue;
            }

            lastContact = row.ContactId;
            (histograms[(int)row.Channel] ??= new SecondsHistogram()).Add(row.HandlingSeconds);
        }

        return ContactLabels.Channels.Where(c => histograms[(int)c] is not null)
            .Select(c => histograms[(int)c]!.ToHandlingTime(c))
            .OrderByDescending(h => h.Contacts).ToList();
    }

    /// <summary>
    /// Counts per second up to four hours, the rare longer ones kept apart: the exact 90th percentile without sorting
    /// hundreds of thousands of values for a year.
    /// </summary>
    private sealed class SecondsHistogram
    {
        private const int Limit = 4 * 3600;
        private readonly int[] counts = new int[Limit + 1];
        private readonly List<int> longer = [];
        private long total;
        private int count;

        public void Add(int seconds)
        {
            count++;
            total += seconds;
            if (seconds <= Limit)
            {
                counts[seconds]++;
            }
            else
            {
                longer.Add(seconds);
            }
        }

        public HandlingTime ToHandlingTime(Channel channel) => new(channel, count, (double)total / count, Percentile90());

        private int Percentile90()
        {
            var rank = (int)Math.Ceiling(count * 0.9);
            var seen = 0;
            for (var seconds = 0; seconds <= Limit; seconds++)
            {
                seen += counts[seconds];
                if (seen >= rank)
                {
                    return seconds;
                }
            }

            longer.Sort();
            return longer[rank - seen - 1];
        }
    }

    /// <summary>
    /// Routed questions and callbacks completed in the period: on time (completed by the promised date), average and
    /// 90th percentile time to completion; open tasks overdue now and due later today.
    /// </summary>
    public static NormResult Norms(DashboardFacts.Snapshot facts, DashboardScope scope, long nowUtcTicks)
    {
        var moment = TaskMoment.At(nowUtcTicks);
        var groups = new Dictionary<(int Team, NormKind Kind), (int Completed, int OnTime, int Overdue, int DueToday, List<long> Durations)>();
        var all = new List<long>();
        foreach (var task in facts.Tasks)
        {
            if (!scope.Matches(task))
            {
                continue;
            }

            var completedInPeriod = TaskMoment.CompletedIn(task, scope);
            var overdue = moment.Overdue(task);
            var dueToday = moment.DueToday(task);
            if (!completedInPeriod && !overdue && !dueToday)
            {
                continue;
            }

            ref var group = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(groups, (task.TeamId, task.Kind), out var exists);
            if (!exists)
            {
                group.Durations = [];
            }

            if (completedInPeriod)
            {
                group.Completed++;
                if (task.OnTime)
                {
                    group.OnTime++;
                }

                var duration = task.CompletedUtcTicks - task.CreatedUtcTicks;
                group.Durations.Add(duration);
                all.Add(duration);
            }

            group.Overdue += overdue ? 1 : 0;
            group.DueToday += dueToday ? 1 : 0;
        }

        var rows = groups.Select(g => new NormRow(g.Key.Team, scope.Catalog.TeamName(g.Key.Team), g.Key.Kind, g.Value.Completed, g.Value.OnTime,
                Hours(Average(g.Value.Durations)), Hours(P90(g.Value.Durations)), g.Value.Overdue, g.Value.DueToday))
            .OrderBy(r => r.Team, StringComparer.CurrentCulture).ThenBy(r => r.Kind).ToList();
        return new NormResult(rows.Sum(r => r.Completed), rows.Sum(r => r.OnTime), rows.Sum(r => r.OverdueNow), rows.Sum(r => r.DueToday),
            Hours(Average(all)), Hours(P90(all)), rows);

        static double? Average(List<long> values) => values.Count == 0 ? null : values.Average(v => (double)v);

        static double? P90(List<long> values)
        {
            if (values.Count == 0)
            {
                return null;
            }

            values.Sort();
            return values[(int)Math.Ceiling(values.Count * 0.9) - 1];
        }

        static double? Hours(double? ticks) => ticks / TimeSpan.TicksPerHour;
    }
}
