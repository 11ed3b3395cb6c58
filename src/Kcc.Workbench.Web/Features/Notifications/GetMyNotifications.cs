using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Notifications;

/// <summary>The bell in the app bar: how many unread, and the latest messages.</summary>
public static class GetMyNotifications
{
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice, Roles.Teamleider, Roles.Kennisbeheerder, Roles.Beheerder)]
    public sealed record Query(int Max = 10) : IRequest<Response>;

    public sealed record Item(long Id, DateTime CreatedAt, string Text, string? Link, bool IsRead);

    public sealed record Response(int Unread, IReadOnlyList<Item> Items);

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser) : IRequestHandler<Query, Response>
    {
        public async Task<Response> Handle(Query request, CancellationToken cancellationToken)
        {
            var userId = (await currentUser.GetPrincipalAsync()).RequireUserId();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var mine = db.EmployeeNotifications.AsNoTracking().Where(n => n.EmployeeId == userId);
            var unread = await mine.CountAsync(n => n.ReadAt == null, cancellationToken);
            var items = await mine.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(Math.Clamp(request.Max, 1, 50))
                .Select(n => new Item(n.Id, n.CreatedAt, n.Text, n.Link, n.ReadAt != null)).ToListAsync(cancellationToken);
            return new Response(unread, items);
        }
    }
}
