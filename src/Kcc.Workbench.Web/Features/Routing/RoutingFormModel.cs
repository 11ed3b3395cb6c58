namespace Kcc.Workbench.Web.Features.Routing;

/// <summary>
/// The routing fields under a question, as typed. Plain data: it is part of the contact form's server-side draft,
/// so a reload keeps what the agent chose for the back office.
/// </summary>
public sealed class RoutingFormModel
{
    public RequestedAction? Action { get; set; }

    public int? TeamId { get; set; }

    /// <summary>The topic the team was filled in for by the routing rule; a new topic refills it unless the agent chose the team.</summary>
    public int? TeamSuggestedForTopicId { get; set; }

    public bool TeamChosenByAgent { get; set; }

    public string? AssigneeId { get; set; }

    public string? Explanation { get; set; }

    public ReachBy? ReachBy { get; set; }

    public string? ReachAt { get; set; }

    public string? Reachable { get; set; }

    public RoutingInput ToInput() => new()
    {
        Action = Action,
        TeamId = TeamId,
        AssigneeId = string.IsNullOrEmpty(AssigneeId) ? null : AssigneeId,
        Explanation = Explanation,
        ReachBy = ReachBy,
        ReachAt = ReachAt,
        Reachable = Reachable,
    };
}
