using Kcc.Workbench.Web.Data;
using MediatR;
using Microsoft.Data.Sqlite;

namespace Kcc.Workbench.Web.Infrastructure;

/// <summary>
/// A write that the database refused (integrity check failed, disk full, read-only, I/O error) is not a bug in the
/// request: the agent gets a Dutch message and keeps what they typed, the log gets one warning line without a stack
/// trace. Requests that do not return a Result get a <see cref="DatabaseWriteRefusedException"/>, which the API maps to 503.
/// </summary>
internal sealed class DatabaseFaultBehavior<TRequest, TResponse>(ILogger<DatabaseFaultBehavior<TRequest, TResponse>> logger) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        try
        {
            return await next();
        }
        catch (Exception exception) when (IsStorageFault(exception))
        {
            logger.LogWarning("{Request} niet opgeslagen: de database weigert het schrijven ({Reason})", typeof(TRequest).FullName, Reason(exception));
            var errors = new Dictionary<string, string[]> { [DatabaseFault.ErrorKey] = [DatabaseWriteRefusedException.AgentMessage] };
            if (ResultFactory.TryCreateFailure<TResponse>(errors, out var failed))
            {
                return failed;
            }

            if (exception is DatabaseWriteRefusedException)
            {
                throw;
            }

            throw new DatabaseWriteRefusedException(DatabaseWriteRefusedException.AgentMessage, exception);
        }
    }

    /// <summary>SQLITE_READONLY, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB, or our own refusal.</summary>
    internal static bool IsStorageFault(Exception? exception) => exception switch
    {
        null => false,
        DatabaseWriteRefusedException => true,
        SqliteException { SqliteErrorCode: 8 or 10 or 11 or 13 or 14 or 26 } => true,
        _ => IsStorageFault(exception.InnerException),
    };

    private static string Reason(Exception exception) => exception switch
    {
        DatabaseWriteRefusedException => "integriteitscontrole mislukt",
        SqliteException sqlite => $"SQLite-fout {sqlite.SqliteErrorCode}",
        _ when exception.InnerException is { } inner => Reason(inner),
        _ => exception.GetType().Name,
    };
}
