using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Contacts;

public static class GetContact
{
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice, Roles.Teamleider, Roles.Beheerder)]
    public sealed record Query(long ContactId) : IRequest<ContactView?>;

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory) : IRequestHandler<Query, ContactView?>
    {
        public async Task<ContactView?> Handle(Query request, CancellationToken cancellationToken)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            return (await db.Contacts.AsNoTracking().Where(c => c.Id == request.ContactId).ToViewsAsync(db, cancellationToken)).FirstOrDefault();
        }
    }
}
