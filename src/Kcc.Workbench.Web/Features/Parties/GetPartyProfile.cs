using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Parties;

public sealed record PartyProfile(
    int Id,
    PartyKind Kind,
    string DisplayName,
    string? MaskedBsn,
    DateOnly? DateOfBirth,
    string? Address,
    string? KvkNumber,
    string? BranchNumber,
    IReadOnlyList<string> PhoneNumbers,
    IReadOnlyList<string> EmailAddresses,
    DateTime CreatedAt,
    IReadOnlyList<ContactView> Contacts);

/// <summary>
/// The klantbeeld: a party's details and every contact on every channel, newest first. Reading only: the page that
/// shows it records the view once with <see cref="RecordPartyView"/>.
/// </summary>
public static class GetPartyProfile
{
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice, Roles.Teamleider, Roles.Beheerder)]
    public sealed record Query(int PartyId) : IRequest<PartyProfile?>;

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser) : IRequestHandler<Query, PartyProfile?>
    {
        public async Task<PartyProfile?> Handle(Query request, CancellationToken cancellationToken)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var party = await db.Parties.AsNoTracking().Include(p => p.ContactDetails).FirstOrDefaultAsync(p => p.Id == request.PartyId, cancellationToken);
            if (party is null)
            {
                return null;
            }

            var user = await currentUser.GetPrincipalAsync();

            var contacts = await db.Contacts.AsNoTracking().VisibleTo(db, ContactAccess.For(user))
                .Where(c => c.PartyId == party.Id)
                .OrderByDescending(c => c.StartedAt)
                .ToViewsAsync(db, cancellationToken);

            return new PartyProfile(
                party.Id, party.Kind, party.DisplayName, party.Bsn is null ? null : Identifiers.MaskBsn(party.Bsn), party.DateOfBirth, party.AddressLine,
                party.KvkNumber, party.BranchNumber,
                party.ContactDetails.Where(d => d.Kind == ContactDetailKind.Phone).Select(d => d.Value).ToList(),
                party.ContactDetails.Where(d => d.Kind == ContactDetailKind.Email).Select(d => d.Value).ToList(),
                party.CreatedAt,
                contacts);
        }
    }
}
