using FluentValidation;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Parties;

/// <summary>Registers a person (BSN optional) or an organisation, with phone numbers and e-mail addresses.</summary>
public static class CreateParty
{
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice)]
    public sealed record Command : IRequest<Result<int>>, IPartyDetails
    {
        public PartyKind Kind { get; init; } = PartyKind.Person;
        public string? FirstNames { get; init; }
        public string? Prefix { get; init; }
        public string? LastName { get; init; }
        public string? OrganisationName { get; init; }
        public string? Bsn { get; init; }
        public DateOnly? DateOfBirth { get; init; }
        public string? KvkNumber { get; init; }
        public string? BranchNumber { get; init; }
        public string? Street { get; init; }
        public int? HouseNumber { get; init; }
        public string? HouseNumberAddition { get; init; }
        public string? Postcode { get; init; }
        public string? City { get; init; }
        public IReadOnlyList<string> PhoneNumbers { get; init; } = [];
        public IReadOnlyList<string> EmailAddresses { get; init; } = [];
    }

    /// <summary>The shared details rules, plus the identifiers, which are only given at registration.</summary>
    internal sealed class Validator : PartyDetailsValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            When(c => c.Kind == PartyKind.Person, () =>
            {
                RuleFor(c => c.Bsn).Must(b => Identifiers.IsValidBsn(Identifiers.DigitsOnly(b)))
                    .When(c => !string.IsNullOrWhiteSpace(c.Bsn))
                    .WithMessage("BSN klopt niet (elfproef). Controleer de 9 cijfers.");
                RuleFor(c => c.DateOfBirth)
                    .Must(d => d is null || (d.Value.Year >= 1900 && d.Value <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)))
                    .WithMessage("De geboortedatum kan niet in de toekomst of vóór 1900 liggen.");
            });
            When(c => c.Kind == PartyKind.Organisation, () =>
            {
                RuleFor(c => c.KvkNumber).Must(k => Identifiers.IsValidKvkNumber(Identifiers.DigitsOnly(k)))
                    .When(c => !string.IsNullOrWhiteSpace(c.KvkNumber))
                    .WithMessage("Een KVK-nummer heeft 8 cijfers.");
                RuleFor(c => c.BranchNumber).Must(v => Identifiers.IsValidBranchNumber(Identifiers.DigitsOnly(v)))
                    .When(c => !string.IsNullOrWhiteSpace(c.BranchNumber))
                    .WithMessage("Een vestigingsnummer heeft 12 cijfers.");
            });
        }
    }

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, TimeProvider clock, ICurrentUser currentUser, Audit.IAuditLog audit)
        : IRequestHandler<Command, Result<int>>
    {
        public async Task<Result<int>> Handle(Command request, CancellationToken cancellationToken)
        {
            // PostgreSQL: the second of two agents registering the same BSN at once gets a serialization failure
            // (or the unique index says no); run again, the check then finds the resident the first one registered.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await CreateAsync(request, cancellationToken);
                }
                catch (Exception exception) when (attempt < 3 && DatabaseConflicts.IsRetryable(exception))
                {
                }
            }
        }

        private async Task<Result<int>> CreateAsync(Command request, CancellationToken cancellationToken)
        {
            var user = await currentUser.GetPrincipalAsync();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var person = request.Kind == PartyKind.Person;
            var bsn = person && !string.IsNullOrWhiteSpace(request.Bsn) ? Identifiers.DigitsOnly(request.Bsn) : null;
            // The check and the insert share one serializable transaction (SQLite takes the write lock at its start;
            // PostgreSQL fails the later of two clashing ones, see Handle), so
            // two agents registering the same resident at the same moment cannot both succeed.
            await using var transaction = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
            if (bsn is not null && await db.Parties.AnyAsync(p => p.Bsn == bsn, cancellationToken))
            {
                return Result<int>.Fail(nameof(Command.Bsn), "Er is al een inwoner met dit BSN. Zoek op het BSN en kies die inwoner.");
            }

            var party = new Party
            {
                Kind = request.Kind,
                Bsn = bsn,
                DateOfBirth = person ? request.DateOfBirth : null,
                KvkNumber = !person && !string.IsNullOrWhiteSpace(request.KvkNumber) ? Identifiers.DigitsOnly(request.KvkNumber) : null,
                BranchNumber = !person && !string.IsNullOrWhiteSpace(request.BranchNumber) ? Identifiers.DigitsOnly(request.BranchNumber) : null,
                CreatedAt = clock.GetUtcNow().UtcDateTime,
                Version = 1,
            };
            request.ApplyTo(party);
            db.Parties.Add(party);

            // The audit entry names the new party's id, so the party is saved first, in the same transaction.
            await db.SaveChangesAsync(cancellationToken);
            audit.Record(db, user, "betrokkene.aangemaakt", "Party", party.Id.ToString(DutchFormat.Culture), RegisteredSummary(party));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Result<int>.Ok(party.Id);
        }

        /// <summary>"Inwoner geregistreerd met BSN, adres, 1 telefoonnummer": which kinds of data were given, not the data.</summary>
        private static string RegisteredSummary(Party party)
        {
            var phones = party.ContactDetails.Count(d => d.Kind == ContactDetailKind.Phone);
            var emails = party.ContactDetails.Count(d => d.Kind == ContactDetailKind.Email);
            var given = new (bool Given, string Name)[]
            {
                (party.Bsn is not null, "BSN"),
                (party.DateOfBirth is not null, "geboortedatum"),
                (party.KvkNumber is not null, "KVK-nummer"),
                (party.BranchNumber is not null, "vestigingsnummer"),
                (party.AddressLine is not null, "adres"),
                (phones > 0, phones == 1 ? "1 telefoonnummer" : $"{phones} telefoonnummers"),
                (emails > 0, emails == 1 ? "1 e-mailadres" : $"{emails} e-mailadressen"),
            }.Where(g => g.Given).Select(g => g.Name).ToList();
            return (party.Kind == PartyKind.Person ? "Inwoner" : "Organisatie") + " geregistreerd" + (given.Count == 0 ? "" : " met " + string.Join(", ", given));
        }
    }
}
