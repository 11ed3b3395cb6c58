using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Data.DemoData;
using Kcc.Workbench.Web.Features.Account;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Routing;
using Kcc.Workbench.Web.Features.Routing.ServiceNorms;
using Kcc.Workbench.Web.Features.Teams;
using Kcc.Workbench.Web.Features.Topics;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kcc.Workbench.Dashboard.Benchmarks;

/// <summary>What the generator made, for the report and the later steps.</summary>
internal sealed record Generated(
    int Parties,
    int Contacts,
    int Questions,
    int AnonymousContacts,
    int RepeatContacts,
    int Tasks,
    int OpenTasks,
    int LateTasks,
    IReadOnlyList<(int Id, string Name)> Topics,
    IReadOnlyDictionary<int, int> TeamOfTopic,
    IReadOnlyDictionary<string, int> Teams,
    IReadOnlyList<int> PartyIds,
    TimeSpan Elapsed);

/// <summary>
/// A year of a city of about 250,000 residents: teams, demo topics, routing rules and default norms through EF Core,
/// then parties, contacts, questions and internal tasks with raw ADO.NET prepared commands in one transaction
/// (fixed seed). Contacts are generated in time order, so ids rise with time as in a real database.
/// </summary>
internal static class Generator
{
    private static readonly (Channel Channel, int Weight)[] ChannelMix =
        [(Channel.Telefoon, 48), (Channel.Balie, 22), (Channel.Email, 14), (Channel.WhatsApp, 9), (Channel.Post, 2), (Channel.Website, 3), (Channel.Chat, 2)];

    private static readonly (Outcome Outcome, int Weight)[] OutcomeMix =
        [(Outcome.Beantwoord, 72), (Outcome.Doorverbonden, 5), (Outcome.DoorgezetNaarBackoffice, 11), (Outcome.Terugbelverzoek, 5), (Outcome.DoorverwezenNaarAndereOrganisatie, 4), (Outcome.NietAfgehandeld, 3)];

    private static readonly (RequestedAction Action, int Weight)[] ActionMix =
        [(RequestedAction.InBehandelingNemen, 45), (RequestedAction.BeantwoordenPerEmail, 25), (RequestedAction.AfspraakMaken, 15), (RequestedAction.BeantwoordenPerBrief, 10), (RequestedAction.Terugbellen, 5)];

    // Arrivals per half hour from 08:30 to 17:00: a morning peak, a dip at lunch, quiet at the end of the day.
    private static readonly int[] HalfHourWeights = [6, 10, 12, 13, 13, 12, 11, 9, 8, 9, 10, 10, 9, 8, 7, 6, 4];

    private static readonly double[] WeekdayWeights = [1.25, 1.05, 1.0, 0.95, 0.8]; // Monday .. Friday

    private static readonly string[] FirstNames = ["Jan", "Sanne", "Mohamed", "Emma", "Daan", "Fatima", "Lucas", "Noor", "Piet", "Zeynep", "Wei", "Anouk"];

    private static readonly string[] LastNames = ["Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Yılmaz", "El Amrani", "Nowak", "de Boer"];

    public const int AgentCount = 40;

    public static string AgentId(int index) => $"bench-agent-{index + 1:00}";

