using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Routing.ServiceNorms;

/// <summary>A due date with the norm it came from, as the agent tells the resident.</summary>
public sealed record PromisedDate(DateTime DueAt, NormKind Kind, int Amount, NormUnit Unit, bool ForTopic)
{
    /// <summary>"Terugbelverzoek: 1 werkdag", "Doorgezette vraag afhandelen (dit onderwerp): 3 werkdagen".</summary>
    public string Norm => $"{Kind.Label()}{(ForTopic ? " (dit onderwerp)" : "")}: {NormKinds.Term(Amount, Unit)}";
}

/// <summary>Applies the service norm that fits a routed question to the office calendar.</summary>
public sealed class PromisedDates(OfficeCalendar calendar)
{
    public async Task<PromisedDate> ForAsync(KccDbContext db, RequestedAction action, Channel channel, int topicId, DateTime fromUtc, CancellationToken cancellationToken)
    {
        var kind = NormKinds.For(action, channel);
        var norms = await db.ServiceNorms.AsNoTracking()
            .Where(n => n.Kind == kind && (n.TopicId == null || n.TopicId == topicId))
            .Select(n => new { n.TopicId, n.Amount, n.Unit })
            .ToListAsync(cancellationToken);
        var norm = norms.FirstOrDefault(n => n.TopicId == topicId) ?? norms.FirstOrDefault(n => n.TopicId == null);
        var (amount, unit) = norm is null ? NormKinds.Default(kind) : (norm.Amount, norm.Unit);
        return new PromisedDate(Apply(fromUtc, amount, unit), kind, amount, unit, norm?.TopicId is not null);
    }

    public DateTime Apply(DateTime fromUtc, int amount, NormUnit unit) => unit == NormUnit.Werkdagen
        ? calendar.AddWorkingDays(fromUtc, amount)
        : calendar.AddOfficeHours(fromUtc, TimeSpan.FromHours(amount));
}
