using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Contacts;

public static class GetContact
{
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice, Roles.Teamleider, Roles.Beheerder)]
    public sealed record Query(long ContactId) : IRequest<ContactView?>;

    /// <summary>A confidential contact the user may not read is "not found": the answer does not even confirm it exists.</summary>
    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser) : IRequestHandler<Query, ContactView?>
    {
        public async Task<ContactView?> Handle(Query request, CancellationToken cancellationToken)
        {
            var access = await ContactAccess.ForAsync(currentUser);
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            return (await db.Contacts.AsNoTracking().Where(c => c.Id == request.ContactId).VisibleTo(db, access).ToViewsAsync(db, cancellationToken)).FirstOrDefault();
        }
    }
}
