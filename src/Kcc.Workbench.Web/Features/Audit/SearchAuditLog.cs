using System.Globalization;
using System.Text;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Audit;

public sealed record AuditRow(long Id, DateTime At, string ActorName, string Action, string EntityType, string EntityId, string Summary);

/// <summary>The audit log for a beheerder: by employee, by party (or any record) and by period; newest first.</summary>
public static class SearchAuditLog
{
    public const int MaxRows = 5_000;

    [AllowedFor(Roles.Beheerder)]
    public sealed record Query : IRequest<IReadOnlyList<AuditRow>>
    {
        /// <summary>Part of the employee's name.</summary>
        public string? Employee { get; init; }

        /// <summary>Entries about this party (klantbeeld views, BSN shown).</summary>
        public int? PartyId { get; init; }

        public DateOnly? From { get; init; }

        public DateOnly? To { get; init; }

        public int Max { get; init; } = 200;
    }

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory) : IRequestHandler<Query, IReadOnlyList<AuditRow>>
    {
        public async Task<IReadOnlyList<AuditRow>> Handle(Query request, CancellationToken cancellationToken)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var entries = db.AuditEntries.AsNoTracking();
            if (!string.IsNullOrWhiteSpace(request.Employee))
            {
                var employee = request.Employee.Trim();
                entries = entries.Where(a => a.ActorName.Contains(employee));
            }

            if (request.PartyId is { } partyId)
            {
                var id = partyId.ToString(CultureInfo.InvariantCulture);
                entries = entries.Where(a => a.EntityType == "Party" && a.EntityId == id);
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

            return await entries.OrderByDescending(a => a.Id)
                .Take(Math.Clamp(request.Max, 1, MaxRows))
                .Select(a => new AuditRow(a.Id, a.At, a.ActorName, a.Action, a.EntityType, a.EntityId, a.Summary))
                .ToListAsync(cancellationToken);
        }
    }

    /// <summary>CSV for Dutch Excel (see <see cref="DutchCsv"/>).</summary>
    public static byte[] ToCsv(IEnumerable<AuditRow> rows)
    {
        var csv = new DutchCsv().Header("Tijd", "Medewerker", "Handeling", "Soort", "Id", "Omschrijving");
        foreach (var row in rows)
        {
            csv.Row(DutchFormat.Moment(row.At), row.ActorName, row.Action, row.EntityType, row.EntityId, row.Summary);
        }

        return csv.ToBytes();
    }
}
