using System.Data.Common;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Dashboard;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Dashboard.Benchmarks;

/// <summary>The first-time-right counts of one period, straight from SQL: nothing shared with the dashboard's code.</summary>
internal sealed record SqlCounts(long Contacts, long Questions, long RegisteredRight, long Verifiable, long VerifiedRight, long Repeated, long Unverifiable, long Routed);

internal static class ExactCheck
{
    /// <summary>
    /// Questions of incoming contacts that started in the period (Amsterdam dates, both ends included). Routed: an
    /// internal task exists. Registered right: Beantwoord or Doorverwezen and not routed. Anonymous contacts cannot be
    /// verified. Repeated: registered right, and a later incoming contact of the same party has a question on the same
    /// topic that started at most the window after it in calendar days on Amsterdam's clock (a self-join over
    /// Contacts(PartyId, StartedAt); Amsterdam time from .NET's time-zone data through a SQL function).
    /// </summary>
    public static async Task<SqlCounts> CountAsync(IDbContextFactory<KccDbContext> factory, DashboardFilter period, int windowDays)
    {
        await using var db = await factory.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        if (!db.Database.IsSqlite())
        {
            return await CountPostgreSqlAsync(db, period, windowDays);
        }

        var connection = (Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection();
        connection.CreateFunction("amsterdam_seconds", (string utc) =>
            (TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(DateTime.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc), DutchFormat.Amsterdam)
                - DateTime.UnixEpoch).TotalSeconds, isDeterministic: true);
        await using var command = connection.CreateCommand();
        command.CommandTimeout = 600;
        command.CommandText = """
            WITH q AS (
                SELECT qu.Id, qu.ContactId, qu.Outcome, qu.TopicId, c.PartyId, c.StartedAt,
                       EXISTS (SELECT 1 FROM InternalTasks t WHERE t.QuestionId = qu.Id) AS Routed
                FROM Questions qu JOIN Contacts c ON c.Id = qu.ContactId
                WHERE c.StartedAt >= $from AND c.StartedAt < $to AND c.Direction = $incoming
            ), v AS (
                SELECT q.*,
                       (q.Outcome IN ($beantwoord, $doorverwezen) AND NOT q.Routed) AS RegisteredRight,
                       CASE WHEN q.PartyId IS NULL THEN 0 ELSE EXISTS (
                           SELECT 1 FROM Contacts c2 JOIN Questions q2 ON q2.ContactId = c2.Id
                           WHERE c2.PartyId = q.PartyId AND q2.TopicId = q.TopicId AND c2.Direction = $incoming
                             AND c2.StartedAt > q.StartedAt
                             AND amsterdam_seconds(c2.StartedAt) - amsterdam_seconds(q.StartedAt) <= $window) END AS LaterSameTopic
                FROM q)
            SELECT COUNT(DISTINCT ContactId),
                   COUNT(*),
                   COALESCE(SUM(RegisteredRight), 0),
                   COALESCE(SUM(PartyId IS NOT NULL), 0),
                   COALESCE(SUM(PartyId IS NOT NULL AND RegisteredRight AND NOT LaterSameTopic), 0),
                   COALESCE(SUM(PartyId IS NOT NULL AND RegisteredRight AND LaterSameTopic), 0),
                   COALESCE(SUM(PartyId IS NULL), 0),
                   COALESCE(SUM(Routed), 0)
            FROM v
            """;
        Add(command, "$from", Sql.Date(DutchFormat.FromLocal(period.From.ToDateTime(TimeOnly.MinValue)).UtcDateTime));
        Add(command, "$to", Sql.Date(DutchFormat.FromLocal(period.To.AddDays(1).ToDateTime(TimeOnly.MinValue)).UtcDateTime));
        Add(command, "$beantwoord", (int)Outcome.Beantwoord);
        Add(command, "$doorverwezen", (int)Outcome.DoorverwezenNaarAndereOrganisatie);
        Add(command, "$window", windowDays * 86400);
        Add(command, "$incoming", (int)Direction.Inkomend);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new SqlCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7));
    }

    /// <summary>
    /// The same count in PostgreSQL's dialect: quoted names, booleans counted with FILTER, and Amsterdam time from
    /// PostgreSQL's own time-zone data (<c>AT TIME ZONE 'Europe/Amsterdam'</c> on the timestamptz), so again nothing is
    /// shared with the dashboard's code.
    /// </summary>
    private static async Task<SqlCounts> CountPostgreSqlAsync(KccDbContext db, DashboardFilter period, int windowDays)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandTimeout = 600;
        command.CommandText = """
            WITH q AS (
                SELECT qu."Id", qu."ContactId", qu."Outcome", qu."TopicId", c."PartyId", c."StartedAt",
                       EXISTS (SELECT 1 FROM "InternalTasks" t WHERE t."QuestionId" = qu."Id") AS "Routed"
                FROM "Questions" qu JOIN "Contacts" c ON c."Id" = qu."ContactId"
                WHERE c."StartedAt" >= @from AND c."StartedAt" < @to AND c."Direction" = @incoming
            ), v AS (
                SELECT q.*,
                       (q."Outcome" IN (@beantwoord, @doorverwezen) AND NOT q."Routed") AS "RegisteredRight",
                       q."PartyId" IS NOT NULL AND EXISTS (
                           SELECT 1 FROM "Contacts" c2 JOIN "Questions" q2 ON q2."ContactId" = c2."Id"
                           WHERE c2."PartyId" = q."PartyId" AND q2."TopicId" = q."TopicId" AND c2."Direction" = @incoming
                             AND c2."StartedAt" > q."StartedAt"
                             AND EXTRACT(EPOCH FROM (c2."StartedAt" AT TIME ZONE 'Europe/Amsterdam'))
                                 - EXTRACT(EPOCH FROM (q."StartedAt" AT TIME ZONE 'Europe/Amsterdam')) <= @window) AS "LaterSameTopic"
                FROM q)
            SELECT COUNT(DISTINCT "ContactId"),
                   COUNT(*),
                   COUNT(*) FILTER (WHERE "RegisteredRight"),
                   COUNT(*) FILTER (WHERE "PartyId" IS NOT NULL),
                   COUNT(*) FILTER (WHERE "PartyId" IS NOT NULL AND "RegisteredRight" AND NOT "LaterSameTopic"),
                   COUNT(*) FILTER (WHERE "PartyId" IS NOT NULL AND "RegisteredRight" AND "LaterSameTopic"),
                   COUNT(*) FILTER (WHERE "PartyId" IS NULL),
                   COUNT(*) FILTER (WHERE "Routed")
            FROM v
            """;
        Add(command, "from", DutchFormat.FromLocal(period.From.ToDateTime(TimeOnly.MinValue)).UtcDateTime);
        Add(command, "to", DutchFormat.FromLocal(period.To.AddDays(1).ToDateTime(TimeOnly.MinValue)).UtcDateTime);
        Add(command, "beantwoord", (int)Outcome.Beantwoord);
        Add(command, "doorverwezen", (int)Outcome.DoorverwezenNaarAndereOrganisatie);
        Add(command, "window", windowDays * 86400);
        Add(command, "incoming", (int)Direction.Inkomend);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new SqlCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7));
    }

    /// <summary>The differences between SQL and the dashboard's figures; empty when they agree exactly.</summary>
    public static List<string> Compare(SqlCounts sql, GetDashboard.Response view)
    {
        var ftr = view.Ftr.Total;
        var differences = new List<string>();
        void Check(string name, long expected, long actual)
        {
            if (expected != actual)
            {
                differences.Add($"{name}: SQL {expected:N0}, dashboard {actual:N0}");
            }
        }

        Check("contacts", sql.Contacts, view.Channels.Contacts);
        Check("questions (channels)", sql.Questions, view.Channels.Questions);
        Check("questions (FTR)", sql.Questions, ftr.Questions);
        Check("registered right", sql.RegisteredRight, ftr.RegisteredRight);
        Check("verifiable", sql.Verifiable, ftr.Verifiable);
        Check("verified right", sql.VerifiedRight, ftr.VerifiedRight);
        Check("repeated", sql.Repeated, ftr.Repeated);
        Check("unverifiable (anonymous)", sql.Unverifiable, ftr.Unverifiable);
        Check("routed", sql.Routed, ftr.Routed);
        return differences;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
