using FluentValidation;

namespace Kcc.Workbench.Web.Features.Parties;

/// <summary>What an agent registers and later corrects about a party: names, address, phone numbers and e-mail addresses.</summary>
public interface IPartyDetails
{
    PartyKind Kind { get; }
    string? FirstNames { get; }
    string? Prefix { get; }
    string? LastName { get; }
    string? OrganisationName { get; }
    string? Street { get; }
    int? HouseNumber { get; }
    string? HouseNumberAddition { get; }
    string? Postcode { get; }
    string? City { get; }
    IReadOnlyList<string> PhoneNumbers { get; }
    IReadOnlyList<string> EmailAddresses { get; }
}

/// <summary>Phone numbers and e-mail addresses as agents type them in one field: separated by commas, semicolons or lines.</summary>
public static class TypedList
{
    public static List<string> Split(string? value) =>
        (value ?? "").Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}

/// <summary>The rules for <see cref="IPartyDetails"/>, shared by registering (CreateParty) and correcting (UpdateParty) a party.</summary>
internal abstract class PartyDetailsValidator<T> : AbstractValidator<T>
    where T : IPartyDetails
{
    protected PartyDetailsValidator()
    {
        RuleFor(c => c.Kind).IsInEnum().WithMessage("Kies inwoner of organisatie.");
        When(c => c.Kind == PartyKind.Person, () =>
        {
            RuleFor(c => c.LastName).NotEmpty().WithMessage("Vul de achternaam in.")
                .MaximumLength(PartyLimits.Name).WithMessage($"De achternaam is te lang (hoogstens {PartyLimits.Name} tekens).");
            RuleFor(c => c.FirstNames).MaximumLength(PartyLimits.Name).WithMessage($"De voornamen zijn te lang (hoogstens {PartyLimits.Name} tekens).");
            RuleFor(c => c.Prefix).MaximumLength(PartyLimits.Prefix).WithMessage($"Het tussenvoegsel is te lang (hoogstens {PartyLimits.Prefix} tekens).");
        });
        When(c => c.Kind == PartyKind.Organisation, () =>
        {
            RuleFor(c => c.OrganisationName).NotEmpty().WithMessage("Vul de naam van de organisatie in.")
                .MaximumLength(PartyLimits.OrganisationName).WithMessage($"De naam is te lang (hoogstens {PartyLimits.OrganisationName} tekens).");
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

internal static class PartyDetails
{
    /// <summary>Copies names, address and contact details onto the party, cleaned and normalised as search expects them.</summary>
    public static void ApplyTo(this IPartyDetails details, Party party)
    {
        var person = party.Kind == PartyKind.Person;
        party.FirstNames = person ? Clean(details.FirstNames) : null;
        party.Prefix = person ? Clean(details.Prefix) : null;
        party.LastName = person ? Clean(details.LastName) : null;
        party.OrganisationName = person ? null : Clean(details.OrganisationName);
        party.Street = Clean(details.Street);
        party.HouseNumber = details.HouseNumber;
        party.HouseNumberAddition = Clean(details.HouseNumberAddition);
        party.Postcode = Identifiers.NormalizePostcode(details.Postcode);
        party.City = Clean(details.City);
        party.RefreshSearchName();

        // Kept rows keep their ids; only what was removed or added changes.
        var wanted = details.PhoneNumbers.Where(p => !string.IsNullOrWhiteSpace(p))
            .Select(p => (Kind: ContactDetailKind.Phone, Value: p.Trim(), Normalized: Identifiers.NormalizePhone(p)!))
            .Concat(details.EmailAddresses.Where(e => !string.IsNullOrWhiteSpace(e))
                .Select(e => (Kind: ContactDetailKind.Email, Value: e.Trim(), Normalized: Identifiers.NormalizeEmail(e)!)))
            .DistinctBy(d => (d.Kind, d.Normalized))
            .ToList();
        party.ContactDetails.RemoveAll(d => !wanted.Any(w => w.Kind == d.Kind && w.Value == d.Value));
        foreach (var (kind, value, normalized) in wanted.Where(w => !party.ContactDetails.Any(d => d.Kind == w.Kind && d.Value == w.Value)))
        {
            party.ContactDetails.Add(new PartyContactDetail { Kind = kind, Value = value, NormalizedValue = normalized });
        }
    }

    /// <summary>The Dutch names of the fields that differ: what the audit log says changed, without the personal data itself.</summary>
    public static IReadOnlyList<string> ChangedFields(PartySnapshot before, PartySnapshot after) =>
    [
        .. before.FirstNames != after.FirstNames ? ["voornamen"] : Array.Empty<string>(),
        .. before.Prefix != after.Prefix ? ["tussenvoegsel"] : Array.Empty<string>(),
        .. before.LastName != after.LastName ? ["achternaam"] : Array.Empty<string>(),
        .. before.OrganisationName != after.OrganisationName ? ["naam organisatie"] : Array.Empty<string>(),
        .. before.Address != after.Address ? ["adres"] : Array.Empty<string>(),
        .. !before.Phones.SequenceEqual(after.Phones) ? ["telefoonnummers"] : Array.Empty<string>(),
        .. !before.Emails.SequenceEqual(after.Emails) ? ["e-mailadressen"] : Array.Empty<string>(),
    ];

    public static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>The editable details of a party at one moment, to compare before and after a change.</summary>
internal sealed record PartySnapshot(
    string? FirstNames, string? Prefix, string? LastName, string? OrganisationName, string? Address, IReadOnlyList<string> Phones, IReadOnlyList<string> Emails)
{
    public static PartySnapshot Of(Party party) => new(
        party.FirstNames, party.Prefix, party.LastName, party.OrganisationName,
        $"{party.Street}|{party.HouseNumber}|{party.HouseNumberAddition}|{party.Postcode}|{party.City}",
        party.ContactDetails.Where(d => d.Kind == ContactDetailKind.Phone).Select(d => d.Value).Order(StringComparer.Ordinal).ToList(),
        party.ContactDetails.Where(d => d.Kind == ContactDetailKind.Email).Select(d => d.Value).Order(StringComparer.Ordinal).ToList());
}
