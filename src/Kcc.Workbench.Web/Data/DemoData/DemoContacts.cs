using System.Data.Common;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Data.DemoData;

/// <summary>
/// A year of synthetic contacts for the dashboard: fixed random seed, Dutch names, the channel mix of a real KCC
/// (Telefoon most, then Balie, E-mail, WhatsApp), office hours, and a few percent repeat contacts.
/// Raw ADO.NET with prepared commands in one transaction: EF SaveChanges is ~15× slower for this volume.
/// </summary>
internal static class DemoContacts
{
    private static readonly string[] FirstNames =
    [
        "Jan", "Piet", "Kees", "Henk", "Sanne", "Lotte", "Emma", "Julia", "Sophie", "Daan", "Sem", "Lucas", "Milan", "Fleur", "Anouk", "Mohamed", "Fatima",
        "Ayoub", "Yasmina", "Noah", "Levi", "Eva", "Lisa", "Tim", "Bas", "Ingrid", "Wilma", "Gerrit", "Johan", "Annelies", "Marieke", "Özlem", "Mehmet",
        "Priya", "Wei", "Agnieszka", "Tomasz", "Chantal", "Roel", "Femke", "Joris", "Hanneke", "Thijs", "Noor", "Zeynep", "Karim", "Sevda", "Ruud",
    ];

    private static readonly (string? Prefix, string Last)[] LastNames =
    [
        (null, "Jansen"), ("de", "Vries"), ("van den", "Berg"), (null, "Bakker"), ("van", "Dijk"), (null, "Visser"), (null, "Smit"), (null, "Meijer"),
        ("de", "Boer"), (null, "Mulder"), ("de", "Groot"), (null, "Bos"), (null, "Vos"), (null, "Peters"), (null, "Hendriks"), ("van", "Leeuwen"),
        (null, "Dekker"), (null, "Brouwer"), ("de", "Wit"), (null, "Dijkstra"), (null, "Smits"), ("de", "Graaf"), ("van der", "Meer"), (null, "Kok"),
        (null, "Yılmaz"), (null, "El Amrani"), (null, "Kaya"), (null, "Bouzid"), (null, "Nowak"), (null, "Öztürk"), (null, "Janssen"), ("van", "Beek"),
    ];

    private static readonly string[] Streets = ["Dorpsstraat", "Kerkstraat", "Stationsweg", "Molenweg", "Schoolstraat", "Julianalaan", "Beatrixstraat", "Wilhelminapark", "Eikenlaan", "Lindelaan", "Havenkade", "Marktplein"];

    private static readonly (string Id, string Name)[] Agents =
    [
        ("demo-agent-1", "Sara de Jong"), ("demo-agent-2", "Mark Willems"), ("demo-agent-3", "Nadia Amrani"), ("demo-agent-4", "Peter van Loon"),
        ("demo-agent-5", "Iris Kramer"), ("demo-agent-6", "Ahmet Demir"), ("demo-agent-7", "Linda Verhoeven"),
    ];

    private static readonly (Channel Channel, int Weight)[] ChannelMix =
        [(Channel.Telefoon, 48), (Channel.Balie, 22), (Channel.Email, 14), (Channel.WhatsApp, 9), (Channel.Post, 2), (Channel.Website, 3), (Channel.Chat, 2)];

    private static readonly (Outcome Outcome, int Weight)[] OutcomeMix =
        [(Outcome.Beantwoord, 72), (Outcome.Doorverbonden, 5), (Outcome.DoorgezetNaarBackoffice, 11), (Outcome.Terugbelverzoek, 5), (Outcome.DoorverwezenNaarAndereOrganisatie, 4), (Outcome.NietAfgehandeld, 3)];

    private static readonly string[] QuestionTemplates =
        ["Vraag over {0}.", "Hoe werkt {0}?", "Wat kost {0} en hoe lang duurt het?", "Inwoner wil weten wat nodig is voor {0}.", "Status van aanvraag {0}.", "Klacht over afhandeling {0}."];

