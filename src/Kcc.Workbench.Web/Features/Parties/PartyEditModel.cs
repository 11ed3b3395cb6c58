namespace Kcc.Workbench.Web.Features.Parties;

/// <summary>What the edit form holds: the party's details as typed, and the version they were loaded at.</summary>
public sealed class PartyEditModel
{
    public int Version { get; set; }

    public string? FirstNames { get; set; }

    public string? Prefix { get; set; }

    public string? LastName { get; set; }

    public string? OrganisationName { get; set; }

    public string? Postcode { get; set; }

    public int? HouseNumber { get; set; }

    public string? HouseNumberAddition { get; set; }

    public string? Street { get; set; }

    public string? City { get; set; }

    /// <summary>One or more, separated by commas or semicolons.</summary>
    public string? PhoneNumbers { get; set; }

    public string? EmailAddresses { get; set; }

    public static PartyEditModel From(PartyForEdit party) => new()
    {
        Version = party.Version,
        FirstNames = party.FirstNames,
        Prefix = party.Prefix,
        LastName = party.LastName,
        OrganisationName = party.OrganisationName,
        Postcode = party.Postcode is { Length: 6 } postcode ? $"{postcode[..4]} {postcode[4..]}" : party.Postcode,
        HouseNumber = party.HouseNumber,
        HouseNumberAddition = party.HouseNumberAddition,
        Street = party.Street,
        City = party.City,
        PhoneNumbers = string.Join(", ", party.PhoneNumbers),
        EmailAddresses = string.Join(", ", party.EmailAddresses),
    };

    public string DisplayName(PartyKind kind) => kind == PartyKind.Organisation
        ? OrganisationName ?? ""
        : string.Join(' ', new[] { FirstNames, Prefix, LastName }.Where(p => !string.IsNullOrWhiteSpace(p)));

    public UpdateParty.Command ToCommand(PartyForEdit party) => new()
    {
        PartyId = party.Id,
        ExpectedVersion = Version,
        Kind = party.Kind,
        FirstNames = FirstNames,
        Prefix = Prefix,
        LastName = LastName,
        OrganisationName = OrganisationName,
        Postcode = Postcode,
        HouseNumber = HouseNumber,
        HouseNumberAddition = HouseNumberAddition,
        Street = Street,
        City = City,
        PhoneNumbers = TypedList.Split(PhoneNumbers),
        EmailAddresses = TypedList.Split(EmailAddresses),
    };
}
