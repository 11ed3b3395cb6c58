using Kcc.Workbench.Web.Features.Account;
using Kcc.Workbench.Web.Features.Audit;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.KnowledgeBase;
using Kcc.Workbench.Web.Features.Notifications;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Features.Routing;
using Kcc.Workbench.Web.Features.Routing.ServiceNorms;
using Kcc.Workbench.Web.Features.Teams;
using Kcc.Workbench.Web.Features.Topics;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Kcc.Workbench.Web.Data;

/// <summary>
/// The workbench's database. On SQLite this type itself is used (migrations in Data/Migrations); on PostgreSQL the
/// derived <see cref="PostgreSql.PostgreSqlKccDbContext"/>, so each provider has its own migration set and snapshot.
/// </summary>
public class KccDbContext : IdentityDbContext<Employee>
{
    public KccDbContext(DbContextOptions<KccDbContext> options)
        : base(options)
    {
    }

    /// <summary>For a provider's derived context type.</summary>
    protected KccDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Team> Teams => Set<Team>();

    public DbSet<TeamMembership> TeamMemberships => Set<TeamMembership>();

    public DbSet<Topic> Topics => Set<Topic>();

    public DbSet<Party> Parties => Set<Party>();

    public DbSet<PartyContactDetail> PartyContactDetails => Set<PartyContactDetail>();

    public DbSet<Contact> Contacts => Set<Contact>();

    public DbSet<Question> Questions => Set<Question>();

    public DbSet<ContactDraft> ContactDrafts => Set<ContactDraft>();

    public DbSet<Article> Articles => Set<Article>();

    public DbSet<ArticleVersion> ArticleVersions => Set<ArticleVersion>();

    public DbSet<ArticleFeedback> ArticleFeedback => Set<ArticleFeedback>();

    public DbSet<KnowledgeGap> KnowledgeGaps => Set<KnowledgeGap>();
    public DbSet<InternalTask> InternalTasks => Set<InternalTask>();

    public DbSet<TaskLogEntry> TaskLogEntries => Set<TaskLogEntry>();

    public DbSet<RoutingRule> RoutingRules => Set<RoutingRule>();

    public DbSet<ServiceNorm> ServiceNorms => Set<ServiceNorm>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<EmployeeNotification> EmployeeNotifications => Set<EmployeeNotification>();

    public DbSet<HealthProbe> HealthProbes => Set<HealthProbe>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(KccDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // All times are stored as UTC DateTime: ordering and comparing them translates on SQLite and PostgreSQL alike
        // (SQLite cannot order DateTimeOffset). Reading marks them UTC again.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
