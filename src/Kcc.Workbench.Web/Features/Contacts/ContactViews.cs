namespace Kcc.Workbench.Web.Features.Contacts;

/// <summary>How a logged contact is shown in histories and lists.</summary>
public sealed record ContactView(
    long Id,
    DateTime StartedAt,
    DateTime EndedAt,
    Channel Channel,
    Direction Direction,
    string AgentName,
    bool IsConfidential,
    string Language,
    int? PartyId,
    string? PartyName,
    IReadOnlyList<QuestionView> Questions);

public sealed record QuestionView(
    long Id,
    int Sequence,
    int TopicId,
    string TopicName,
    string Text,
    string? Answer,
    Outcome Outcome,
    string? ReferredTo,
    bool NeedsRouting,
    KnowledgeBase.ArticleUse? Article = null);
