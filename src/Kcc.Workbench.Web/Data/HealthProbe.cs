namespace Kcc.Workbench.Web.Data;

/// <summary>
/// One row that /health/ready rewrites and commits on every check: a write that really reaches the file (and its
/// fsync), so a read-only file system or an I/O fault shows up before an agent's save fails.
/// </summary>
public class HealthProbe
{
    public int Id { get; set; }

    public DateTime CheckedAt { get; set; }
}
