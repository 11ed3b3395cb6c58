namespace Kcc.Workbench.Web.Data;

/// <summary>Kcc:Database: how the app watches its own database file.</summary>
public sealed class DatabaseOptions
{
    /// <summary>Below this much free space on the database's disk the app does not start and /health/ready is Unhealthy.</summary>
    public int MinFreeMegabytes { get; set; } = 64;

    /// <summary>How often the integrity check (PRAGMA quick_check) runs after the one at start-up.</summary>
    public TimeSpan IntegrityInterval { get; set; } = TimeSpan.FromHours(6);

    public long MinFreeBytes => MinFreeMegabytes * 1024L * 1024L;
}
