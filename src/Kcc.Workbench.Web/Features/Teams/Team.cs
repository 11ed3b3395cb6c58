using Kcc.Workbench.Web.Features.Account;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kcc.Workbench.Web.Features.Teams;

/// <summary>A back-office team or the KCC itself (organisatorische eenheid in Klantinteracties).</summary>
public class Team
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public bool IsActive { get; set; } = true;

    public List<TeamMembership> Members { get; } = [];
}

public class TeamMembership
{
    public required string EmployeeId { get; set; }

    public int TeamId { get; set; }

    public Employee? Employee { get; set; }

    public Team? Team { get; set; }
}

internal sealed class TeamConfiguration : IEntityTypeConfiguration<Team>, IEntityTypeConfiguration<TeamMembership>
{
    public void Configure(EntityTypeBuilder<Team> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(100);
        builder.HasIndex(t => t.Name).IsUnique();
    }

    public void Configure(EntityTypeBuilder<TeamMembership> builder)
    {
        builder.HasKey(m => new { m.EmployeeId, m.TeamId });
        builder.HasOne(m => m.Team).WithMany(t => t.Members).HasForeignKey(m => m.TeamId);
        builder.HasOne(m => m.Employee).WithMany(e => e.Teams).HasForeignKey(m => m.EmployeeId);
    }
}
