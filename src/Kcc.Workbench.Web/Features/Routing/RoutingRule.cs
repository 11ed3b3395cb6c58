using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Teams;
using Kcc.Workbench.Web.Features.Topics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kcc.Workbench.Web.Features.Routing;

/// <summary>
/// Which back-office team gets routed questions about a topic. Kept apart from the topic's own team (which the
/// product list sets and a UPL import may change) so a beheerder's choice survives imports.
/// </summary>
public class RoutingRule
{
    public int Id { get; set; }

    public int TopicId { get; set; }

    public Topic? Topic { get; set; }

    public int TeamId { get; set; }

    public Team? Team { get; set; }

    public DateTime UpdatedAt { get; set; }

    public string? UpdatedByName { get; set; }
}

public enum RuleSource
{
    /// <summary>No rule and no team on the topic: the agent chooses.</summary>
    None = 0,
    Rule = 1,
    TopicTeam = 2,
}

public sealed record TeamSuggestion(int? TeamId, string? TeamName, RuleSource Source);

public static class RoutingRules
{
    /// <summary>The rule for the topic, else the topic's own team from the product list, else none.</summary>
    public static async Task<TeamSuggestion> SuggestAsync(KccDbContext db, int topicId, CancellationToken cancellationToken)
    {
        var rule = await db.RoutingRules.AsNoTracking().Where(r => r.TopicId == topicId && r.Team!.IsActive)
            .Select(r => new { r.TeamId, r.Team!.Name }).FirstOrDefaultAsync(cancellationToken);
        if (rule is not null)
        {
            return new TeamSuggestion(rule.TeamId, rule.Name, RuleSource.Rule);
        }

        var topicTeam = await db.Topics.AsNoTracking().Where(t => t.Id == topicId && t.DefaultTeam != null && t.DefaultTeam.IsActive)
            .Select(t => new { TeamId = t.DefaultTeamId!.Value, t.DefaultTeam!.Name }).FirstOrDefaultAsync(cancellationToken);
        return topicTeam is null ? new TeamSuggestion(null, null, RuleSource.None) : new TeamSuggestion(topicTeam.TeamId, topicTeam.Name, RuleSource.TopicTeam);
    }

    /// <summary>A rule for every topic that has a team but no rule yet (demo start, after a UPL import).</summary>
    public static async Task<int> FillFromTopicTeamsAsync(KccDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        var missing = await db.Topics.Where(t => t.DefaultTeamId != null && !db.RoutingRules.Any(r => r.TopicId == t.Id))
            .Select(t => new { t.Id, TeamId = t.DefaultTeamId!.Value }).ToListAsync(cancellationToken);
        db.RoutingRules.AddRange(missing.Select(t => new RoutingRule { TopicId = t.Id, TeamId = t.TeamId, UpdatedAt = now }));
        await db.SaveChangesAsync(cancellationToken);
        return missing.Count;
    }
}

internal sealed class RoutingRuleConfiguration : IEntityTypeConfiguration<RoutingRule>
{
    public void Configure(EntityTypeBuilder<RoutingRule> builder)
    {
        builder.Property(r => r.UpdatedByName).HasMaxLength(200);
        builder.HasOne(r => r.Topic).WithMany().HasForeignKey(r => r.TopicId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(r => r.Team).WithMany().HasForeignKey(r => r.TeamId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => r.TopicId).IsUnique();
    }
}
