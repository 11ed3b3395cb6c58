using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kcc.Workbench.Web.Features.Contacts;

/// <summary>
/// The unsaved contact form of one agent, kept server-side so a reload or a dropped circuit loses nothing.
/// One draft per agent: an agent handles one resident at a time.
/// </summary>
public class ContactDraft
{
    public required string AgentId { get; set; }

    public required string Json { get; set; }

    public DateTime UpdatedAt { get; set; }
}

internal sealed class ContactDraftConfiguration : IEntityTypeConfiguration<ContactDraft>
{
    public void Configure(EntityTypeBuilder<ContactDraft> builder)
    {
        builder.HasKey(d => d.AgentId);
        builder.Property(d => d.AgentId).HasMaxLength(450);
    }
}
