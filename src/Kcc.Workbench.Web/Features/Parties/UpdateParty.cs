using FluentValidation;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Parties;

/// <summary>The party's editable details and the version the edit form starts from.</summary>
public sealed record PartyForEdit(
    int Id, int Version, PartyKind Kind, string? FirstNames, string? Prefix, string? LastName, string? OrganisationName,
    string? Street, int? HouseNumber, string? HouseNumberAddition, string? Postcode, string? City,
    IReadOnlyList<string> PhoneNumbers, IReadOnlyList<string> EmailAddresses, bool Anonymised);

/// <summary>
/// "Inwoner wijzigen": corrects names, address, phone numbers and e-mail addresses. BSN, date of birth and KVK numbers
/// are identifiers from the registers and are not edited here. The form sends the version it loaded; when someone else
/// saved in between, nothing is overwritten and the form keeps what the user typed.
/// </summary>
public static class UpdateParty
{
    public const string ConcurrencyMessage =
        "Iemand anders heeft deze inwoner net gewijzigd. Uw wijzigingen zijn niet opgeslagen; bekijk de nieuwe gegevens en probeer opnieuw.";

    [AllowedFor(Roles.Frontoffice, Roles.Backoffice)]
    public sealed record Query(int PartyId) : IRequest<PartyForEdit?>;

    [AllowedFor(Roles.Frontoffice, Roles.Backoffice)]
    public sealed record Command : IRequest<Result<int>>, IPartyDetails
    {
        public int PartyId { get; init; }

        /// <summary>The version the form loaded; the result carries the new one.</summary>
        public int ExpectedVersion { get; init; }

        public PartyKind Kind { get; init; } = PartyKind.Person;
        public string? FirstNames { get; init; }
        public string? Prefix { get; init; }
        public string? LastName { get; init; }
        public string? OrganisationName { get; init; }
        public string? Street { get; init; }
        public int? HouseNumber { get; init; }
        public string? HouseNumberAddition { get; init; }
        public string? Postcode { get; init; }
        public string? City { get; init; }
        public IReadOnlyList<string> PhoneNumbers { get; init; } = [];
        public IReadOnlyList<string> EmailAddresses { get; init; } = [];
    }

    internal sealed class Validator : PartyDetailsValidator<Command>;

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, Audit.IAuditLog audit)
        : IRequestHandler<Query, PartyForEdit?>, IRequestHandler<Command, Result<int>>
    {
        public async Task<PartyForEdit?> Handle(Query request, CancellationToken cancellationToken)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var party = await db.Parties.AsNoTracking().Include(p => p.ContactDetails).FirstOrDefaultAsync(p => p.Id == request.PartyId, cancellationToken);
            if (party is null)
            {
                return null;
            }

            return new PartyForEdit(
                party.Id, party.Version, party.Kind, party.FirstNames, party.Prefix, party.LastName, party.OrganisationName,
                party.Street, party.HouseNumber, party.HouseNumberAddition, party.Postcode, party.City,
                party.ContactDetails.Where(d => d.Kind == ContactDetailKind.Phone).OrderBy(d => d.Id).Select(d => d.Value).ToList(),
                party.ContactDetails.Where(d => d.Kind == ContactDetailKind.Email).OrderBy(d => d.Id).Select(d => d.Value).ToList(),
                party.AnonymisedAt is not null);
        }

        public async Task<Result<int>> Handle(Command request, CancellationToken cancellationToken)
        {
            var user = await currentUser.GetPrincipalAsync();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var party = await db.Parties.Include(p => p.ContactDetails).FirstOrDefaultAsync(p => p.Id == request.PartyId, cancellationToken);
            if (party is null)
            {
                return Result<int>.Fail(nameof(Command.PartyId), "Deze inwoner bestaat niet (meer). Zoek de inwoner opnieuw.");
            }

            if (party.AnonymisedAt is not null)
            {
                // Writing names onto an anonymised party would undo an erasure (AVG art. 17) or the retention term.
                return Result<int>.Fail(nameof(Command.PartyId), "De gegevens van deze inwoner zijn geanonimiseerd en kunnen niet meer worden gewijzigd.");
            }

            if (request.Kind != party.Kind)
            {
                return Result<int>.Fail(nameof(Command.Kind), "Een inwoner kan geen organisatie worden, en andersom. Registreer de juiste soort als nieuwe betrokkene.");
            }

            if (party.Version != request.ExpectedVersion)
            {
                return Result<int>.Fail(nameof(Command.ExpectedVersion), ConcurrencyMessage);
            }

            var before = PartySnapshot.Of(party);
            request.ApplyTo(party);
            var changed = PartyDetails.ChangedFields(before, PartySnapshot.Of(party));
            if (changed.Count == 0)
            {
                return Result<int>.Ok(party.Version);
            }

            // The check above answers early; the UPDATE itself carries the version the user saw, so a save in between is refused too.
            db.Entry(party).Property(p => p.Version).OriginalValue = request.ExpectedVersion;
            party.Version = request.ExpectedVersion + 1;
            audit.Record(db, user, "betrokkene.gewijzigd", "Party", party.Id.ToString(DutchFormat.Culture), "Gewijzigd: " + string.Join(", ", changed));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Result<int>.Fail(nameof(Command.ExpectedVersion), ConcurrencyMessage);
            }

            return Result<int>.Ok(party.Version);
        }
    }
}
