namespace Kcc.Workbench.Web.Features.Privacy;

/// <summary>Bewaartermijnen under Kcc:Bewaartermijnen in appsettings.json.</summary>
public sealed class RetentionOptions
{
    /// <summary>Contacts keep their personal data this many years after they ended; inbox conversations after their last message.</summary>
    public int ContactYears { get; set; } = 2;

    /// <summary>Completed back-office tasks keep their free text this many years after completion.</summary>
    public int TaskYears { get; set; } = 2;

    /// <summary>Searches without result (knowledge gaps) are kept this long.</summary>
    public int KnowledgeGapYears { get; set; } = 1;

    /// <summary>Audit entries (who did what to which record, never the data itself) are kept this many years.</summary>
    public int AuditYears { get; set; } = 2;

    /// <summary>How often the background job runs.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromDays(1);
}
