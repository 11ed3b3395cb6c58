using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Topics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kcc.Workbench.Web.Features.Routing.ServiceNorms;

/// <summary>The kinds of promise a service norm covers. Numbers are stored; never renumber.</summary>
public enum NormKind
{
    Terugbelverzoek = 1,
    Email = 2,
    Brief = 3,
    WhatsAppChat = 4,
    DoorgezetteVraag = 5,
}

public enum NormUnit
{
    Werkdagen = 1,
    Kantooruren = 2,
}

/// <summary>
/// A published promised term (Servicenorm): per kind, and for routed questions optionally per topic.
/// A norm without topic is the default for its kind; a beheerder changes the amounts, not the kinds.
/// </summary>
public class ServiceNorm
{
    public int Id { get; set; }

    public NormKind Kind { get; set; }

    /// <summary>Null for the kind's default; set for a topic's own term.</summary>
    public int? TopicId { get; set; }

    public Topic? Topic { get; set; }

    public int Amount { get; set; }

    public NormUnit Unit { get; set; }

    public DateTime UpdatedAt { get; set; }

    public string? UpdatedByName { get; set; }
}

public static class NormKinds
{
    public static readonly NormKind[] All = [NormKind.Terugbelverzoek, NormKind.Email, NormKind.Brief, NormKind.WhatsAppChat, NormKind.DoorgezetteVraag];

    /// <summary>The shipped defaults (DOMAIN.md); every municipality sets its own.</summary>
    public static (int Amount, NormUnit Unit) Default(NormKind kind) => kind switch
    {
        NormKind.Terugbelverzoek => (1, NormUnit.Werkdagen),
        NormKind.Email => (2, NormUnit.Werkdagen),
        NormKind.Brief => (10, NormUnit.Werkdagen),
        NormKind.WhatsAppChat => (4, NormUnit.Kantooruren),
        _ => (5, NormUnit.Werkdagen),
    };

    /// <summary>
    /// Which promise applies to a routed question: the way the answer goes out decides (a callback, an e-mail,
    /// a letter); a question that came in over WhatsApp or chat and is answered there keeps that channel's short
    /// term; everything else is a routed question with the topic's term.
    /// </summary>
    public static NormKind For(RequestedAction action, Channel channel) => action switch
    {
        RequestedAction.Terugbellen => NormKind.Terugbelverzoek,
        RequestedAction.BeantwoordenPerEmail => NormKind.Email,
        RequestedAction.BeantwoordenPerBrief => NormKind.Brief,
        _ when channel is Channel.WhatsApp or Channel.Chat => NormKind.WhatsAppChat,
        _ => NormKind.DoorgezetteVraag,
    };

    public static string Label(this NormKind kind) => kind switch
    {
        NormKind.Terugbelverzoek => "Terugbelverzoek",
        NormKind.Email => "E-mail beantwoorden",
        NormKind.Brief => "Brief of post beantwoorden",
        NormKind.WhatsAppChat => "WhatsApp of chat beantwoorden",
        NormKind.DoorgezetteVraag => "Doorgezette vraag afhandelen",
        _ => kind.ToString(),
    };

    public static string Label(this NormUnit unit) => unit == NormUnit.Werkdagen ? "werkdagen" : "kantooruren";

    public static string Term(int amount, NormUnit unit) => unit switch
    {
        NormUnit.Werkdagen => amount == 1 ? "1 werkdag" : $"{amount} werkdagen",
        _ => amount == 1 ? "1 kantooruur" : $"{amount} kantooruren",
    };

    /// <summary>Adds the kinds' default norms that are missing. Product defaults: runs on every start, demo or not.</summary>
    public static async Task EnsureDefaultsAsync(KccDbContext db, DateTime now, CancellationToken cancellationToken = default)
    {
        var present = await db.ServiceNorms.Where(n => n.TopicId == null).Select(n => n.Kind).ToListAsync(cancellationToken);
        foreach (var kind in All.Except(present))
        {
            var (amount, unit) = Default(kind);
            db.ServiceNorms.Add(new ServiceNorm { Kind = kind, Amount = amount, Unit = unit, UpdatedAt = now });
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}

public static class NormLimits
{
    public const int MaxWorkingDays = 250;
    public const int MaxOfficeHours = 400;
}

internal sealed class ServiceNormConfiguration : IEntityTypeConfiguration<ServiceNorm>
{
    public void Configure(EntityTypeBuilder<ServiceNorm> builder)
    {
        builder.Property(n => n.UpdatedByName).HasMaxLength(200);
        builder.HasOne(n => n.Topic).WithMany().HasForeignKey(n => n.TopicId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(n => new { n.Kind, n.TopicId }).IsUnique();
    }
}
