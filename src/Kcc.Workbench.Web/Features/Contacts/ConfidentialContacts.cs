using System.Security.Claims;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Routing;
using Kcc.Workbench.Web.Infrastructure;

namespace Kcc.Workbench.Web.Features.Contacts;

/// <summary>
/// Who may read a confidential contact (need to know, AVG). The KCC roles — Frontoffice, Teamleider, Beheerder — see
/// every contact: they answer the resident and steer on the whole. The back office sees a confidential contact only
/// when one of its questions was routed to a team they are in (or to them), or when they logged it themselves.
/// With several roles the most permissive one wins: a back-office employee who also works at the front desk
/// answers the same residents there and needs the whole history, so any KCC role lifts the restriction.
/// Kennisbeheerders send no request that returns contacts, so they need no rule here.
/// </summary>
public sealed record ContactAccess(string UserId, bool SeesAllConfidential)
{
    public static ContactAccess For(ClaimsPrincipal user) => new(
        user.RequireUserId(),
        user.IsInRole(Roles.Frontoffice) || user.IsInRole(Roles.Teamleider) || user.IsInRole(Roles.Beheerder));

    public static async Task<ContactAccess> ForAsync(ICurrentUser currentUser) => For(await currentUser.GetPrincipalAsync());
}

/// <summary>The one place the rule of <see cref="ContactAccess"/> becomes a query filter; every handler that returns contacts uses it.</summary>
internal static class ConfidentialContacts
{
    public static IQueryable<Contact> VisibleTo(this IQueryable<Contact> contacts, KccDbContext db, ContactAccess access)
    {
        if (access.SeesAllConfidential)
        {
            return contacts;
        }

        var userId = access.UserId;
        return contacts.Where(c => !c.IsConfidential
            || c.AgentId == userId
            || db.InternalTasks.Any(t => t.ContactId == c.Id
                && (t.AssigneeId == userId || db.TeamMemberships.Any(m => m.TeamId == t.TeamId && m.EmployeeId == userId))));
    }

    /// <summary>Tasks whose contact the user may read: a task carries its question's text, so it is as confidential as its contact.</summary>
    public static IQueryable<InternalTask> WithVisibleContact(this IQueryable<InternalTask> tasks, KccDbContext db, ContactAccess access)
    {
        if (access.SeesAllConfidential)
        {
            return tasks;
        }

        var visible = db.Contacts.VisibleTo(db, access);
        return tasks.Where(t => visible.Any(c => c.Id == t.ContactId));
    }
}
