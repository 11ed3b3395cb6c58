namespace Kcc.Workbench.Web.Features.Backups;

/// <summary>Kcc:Backup: where the online backups of the SQLite database go, how often, and how many are kept.</summary>
public sealed class BackupOptions
{
    /// <summary>Relative paths are resolved against the app's folder. Best on another disk than the database.</summary>
    public string Folder { get; set; } = "data/backups";

    /// <summary>Time between scheduled backups; zero or less turns the schedule off (a beheerder can still start one).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How many backups are kept; the oldest beyond this number are deleted after a new one passed its check.</summary>
    public int Keep { get; set; } = 7;
}
