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
    public sealed record Command : IRequest<Result<int>>
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

    internal sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(c => c.Kind).IsInEnum().WithMessage("Kies inwoner of organisatie.");
            When(c => c.Kind == PartyKind.Person, () =>
            {
                RuleFor(c => c.LastName).NotEmpty().WithMessage("Vul de achternaam in.")
                    .MaximumLength(PartyLimits.Name).WithMessage($"De achternaam is te lang (hoogstens {PartyLimits.Name} tekens).");
                RuleFor(c => c.FirstNames).MaximumLength(PartyLimits.Name).WithMessage($"De voornamen zijn te lang (hoogstens {PartyLimits.Name} tekens).");
                RuleFor(c => c.Prefix).MaximumLength(PartyLimits.Prefix).WithMessage($"Het tussenvoegsel is te lang (hoogstens {PartyLimits.Prefix} tekens).");
                RuleFor(c => c.Bsn).Must(b => Identifiers.IsValidBsn(Identifiers.DigitsOnly(b)))
                    .When(c => !string.IsNullOrWhiteSpace(c.Bsn))
                    .WithMessage("BSN klopt niet (elfproef). Controleer de 9 cijfers.");
                RuleFor(c => c.DateOfBirth)
                    .Must(d => d is null || (d.Value.Year >= 1900 && d.Value <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)))
                    .WithMessage("De geboortedatum kan niet in de toekomst of vóór 1900 liggen.");
            });
            When(c => c.Kind == PartyKind.Organisation, () =>
            {
                RuleFor(c => c.OrganisationName).NotEmpty().WithMessage("Vul de naam van de organisatie in.")
                    .MaximumLength(PartyLimits.OrganisationName).WithMessage($"De naam is te lang (hoogstens {PartyLimits.OrganisationName} tekens).");
                RuleFor(c => c.KvkNumber).Must(k => Identifiers.IsValidKvkNumber(Identifiers.DigitsOnly(k)))
                    .When(c => !string.IsNullOrWhiteSpace(c.KvkNumber))
                    .WithMessage("Een KVK-nummer heeft 8 cijfers.");
                RuleFor(c => c.BranchNumber).Must(v => Identifiers.IsValidBranchNumber(Identifiers.DigitsOnly(v)))
                    .When(c => !string.IsNullOrWhiteSpace(c.BranchNumber))
                    .WithMessage("Een vestigingsnummer heeft 12 cijfers.");
            });
            RuleFor(c => c.Postcode).Must(p => Identifiers.NormalizePostcode(p) is not null)
                .When(c => !string.IsNullOrWhiteSpace(c.Postcode))
                .WithMessage("Postcode klopt niet. Gebruik 4 cijfers en 2 letters, bijvoorbeeld 1234 AB.");
            RuleFor(c => c.HouseNumber).InclusiveBetween(1, 99999).When(c => c.HouseNumber is not null)
                .WithMessage("Vul een huisnummer in van 1 tot 99999.");
            RuleFor(c => c.HouseNumberAddition).MaximumLength(PartyLimits.Addition).WithMessage($"De toevoeging is te lang (hoogstens {PartyLimits.Addition} tekens).");
            RuleFor(c => c.Street).MaximumLength(PartyLimits.Street).WithMessage($"De straatnaam is te lang (hoogstens {PartyLimits.Street} tekens).");
            RuleFor(c => c.City).MaximumLength(PartyLimits.City).WithMessage($"De plaatsnaam is te lang (hoogstens {PartyLimits.City} tekens).");
            RuleFor(c => c.PhoneNumbers).Must(n => n.Count <= 10).WithMessage("Hoogstens 10 telefoonnummers.");
            RuleForEach(c => c.PhoneNumbers).Must(n => Identifiers.NormalizePhone(n) is not null)
                .WithMessage((_, n) => $"Telefoonnummer '{Shorten(n)}' klopt niet. Gebruik bijvoorbeeld 06 1234 5678 of +31 20 123 4567.");
            RuleFor(c => c.EmailAddresses).Must(n => n.Count <= 10).WithMessage("Hoogstens 10 e-mailadressen.");
            RuleForEach(c => c.EmailAddresses).Must(e => e.Length <= PartyLimits.ContactValue && Identifiers.NormalizeEmail(e) is not null)
                .WithMessage((_, e) => $"E-mailadres '{Shorten(e)}' klopt niet. Gebruik bijvoorbeeld naam@voorbeeld.nl.");
        }

        private static string Shorten(string? value) => value is null ? "" : value.Length > 40 ? value[..40] + "…" : value;
    }

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, TimeProvider clock) : IRequestHandler<Command, Result<int>>
    {
        public async Task<Result<int>> Handle(Command request, CancellationToken cancellationToken)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var person = request.Kind == PartyKind.Person;
            var bsn = person && !string.IsNullOrWhiteSpace(request.Bsn) ? Identifiers.DigitsOnly(request.Bsn) : null;
            if (bsn is not null && await db.Parties.AnyAsync(p => p.Bsn == bsn, cancellationToken))
            {
                return Result<int>.Fail(nameof(Command.Bsn), "Er is al een inwoner met dit BSN. Zoek op het BSN en kies die inwoner.");
            }

            var party = new Party
            {
                Kind = request.Kind,
                FirstNames = person ? Clean(request.FirstNames) : null,
                Prefix = person ? Clean(request.Prefix) : null,
                LastName = person ? Clean(request.LastName) : null,
                OrganisationName = person ? null : Clean(request.OrganisationName),
                Bsn = bsn,
                DateOfBirth = person ? request.DateOfBirth : null,
                KvkNumber = !person && !string.IsNullOrWhiteSpace(request.KvkNumber) ? Identifiers.DigitsOnly(request.KvkNumber) : null,
                BranchNumber = !person && !string.IsNullOrWhiteSpace(request.BranchNumber) ? Identifiers.DigitsOnly(request.BranchNumber) : null,
                Street = Clean(request.Street),
                HouseNumber = request.HouseNumber,
                HouseNumberAddition = Clean(request.HouseNumberAddition),
                Postcode = Identifiers.NormalizePostcode(request.Postcode),
                City = Clean(request.City),
                CreatedAt = clock.GetUtcNow().UtcDateTime,
                Version = 1,
            };
            party.RefreshSearchName();
            foreach (var phone in request.PhoneNumbers.Where(p => !string.IsNullOrWhiteSpace(p)))
            {
                party.ContactDetails.Add(new PartyContactDetail { Kind = ContactDetailKind.Phone, Value = phone.Trim(), NormalizedValue = Identifiers.NormalizePhone(phone)! });
            }

            foreach (var email in request.EmailAddresses.Where(e => !string.IsNullOrWhiteSpace(e)))
            {
                party.ContactDetails.Add(new PartyContactDetail { Kind = ContactDetailKind.Email, Value = email.Trim(), NormalizedValue = Identifiers.NormalizeEmail(email)! });
            }

            db.Parties.Add(party);
            await db.SaveChangesAsync(cancellationToken);
            return Result<int>.Ok(party.Id);
        }

        private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
