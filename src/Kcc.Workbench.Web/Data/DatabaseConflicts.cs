using Npgsql;

namespace Kcc.Workbench.Web.Data;

/// <summary>
/// PostgreSQL reports a clash between two transactions (serializable isolation: 40001; a unique index: 23505; a
/// deadlock: 40P01) as an error where SQLite's single writer would have made the second one wait. Such a transaction
/// can be run again: on the retry it sees what the other one committed.
/// </summary>
public static class DatabaseConflicts
{
    public static bool IsRetryable(Exception exception) => exception switch
    {
        PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected } => true,
        { InnerException: { } inner } => IsRetryable(inner),
        _ => false,
    };
}