    /// <summary>Generates the contacts and logs progress at every tenth ("Demodata: 20.000 van 50.000 contacten").</summary>
    public static async Task GenerateAsync(IDbContextFactory<KccDbContext> factory, TimeProvider clock, int contactCount, ILogger logger, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (contactCount <= 0 || await db.Contacts.AnyAsync(cancellationToken))
        {
            return;
        }

        var topics = await db.Topics.Where(t => t.IsActive).OrderBy(t => t.Id).Select(t => new { t.Id, t.Name }).ToListAsync(cancellationToken);
        var frontOffice = await db.Users.Where(u => u.UserName == "fo.demo").Select(u => new { u.Id, u.DisplayName }).FirstOrDefaultAsync(cancellationToken);
        var agents = Agents.ToList();
        if (frontOffice is not null)
        {
            agents.Add((frontOffice.Id, frontOffice.DisplayName));
        }

        var random = new Random(20261125);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;

        var partyCount = Math.Max(50, contactCount * 3 / 10);
        var partyIds = await InsertPartiesAsync(connection, transaction, random, partyCount, now, cancellationToken);

        await using var insertContact = Command(connection, transaction,
            "INSERT INTO Contacts (PartyId, AgentId, AgentName, Channel, Direction, StartedAt, EndedAt, IsConfidential, Language, CreatedAt) " +
            "VALUES ($party, $agent, $agentName, $channel, $direction, $started, $ended, $confidential, 'nl', $ended) RETURNING Id",
            "$party", "$agent", "$agentName", "$channel", "$direction", "$started", "$ended", "$confidential");
        await using var insertQuestion = Command(connection, transaction,
            "INSERT INTO Questions (ContactId, Sequence, TopicId, Text, Answer, Outcome, ReferredTo, NeedsRouting) " +
            "VALUES ($contact, $sequence, $topic, $text, $answer, $outcome, $referred, $routing)",
            "$contact", "$sequence", "$topic", "$text", "$answer", "$outcome", "$referred", "$routing");

        // Contacts spread over the past year, oldest first, so repeat contacts can look back at recent ones.
        var recent = new List<(int PartyId, int TopicIndex, DateTime At)>();
        var today = DutchFormat.ToLocal(now).Date;
        var tenth = Math.Max(1, (contactCount + 9) / 10);
        logger.LogInformation("Demodata: {Count} contacten maken over het afgelopen jaar", contactCount.ToString("N0", DutchFormat.Culture));
        for (var i = 0; i < contactCount; i++)
        {
            if (i > 0 && i % tenth == 0)
            {
                logger.LogInformation("Demodata: {Done} van {Count} contacten", i.ToString("N0", DutchFormat.Culture), contactCount.ToString("N0", DutchFormat.Culture));
            }

            var startedAt = OfficeHourMoment(random, today, i, contactCount);
            var channel = Pick(random, ChannelMix);
            int? partyId = random.NextDouble() < 0.18 ? null : partyIds[random.Next(partyIds.Count)];
            var topicIndex = random.Next(topics.Count);

            // About 4% of contacts are a resident coming back on the same topic within a week.
            if (random.NextDouble() < 0.04 && recent.Count > 0)
            {
                var earlier = recent[random.Next(Math.Max(0, recent.Count - 400), recent.Count)];
                if ((startedAt - earlier.At).TotalDays is > 0 and < 7)
                {
                    partyId = earlier.PartyId;
                    topicIndex = earlier.TopicIndex;
                }
            }

            var agent = agents[random.Next(agents.Count)];
            var duration = TimeSpan.FromSeconds(channel switch
            {
                Channel.Telefoon => 90 + random.Next(420),
                Channel.Balie => 180 + random.Next(720),
                Channel.Email or Channel.Post or Channel.Website => 120 + random.Next(600),
                _ => 60 + random.Next(300),
            });
            Set(insertContact, partyId, agent.Id, agent.Name, (int)channel, random.NextDouble() < 0.93 ? (int)Direction.Inkomend : (int)Direction.Uitgaand,
                startedAt, startedAt + duration, random.NextDouble() < 0.03);
            var contactId = Convert.ToInt64(await insertContact.ExecuteScalarAsync(cancellationToken), DutchFormat.Culture);

            var questionCount = random.NextDouble() switch { < 0.8 => 1, < 0.97 => 2, _ => 3 };
            for (var q = 0; q < questionCount; q++)
            {
                var topic = topics[q == 0 ? topicIndex : random.Next(topics.Count)];
                var outcome = Pick(random, OutcomeMix);
                Set(insertQuestion, contactId, q + 1, topic.Id,
                    string.Format(DutchFormat.Culture, QuestionTemplates[random.Next(QuestionTemplates.Length)], topic.Name),
                    outcome is Outcome.Beantwoord ? $"Uitgelegd volgens de kennisbank: {topic.Name}." : null,
                    (int)outcome,
                    outcome is Outcome.DoorverwezenNaarAndereOrganisatie ? "Belastingdienst" : null,
                    outcome.NeedsRouting());
                await insertQuestion.ExecuteNonQueryAsync(cancellationToken);
            }

            if (partyId is not null)
            {
                recent.Add((partyId.Value, topicIndex, startedAt));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Demodata: {Count} van {Count} contacten", contactCount.ToString("N0", DutchFormat.Culture), contactCount.ToString("N0", DutchFormat.Culture));
    }

    private static async Task<List<int>> InsertPartiesAsync(DbConnection connection, DbTransaction transaction, Random random, int count, DateTime now, CancellationToken cancellationToken)
    {
        await using var insertParty = Command(connection, transaction,
            "INSERT INTO Parties (Kind, FirstNames, Prefix, LastName, Bsn, DateOfBirth, Street, HouseNumber, Postcode, City, SearchName, CreatedAt, Version) " +
            "VALUES (1, $first, $prefix, $last, $bsn, $birth, $street, $number, $postcode, 'Demodorp', $search, $created, 1) RETURNING Id",
            "$first", "$prefix", "$last", "$bsn", "$birth", "$street", "$number", "$postcode", "$search", "$created");
        await using var insertDetail = Command(connection, transaction,
            "INSERT INTO PartyContactDetails (PartyId, Kind, Value, NormalizedValue) VALUES ($party, $kind, $value, $normalized)",
            "$party", "$kind", "$value", "$normalized");

        var ids = new List<int>(count);
        var bsnSeed = 100_000_000;
        for (var i = 0; i < count; i++)
        {
            var first = FirstNames[random.Next(FirstNames.Length)];
            var (prefix, last) = LastNames[random.Next(LastNames.Length)];
            bsnSeed = NextValidBsn(bsnSeed + 1 + random.Next(50));
            var birth = new DateOnly(1935, 1, 1).AddDays(random.Next(365 * 70));
            var postcode = $"{1000 + random.Next(8999)}{(char)('A' + random.Next(17))}{(char)('B' + random.Next(17))}";
            Set(insertParty, first, prefix, last, bsnSeed.ToString(DutchFormat.Culture), birth,
                Streets[random.Next(Streets.Length)], 1 + random.Next(180), postcode,
                Identifiers.FoldForSearch($"{last} {first} {prefix}"), now.AddDays(-random.Next(400)));
            var id = Convert.ToInt32(await insertParty.ExecuteScalarAsync(cancellationToken), DutchFormat.Culture);
            ids.Add(id);

            var phone = $"06{random.Next(10_000_000, 99_999_999)}";
            Set(insertDetail, id, (int)ContactDetailKind.Phone, $"06-{phone[2..]}", phone);
            await insertDetail.ExecuteNonQueryAsync(cancellationToken);
            if (random.NextDouble() < 0.6)
            {
                var email = $"{Identifiers.FoldForSearch(first).Replace(" ", "", StringComparison.Ordinal)}.{Identifiers.FoldForSearch(last).Replace(" ", "", StringComparison.Ordinal)}{i}@voorbeeld.nl";
                Set(insertDetail, id, (int)ContactDetailKind.Email, email, email);
                await insertDetail.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        return ids;
    }

    private static int NextValidBsn(int candidate)
    {
        while (!Identifiers.IsValidBsn(candidate.ToString(DutchFormat.Culture)))
        {
            candidate++;
        }

        return candidate;
    }

    /// <summary>A weekday moment between 08:30 and 17:00 Amsterdam time in the year before today, moving forward with the index.</summary>
    private static DateTime OfficeHourMoment(Random random, DateTime today, int index, int count)
    {
        var day = today.AddDays(-365 + (365.0 * index / count)).Date;
        // Weekend moments spread over that week's working days, so no weekday gets twice the traffic (the heatmap shows it).
        if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            var monday = day.AddDays(day.DayOfWeek == DayOfWeek.Saturday ? -5 : -6);
            day = monday.AddDays(index % 5);
        }

        return DutchFormat.FromLocal(day.AddMinutes(8 * 60 + 30 + random.Next(510))).UtcDateTime;
    }

    private static T Pick<T>(Random random, (T Value, int Weight)[] mix)
    {
        var roll = random.Next(mix.Sum(m => m.Weight));
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

    /// <summary>
    /// A prepared insert for SQLite and PostgreSQL alike: table and column names (PascalCase words outside quotes) are
    /// quoted, as EF Core created them, and parameters are written <c>$name</c> here and sent as <c>@name</c>.
    /// </summary>
    internal static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = NeutralSql(sql);
        foreach (var name in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name.TrimStart('$');
            command.Parameters.Add(parameter);
        }

        if (command is not Npgsql.NpgsqlCommand)
        {
            // Npgsql prepares once the values (and so the types) are known; SQLite can prepare now.
            command.Prepare();
        }

        return command;
    }

    internal static string NeutralSql(string sql)
    {
        var parts = sql.Split('\'');
        for (var i = 0; i < parts.Length; i += 2)
        {
            parts[i] = System.Text.RegularExpressions.Regex.Replace(parts[i], @"(?<![$@\w""])([A-Z][a-z][A-Za-z]*)\b", "\"$1\"");
            parts[i] = parts[i].Replace("$", "@", StringComparison.Ordinal);
        }

        return string.Join('\'', parts);
    }

    /// <summary>SQLite stores times as text and booleans as 0/1 (as EF Core does); PostgreSQL takes the values as they are.</summary>
    internal static void Set(DbCommand command, params object?[] values)
    {
        var sqlite = command is not Npgsql.NpgsqlCommand;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] switch
            {
                null => DBNull.Value,
                bool b when sqlite => b ? 1 : 0,
                DateTime d when sqlite => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture),
                DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Utc),
                DateOnly d when sqlite => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                var v => v,
            };
        }
    }
}