    public static async Task<Generated> RunAsync(IServiceProvider services, int questionCount, int seed)
    {
        var watch = Stopwatch.StartNew();
        var factory = services.GetRequiredService<IDbContextFactory<KccDbContext>>();
        var calendar = services.GetRequiredService<OfficeCalendar>();
        var now = DateTime.UtcNow;
        var random = new Random(seed);

        // Reference data as the app has it: teams, topics with their team, a routing rule per topic, default norms.
        await using var db = await factory.CreateDbContextAsync();
        db.Teams.AddRange(DemoSeeder.TeamNames.Select(name => new Team { Name = name }));
        await db.SaveChangesAsync();
        var teams = await db.Teams.ToDictionaryAsync(t => t.Name, t => t.Id);
        db.Topics.AddRange(DemoTopics.All.Select(t => new Topic
        {
            Name = t.Name,
            Uri = t.Uri,
            SearchName = Web.Features.Parties.Identifiers.FoldForSearch(t.Name),
            DefaultTeamId = teams.TryGetValue(t.Team, out var team) ? team : teams["KCC"],
            UpdatedAt = now,
        }));
        await NormKinds.EnsureDefaultsAsync(db, now);
        for (var i = 0; i < AgentCount; i++)
        {
            var employee = new Employee
            {
                Id = AgentId(i),
                UserName = $"agent{i + 1:00}",
                NormalizedUserName = $"AGENT{i + 1:00}",
                DisplayName = $"{FirstNames[i % FirstNames.Length]} {LastNames[i / FirstNames.Length % LastNames.Length]} {i + 1}",
                SecurityStamp = Guid.NewGuid().ToString(),
            };
            db.Users.Add(employee);
            db.TeamMemberships.Add(new TeamMembership { EmployeeId = employee.Id, TeamId = teams["KCC"] });
        }

        await db.SaveChangesAsync();
        await RoutingRules.FillFromTopicTeamsAsync(db, now, CancellationToken.None);
        var topics = await db.Topics.OrderBy(t => t.Id).Select(t => new { t.Id, t.Name }).ToListAsync();
        var teamOfTopic = await db.RoutingRules.ToDictionaryAsync(r => r.TopicId, r => r.TeamId);
        var agents = await db.Users.Where(u => u.Id.StartsWith("bench-agent-")).OrderBy(u => u.Id).Select(u => new { u.Id, u.DisplayName }).ToListAsync();
        var norms = await db.ServiceNorms.AsNoTracking().Where(n => n.TopicId == null).ToDictionaryAsync(n => n.Kind, n => (n.Amount, n.Unit));
        var promises = new PromisedDates(calendar);

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        var sqlite = db.Database.IsSqlite();
        if (sqlite)
        {
            Exec(connection, "PRAGMA cache_size=-262144;");
        }

        await using var transaction = await connection.BeginTransactionAsync();

        // Parties: a city of 250,000 residents, of whom about 150,000 contact the municipality in a year.
        var partyCount = Math.Max(100, (int)(questionCount * 0.15));
        using var insertParty = Command(connection, transaction,
            "INSERT INTO Parties (Id, Kind, FirstNames, LastName, Postcode, HouseNumber, City, SearchName, CreatedAt, Version) VALUES ($id, 1, $first, $last, $postcode, $number, 'Benchstad', $search, $created, 1)",
            "$id", "$first", "$last", "$postcode", "$number", "$search", "$created");
        var partyIds = new int[partyCount];
        for (var i = 0; i < partyCount; i++)
        {
            var first = FirstNames[random.Next(FirstNames.Length)];
            var last = LastNames[random.Next(LastNames.Length)];
            Set(insertParty, i + 1, first, last, $"{1000 + random.Next(8999)}AB", 1 + random.Next(200), $"{last} {first}".ToLowerInvariant(), now.AddDays(-random.Next(2000)));
            insertParty.ExecuteNonQuery();
            partyIds[i] = i + 1;
        }

        // Contacts: on average 1.22 questions each, exactly questionCount questions in all.
        var contactCount = (int)Math.Round(questionCount / 1.22);
        var questionsPerContact = new byte[contactCount];
        var sum = 0;
        for (var i = 0; i < contactCount; i++)
        {
            questionsPerContact[i] = (byte)(random.NextDouble() switch { < 0.80 => 1, < 0.98 => 2, _ => 3 });
            sum += questionsPerContact[i];
        }

        while (sum != questionCount)
        {
            var i = random.Next(contactCount);
            if (sum > questionCount && questionsPerContact[i] > 1)
            {
                questionsPerContact[i]--;
                sum--;
            }
            else if (sum < questionCount && questionsPerContact[i] < 3)
            {
                questionsPerContact[i]++;
                sum++;
            }
        }

        var moments = Moments(random, now, contactCount);

        using var insertContact = Command(connection, transaction,
            "INSERT INTO Contacts (Id, PartyId, AgentId, AgentName, Channel, Direction, StartedAt, EndedAt, IsConfidential, Language, CreatedAt) " +
            "VALUES ($id, $party, $agent, $agentName, $channel, $direction, $started, $ended, $confidential, 'nl', $ended)",
            "$id", "$party", "$agent", "$agentName", "$channel", "$direction", "$started", "$ended", "$confidential");
        using var insertQuestion = Command(connection, transaction,
            "INSERT INTO Questions (Id, ContactId, Sequence, TopicId, Text, Answer, Outcome, ReferredTo, NeedsRouting) " +
            "VALUES ($id, $contact, $sequence, $topic, $text, $answer, $outcome, $referred, $routing)",
            "$id", "$contact", "$sequence", "$topic", "$text", "$answer", "$outcome", "$referred", "$routing");
        using var insertTask = Command(connection, transaction,
            "INSERT INTO InternalTasks (Id, QuestionId, ContactId, PartyId, TopicId, Channel, TeamId, AssigneeId, AssigneeName, Action, Explanation, ReachBy, ReachAt, " +
            "Status, Step, DueAt, Norm, CreatedAt, CreatedById, CreatedByName, UpdatedAt, Attempts, Result, CompletedAt, CompletedByName, Version) " +
            "VALUES ($id, $question, $contact, $party, $topic, $channel, $team, $assignee, $assigneeName, $action, $explanation, $reachBy, $reachAt, " +
            "$status, $step, $due, $norm, $created, $createdBy, $createdByName, $updated, 0, $result, $completed, $completedBy, $version)",
            "$id", "$question", "$contact", "$party", "$topic", "$channel", "$team", "$assignee", "$assigneeName", "$action", "$explanation", "$reachBy", "$reachAt",
            "$status", "$step", "$due", "$norm", "$created", "$createdBy", "$createdByName", "$updated", "$result", "$completed", "$completedBy", "$version");

        // Recent identified contacts (about five working days of them), for repeat contacts on the same topic.
        var recent = new (int Party, int Topic, DateTime At)[Math.Max(50, (int)(contactCount / 261.0 * 5 * 0.82))];
        var recentCount = 0;
        long questionId = 0, taskId = 0;
        int anonymous = 0, repeats = 0, open = 0, late = 0;
        var normTexts = new Dictionary<NormKind, string>();
        for (var c = 0; c < contactCount; c++)
        {
            var contactId = c + 1;
            var startedAt = moments[c];
            var channel = Pick(random, ChannelMix);
            int? partyId = random.NextDouble() < 0.18 ? null : partyIds[random.Next(partyCount)];
            var topicIndex = (int)(topics.Count * Math.Pow(random.NextDouble(), 1.4));

            // About 4% of contacts are a resident coming back on the same topic within a week.
            if (random.NextDouble() < 0.04 && recentCount > 0)
            {
                var earlier = recent[random.Next(Math.Min(recentCount, recent.Length))];
                if ((startedAt - earlier.At).TotalDays is > 0 and < 7)
                {
                    partyId = earlier.Party;
                    topicIndex = earlier.Topic;
                    repeats++;
                }
            }

            anonymous += partyId is null ? 1 : 0;
            var agent = agents[random.Next(agents.Count)];
            var endedAt = startedAt.AddSeconds(channel switch
            {
                Channel.Telefoon => 90 + random.Next(420),
                Channel.Balie => 180 + random.Next(720),
                Channel.Email or Channel.Post or Channel.Website => 120 + random.Next(600),
                _ => 60 + random.Next(300),
            });
            Set(insertContact, contactId, partyId, agent.Id, agent.DisplayName, (int)channel, random.NextDouble() < 0.93 ? (int)Direction.Inkomend : (int)Direction.Uitgaand,
                startedAt, endedAt, random.NextDouble() < 0.03);
            insertContact.ExecuteNonQuery();

            for (var q = 0; q < questionsPerContact[c]; q++)
            {
                var topic = topics[q == 0 ? topicIndex : random.Next(topics.Count)];
                var outcome = Pick(random, OutcomeMix);
                Set(insertQuestion, ++questionId, contactId, q + 1, topic.Id, $"Vraag over {topic.Name}.",
                    outcome is Outcome.Beantwoord ? "Uitgelegd volgens de kennisbank." : null, (int)outcome,
                    outcome is Outcome.DoorverwezenNaarAndereOrganisatie ? "Belastingdienst" : null, outcome.NeedsRouting());
                insertQuestion.ExecuteNonQuery();
                if (!outcome.NeedsRouting())
                {
                    continue;
                }

                // The internal task, created when the contact ended; most completed, some late, recent ones partly open.
                var action = outcome == Outcome.Terugbelverzoek ? RequestedAction.Terugbellen : Pick(random, ActionMix);
                if (partyId is null && action is RequestedAction.BeantwoordenPerBrief or RequestedAction.BeantwoordenPerEmail)
                {
                    action = RequestedAction.InBehandelingNemen;
                }

                var kind = NormKinds.For(action, channel);
                var (amount, unit) = norms.TryGetValue(kind, out var norm) ? norm : NormKinds.Default(kind);
                var created = endedAt;
                var due = promises.Apply(created, amount, unit);
                var age = now - created;
                var openChance = due > now ? (age.TotalDays < 2 ? 0.95 : 0.85) : (now - due).TotalDays < 3 ? 0.5 : age.TotalDays < 30 ? 0.03 : 0;
                var isOpen = random.NextDouble() < openChance;
                var officeTerm = unit == NormUnit.Werkdagen ? TimeSpan.FromHours((amount + 1) * 8.5) : TimeSpan.FromHours(amount);
                var share = random.NextDouble() < 0.88 ? 0.1 + (random.NextDouble() * 0.7) : 1.2 + random.NextDouble();
                DateTime? completed = isOpen ? null : Min(calendar.AddOfficeHours(created, officeTerm * share), now.AddMinutes(-1));
                var teamId = teamOfTopic[topic.Id];
                var assigned = !isOpen || random.NextDouble() < 0.45;
                var assigneeId = assigned ? $"bench-bo-{teamId}-{random.Next(8)}" : null;
                var assigneeName = assigned ? $"Backoffice {teamId}.{assigneeId![^1]}" : null;
                var claimed = assigned ? Max(created, Min(created.AddMinutes(15 + random.Next(300)), (completed ?? now).AddMinutes(-5))) : (DateTime?)null;
                if (!normTexts.TryGetValue(kind, out var normText))
                {
                    normText = new PromisedDate(due, kind, amount, unit, ForTopic: false).Norm;
                    normTexts[kind] = normText;
                }

                open += isOpen ? 1 : 0;
                late += (completed ?? now) > due ? 1 : 0;
                var reachBy = action switch
                {
                    RequestedAction.Terugbellen => ReachBy.Telefoon,
                    RequestedAction.BeantwoordenPerEmail => ReachBy.Email,
                    _ => (ReachBy?)null,
                };
                var reachAt = reachBy switch { ReachBy.Telefoon => "06-12345678", ReachBy.Email => "inwoner@voorbeeld.nl", _ => null };
                Set(insertTask, ++taskId, questionId, contactId, partyId, topic.Id, (int)channel, teamId, assigneeId, assigneeName, (int)action,
                    "Graag oppakken.", (int?)reachBy, reachAt,
                    isOpen ? (int)InternalTaskStatus.TeVerwerken : (int)InternalTaskStatus.Verwerkt,
                    (int)(isOpen ? (assigned ? TaskStep.InBehandeling : TaskStep.Nieuw) : TaskStep.Afgerond),
                    due, normText, created, agent.Id, agent.DisplayName, completed ?? claimed ?? created,
                    isOpen ? null : "Inwoner geïnformeerd.", completed, completed is null ? null : assigneeName,
                    1 + (claimed is null ? 0 : 1) + (completed is null ? 0 : 1));
                insertTask.ExecuteNonQuery();
            }

            if (partyId is not null)
            {
                recent[recentCount++ % recent.Length] = (partyId.Value, topicIndex, startedAt);
            }
        }

        await transaction.CommitAsync();
        if (sqlite)
        {
            Exec(connection, "ANALYZE;");
            Exec(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        }
        else
        {
            // The ids were given explicitly: move the identity sequences past them, as the app inserts after these.
            foreach (var table in new[] { "Parties", "Contacts", "Questions", "InternalTasks" })
            {
                Exec(connection, $"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'Id'), (SELECT MAX(\"Id\") FROM \"{table}\"))");
            }

            Exec(connection, "VACUUM ANALYZE;");
        }
        return new Generated(partyCount, contactCount, (int)questionId, anonymous, repeats, (int)taskId, open, late,
            topics.Select(t => (t.Id, t.Name)).ToList(), teamOfTopic, teams, partyIds, watch.Elapsed);
    }

    /// <summary>
    /// Start moments of the contacts, oldest first: weekdays of the 365 days before now (Mondays busiest), office hours
    /// 08:30–17:00 Amsterdam time with a morning peak, whole seconds, today only up to 15 minutes before now.
    /// </summary>
    private static DateTime[] Moments(Random random, DateTime nowUtc, int count)
    {
        var nowLocal = DutchFormat.ToLocal(nowUtc);
        var days = new List<(DateTime Day, double Weight)>();
        for (var day = nowLocal.Date.AddDays(-365); day <= nowLocal.Date; day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                continue;
            }

            var weight = WeekdayWeights[(int)day.DayOfWeek - 1];
            if (day == nowLocal.Date)
            {
                // Today: only the part of the office day that has passed.
                weight *= Math.Clamp((nowLocal.AddMinutes(-15) - day.AddHours(8.5)).TotalHours / 8.5, 0, 1);
            }

            if (weight > 0)
            {
                days.Add((day, weight));
            }
        }

        var totalWeight = days.Sum(d => d.Weight);
        var moments = new DateTime[count];
        var halfHourTotal = HalfHourWeights.Sum();
        var index = 0;
        var carry = 0.0;
        foreach (var (day, weight) in days)
        {
            carry += count * weight / totalWeight;
            var n = day == days[^1].Day ? count - index : Math.Min(count - index, (int)Math.Round(carry));
            carry -= n;
            var seconds = new int[n];
            // Today's contacts have all ended by now (the longest lasts 15 minutes): nothing is stamped in the future.
            var limit = day == nowLocal.Date ? (int)(nowLocal - day).TotalSeconds - 900 : int.MaxValue;
            for (var i = 0; i < n; i++)
            {
                int second;
                do
                {
                    var roll = random.Next(halfHourTotal);
                    var slot = 0;
                    while (roll >= HalfHourWeights[slot])
                    {
                        roll -= HalfHourWeights[slot++];
                    }

                    second = (8 * 3600) + (30 * 60) + (slot * 1800) + random.Next(1800);
                }
                while (second >= limit);

                seconds[i] = second;
            }

            Array.Sort(seconds);
            foreach (var second in seconds)
            {
                moments[index++] = DutchFormat.FromLocal(day.AddSeconds(second)).UtcDateTime;
            }
        }

        return moments;
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static T Pick<T>(Random random, (T Value, int Weight)[] mix)
    {
        var roll = random.Next(100);
        foreach (var (value, weight) in mix)
        {
            if (roll < weight)
            {
                return value;
            }

            roll -= weight;
        }

        return mix[^1].Value;
    }

    private static void Exec(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        command.ExecuteNonQuery();
    }

    // The demo data's prepared-command helpers: dates as EF Core stores them, booleans as 0/1.
    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql, params string[] parameters) =>
        DemoContacts.Command(connection, transaction, sql, parameters);

    private static void Set(DbCommand command, params object?[] values) => DemoContacts.Set(command, values);
}

internal static class Sql
{
    public static string Date(DateTime d) => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
}
