using System.Globalization;
using System.Text;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Audit;

public sealed record AuditRow(long Id, DateTime At, string ActorName, string Action, string EntityType, string EntityId, string Summary)
{
    /// <summary>The action in words: "Artikel gewijzigd".</summary>
    public string ActionText { get; init; } = AuditWords.Action(Action, Summary);

    /// <summary>The subject in words: "Inwoner J. de Vries", "Taak 9870 (Burgerzaken)".</summary>
    public string Subject { get; init; } = $"{EntityType} {EntityId}";

    /// <summary>Where the subject opens, when the viewer may open it.</summary>
    public string? SubjectLink { get; init; }
}

/// <summary>The audit log for a beheerder: by employee, by party (or any record) and by period; newest first.</summary>
public static class SearchAuditLog
{
    public const int MaxRows = 5_000;

    [AllowedFor(Roles.Beheerder)]
    public sealed record Query : IRequest<IReadOnlyList<AuditRow>>
    {
        /// <summary>Part of the employee's name.</summary>
        public string? Employee { get; init; }

        /// <summary>Entries about this party (klantbeeld views, BSN shown) and about its contacts and tasks.</summary>
        public int? PartyId { get; init; }

        public DateOnly? From { get; init; }

        public DateOnly? To { get; init; }

        public int Max { get; init; } = 200;
    }

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser) : IRequestHandler<Query, IReadOnlyList<AuditRow>>
    {
        public async Task<IReadOnlyList<AuditRow>> Handle(Query request, CancellationToken cancellationToken)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var entries = db.AuditEntries.AsNoTracking();
            if (!string.IsNullOrWhiteSpace(request.Employee))
            {
                // A NUL cannot occur in a name, and PostgreSQL refuses it in a query.
                var employee = request.Employee.Replace("\0", "", StringComparison.Ordinal).Trim();
                entries = entries.Where(a => a.ActorName.Contains(employee));
            }

            if (request.PartyId is { } partyId)
            {
                var id = partyId.ToString(CultureInfo.InvariantCulture);
                var contacts = (await db.Contacts.Where(c => c.PartyId == partyId).Select(c => c.Id).ToListAsync(cancellationToken))
                    .Select(c => c.ToString(CultureInfo.InvariantCulture)).ToList();
                var tasks = (await db.InternalTasks.Where(t => t.PartyId == partyId).Select(t => t.Id).ToListAsync(cancellationToken))
                    .Select(t => t.ToString(CultureInfo.InvariantCulture)).ToList();
                entries = entries.Where(a => (a.EntityType == AuditSubjects.Party && a.EntityId == id)
                    || (a.EntityType == AuditSubjects.Contact && contacts.Contains(a.EntityId))
                    || (a.EntityType == AuditSubjects.Task && tasks.Contains(a.EntityId)));
            }

            if (request.From is { Year: >= 2000 and < 2100 } from)
            {
                var fromUtc = DutchFormat.FromLocal(from.ToDateTime(TimeOnly.MinValue)).UtcDateTime;
                entries = entries.Where(a => a.At >= fromUtc);
            }

            if (request.To is { Year: >= 2000 and < 2100 } to)
            {
                var toUtc = DutchFormat.FromLocal(to.AddDays(1).ToDateTime(TimeOnly.MinValue)).UtcDateTime;
                entries = entries.Where(a => a.At < toUtc);
            }

            var rows = await entries.OrderByDescending(a => a.Id)
                .Take(Math.Clamp(request.Max, 1, MaxRows))
                .Select(a => new AuditRow(a.Id, a.At, a.ActorName, a.Action, a.EntityType, a.EntityId, a.Summary))
                .ToListAsync(cancellationToken);
            return await AuditSubjectNames.NameAsync(db, rows, await currentUser.GetPrincipalAsync(), cancellationToken);
        }
    }

    /// <summary>CSV for Dutch Excel (see <see cref="DutchCsv"/>).</summary>
    public static byte[] ToCsv(IEnumerable<AuditRow> rows)
    {
        var csv = new DutchCsv().Header("Tijd", "Medewerker", "Handeling", "Over", "Soort", "Id", "Details");
        foreach (var row in rows)
        {
            csv.Row(DutchFormat.Moment(row.At), row.ActorName, row.ActionText, row.Subject, row.EntityType, row.EntityId, row.Summary);
        }

        return csv.ToBytes();
    }
}
