using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kcc.Workbench.Web.Features.Parties;

public enum PartyKind
{
    Person = 1,
    Organisation = 2,
}

public enum ContactDetailKind
{
    Phone = 1,
    Email = 2,
}

/// <summary>Inwoner or ondernemer (Partij in Klantinteracties). Anonymous contacts have no party.</summary>
public class Party
{
    public int Id { get; set; }

    public PartyKind Kind { get; set; }

    public string? FirstNames { get; set; }

    /// <summary>Tussenvoegsel ("de", "van der").</summary>
    public string? Prefix { get; set; }

    public string? LastName { get; set; }

    public string? OrganisationName { get; set; }

    public string? Bsn { get; set; }

    public DateOnly? DateOfBirth { get; set; }

    public string? KvkNumber { get; set; }

    /// <summary>Vestigingsnummer.</summary>
    public string? BranchNumber { get; set; }

    public string? Street { get; set; }

    public int? HouseNumber { get; set; }

    public string? HouseNumberAddition { get; set; }

    public string? Postcode { get; set; }

    public string? City { get; set; }

    /// <summary>Folded name (see Identifiers.FoldForSearch) so name search is one indexed prefix match.</summary>
    public string SearchName { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    /// <summary>Set when the personal data was removed (retention term passed, or an AVG art. 17 request).</summary>
    public DateTime? AnonymisedAt { get; set; }

    /// <summary>The base register the details were last taken from ("BRP", "Handelsregister"); null when typed in by hand.</summary>
    public string? RegisterSource { get; set; }

    /// <summary>When the details were last taken from <see cref="RegisterSource"/> (UTC).</summary>
    public DateTime? RegisterCheckedAt { get; set; }

    /// <summary>Optimistic concurrency: two agents editing one party never silently overwrite each other.</summary>
    public int Version { get; set; }

    public List<PartyContactDetail> ContactDetails { get; } = [];

    public string DisplayName => Kind == PartyKind.Organisation
        ? OrganisationName ?? ""
        : string.Join(' ', new[] { FirstNames, Prefix, LastName }.Where(p => !string.IsNullOrWhiteSpace(p)));

    public string? AddressLine => Street is null && Postcode is null
        ? null
        : $"{Street} {HouseNumber}{HouseNumberAddition}".Trim() + (Postcode is null ? "" : $", {Postcode[..4]} {Postcode[4..]}") + (City is null ? "" : $" {City}");

    public void RefreshSearchName() =>
        SearchName = Identifiers.FoldForSearch(Kind == PartyKind.Organisation ? OrganisationName : $"{LastName} {FirstNames} {Prefix}");
}

/// <summary>DigitaalAdres: a phone number or e-mail address of a party.</summary>
public class PartyContactDetail
{
    public int Id { get; set; }

    public int PartyId { get; set; }

    public ContactDetailKind Kind { get; set; }

    public required string Value { get; set; }

    /// <summary>Normalized form used for lookup (national phone digits, lower-case e-mail).</summary>
    public required string NormalizedValue { get; set; }
}

public static class PartyLimits
{
    public const int Name = 200;
    public const int OrganisationName = 200;
    public const int Prefix = 20;
    public const int Street = 200;
    public const int City = 100;
    public const int Addition = 10;
    public const int ContactValue = 254;
}

internal sealed class PartyConfiguration : IEntityTypeConfiguration<Party>, IEntityTypeConfiguration<PartyContactDetail>
{
    public void Configure(EntityTypeBuilder<Party> builder)
    {
        builder.Property(p => p.FirstNames).HasMaxLength(PartyLimits.Name);
        builder.Property(p => p.Prefix).HasMaxLength(PartyLimits.Prefix);
        builder.Property(p => p.LastName).HasMaxLength(PartyLimits.Name);
        builder.Property(p => p.OrganisationName).HasMaxLength(PartyLimits.OrganisationName);
        builder.Property(p => p.Bsn).HasMaxLength(9);
        builder.Property(p => p.KvkNumber).HasMaxLength(8);
        builder.Property(p => p.BranchNumber).HasMaxLength(12);
        builder.Property(p => p.Street).HasMaxLength(PartyLimits.Street);
        builder.Property(p => p.HouseNumberAddition).HasMaxLength(PartyLimits.Addition);
        builder.Property(p => p.Postcode).HasMaxLength(6);
        builder.Property(p => p.City).HasMaxLength(PartyLimits.City);
        builder.Property(p => p.SearchName).HasMaxLength(500);
        builder.Property(p => p.RegisterSource).HasMaxLength(20);
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.Ignore(p => p.DisplayName);
        builder.Ignore(p => p.AddressLine);
        builder.HasIndex(p => p.Bsn);
        builder.HasIndex(p => p.KvkNumber);
        builder.HasIndex(p => new { p.Postcode, p.HouseNumber });
        builder.HasIndex(p => p.SearchName);
        builder.HasMany(p => p.ContactDetails).WithOne().HasForeignKey(d => d.PartyId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<PartyContactDetail> builder)
    {
        builder.Property(d => d.Value).HasMaxLength(PartyLimits.ContactValue);
        builder.Property(d => d.NormalizedValue).HasMaxLength(PartyLimits.ContactValue);
        builder.HasIndex(d => d.NormalizedValue);
    }
}
