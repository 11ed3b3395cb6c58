using System.Security.Claims;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;

namespace Kcc.Workbench.Web.Features.Audit;

/// <summary>Writes audit entries into the caller's DbContext, so they commit (or roll back) with the change they describe.</summary>
public interface IAuditLog
{
    void Record(KccDbContext db, string actorId, string actorName, string action, string entityType, string entityId, string summary);

    /// <summary>
    /// An entry by the signed-in employee. <paramref name="summary"/> holds field names, counts or the app's own words
    /// ("Velden: naam, adres"), never personal data or text someone typed: the subject is named by its id, and the
    /// record itself says the rest for as long as it may.
    /// </summary>
    void Record(KccDbContext db, ClaimsPrincipal user, string action, string entityType, string entityId, string summary) =>
        Record(db, user.RequireUserId(), user.DisplayName(), action, entityType, entityId, summary);
}

internal sealed class AuditLog(TimeProvider clock) : IAuditLog
{
    public void Record(KccDbContext db, string actorId, string actorName, string action, string entityType, string entityId, string summary) =>
        db.AuditEntries.Add(new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime,
            ActorId = actorId,
            ActorName = Limit(actorName, 200),
            Action = Limit(action, AuditLimits.Action),
            EntityType = Limit(entityType, AuditLimits.EntityType),
            EntityId = Limit(entityId, AuditLimits.EntityId),
            Summary = Limit(summary, AuditLimits.Summary),
        });

    private static string Limit(string value, int max) => value.Length <= max ? value : value[..(max - 1)] + "…";
}
