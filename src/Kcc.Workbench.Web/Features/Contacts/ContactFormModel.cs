using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Features.Routing;
using Kcc.Workbench.Web.Features.Topics;
using Kcc.Workbench.Web.Infrastructure;

namespace Kcc.Workbench.Web.Features.Contacts;

/// <summary>
/// Everything the agent has typed in the contact form. It is serialized as the server-side draft,
/// so it holds plain data only (no services, no UI state that cannot be restored).
/// </summary>
public sealed class ContactFormModel
{
    public Channel Channel { get; set; } = Channel.Telefoon;

    public Direction Direction { get; set; } = Direction.Inkomend;

    /// <summary>Amsterdam wall-clock time the form opened.</summary>
    public DateTime? StartedAtLocal { get; set; }

    /// <summary>Only set when the agent changes it; otherwise the moment of saving ends the contact.</summary>
    public DateTime? EndedAtLocal { get; set; }

    public PartySummary? Party { get; set; }

    public string? PartySearch { get; set; }

    public NewPartyFormModel? NewParty { get; set; }

    public bool IsConfidential { get; set; }

    public string Language { get; set; } = "nl";

    public List<QuestionFormModel> Questions { get; set; } = [new()];

    /// <summary>Whether the agent entered anything that would be lost by starting over (the channel and start time are not work).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool HasContent =>
        Party is not null || !string.IsNullOrWhiteSpace(PartySearch) || NewParty is not null || IsConfidential || EndedAtLocal is not null
        || Questions.Count > 1 || Questions.Any(q => q.Topic is not null || !string.IsNullOrWhiteSpace(q.Text) || !string.IsNullOrWhiteSpace(q.Answer)
                                                    || !string.IsNullOrWhiteSpace(q.ReferredTo));

    public LogContact.Command ToCommand(DateTime nowLocal) => new()
    {
        Channel = Channel,
        Direction = Direction,
        StartedAt = DutchFormat.FromLocal(StartedAtLocal ?? nowLocal).UtcDateTime,
        EndedAt = EndedAtLocal is { } ended ? DutchFormat.FromLocal(ended).UtcDateTime : null,
        PartyId = Party?.Id,
        IsConfidential = IsConfidential,
        Language = Language,
        Questions = Questions.Select(q => new LogContact.QuestionInput
        {
            TopicId = q.Topic?.Id,
            Text = q.Text,
            Answer = q.Answer,
            Outcome = q.Outcome,
            ReferredTo = q.ReferredTo,
            ArticleId = q.Article?.ArticleId,
            ArticleVersionId = q.Article?.VersionId,
            UnansweredSearch = q.Article is null ? q.UnansweredSearch : null,
            Routing = q.Outcome is { } outcome && outcome.NeedsRouting() ? q.Routing?.ToInput() : null,
        }).ToList(),
    };
}

public sealed class QuestionFormModel
{
    public TopicOption? Topic { get; set; }

    public string? Text { get; set; }

    public string? Answer { get; set; }

    public Outcome? Outcome { get; set; } = Contacts.Outcome.Beantwoord;

    public string? ReferredTo { get; set; }

    /// <summary>The kennisbank article version whose answer was inserted; null when the agent wrote the answer.</summary>
    public KnowledgeBase.ArticleUse? Article { get; set; }

    /// <summary>The last kennisbank search for this question, when it found nothing (becomes a knowledge gap on save).</summary>
    public string? UnansweredSearch { get; set; }
    /// <summary>Filled in when the outcome sends the question to the back office.</summary>
    public RoutingFormModel? Routing { get; set; }
}

/// <summary>The inline "Nieuwe inwoner / organisatie" form; kept in the draft like the rest.</summary>
public sealed class NewPartyFormModel
{
    public PartyKind Kind { get; set; } = PartyKind.Person;

    public string? FirstNames { get; set; }

    public string? Prefix { get; set; }

    public string? LastName { get; set; }

    public string? OrganisationName { get; set; }

    public string? Bsn { get; set; }

    public DateTime? DateOfBirth { get; set; }

    public string? KvkNumber { get; set; }

    public string? BranchNumber { get; set; }

    public string? Postcode { get; set; }

    public int? HouseNumber { get; set; }

    public string? HouseNumberAddition { get; set; }

    public string? Street { get; set; }

    public string? City { get; set; }

    /// <summary>One or more, separated by commas or semicolons.</summary>
    public string? PhoneNumbers { get; set; }

    public string? EmailAddresses { get; set; }

    public CreateParty.Command ToCommand() => new()
    {
        Kind = Kind,
        FirstNames = FirstNames,
        Prefix = Prefix,
        LastName = LastName,
        OrganisationName = OrganisationName,
        Bsn = Bsn,
        DateOfBirth = DateOfBirth is { } d ? DateOnly.FromDateTime(d) : null,
        KvkNumber = KvkNumber,
        BranchNumber = BranchNumber,
        Postcode = Postcode,
        HouseNumber = HouseNumber,
        HouseNumberAddition = HouseNumberAddition,
        Street = Street,
        City = City,
        PhoneNumbers = TypedList.Split(PhoneNumbers),
        EmailAddresses = TypedList.Split(EmailAddresses),
    };
}
