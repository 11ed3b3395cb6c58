using System.Data.Common;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kcc.Workbench.Benchmarks;

/// <summary>
/// What runs: "app" is the application exactly as shipped. The others are benchmark-only alternatives,
/// measured here so the owner can decide; none of them changes code under src/.
/// </summary>
internal sealed record Variant(string Name, string Description, bool Durable, Action<IServiceCollection> Configure, int? MinThreads = null)
{
    public static readonly Variant App = new("app", "the app as shipped: WAL, synchronous=FULL", Durable: true, _ => { });

    public static readonly Variant Normal = new("normal", "WAL with synchronous=NORMAL (app otherwise unchanged)", Durable: false,
        services => services.AddDbInterceptor(new SynchronousPragma("NORMAL")));

    public static readonly Variant Threads = new("threads", "app + thread pool minimum of 64 worker threads (runtimeconfig setting)", Durable: true, _ => { },
        MinThreads: 64);

    public static readonly Variant Gate = Alternative("gate", "app handler + async FIFO gate before BEGIN instead of SQLite busy polling",
        new HandlerChanges(OneConnection: false, CombinedStatements: false, Gate: true));

    public static readonly Variant Lean = Alternative("lean", "app handler with one connection open per save, draft delete + channel update in one command",
        new HandlerChanges(OneConnection: true, CombinedStatements: true, Gate: false));

    public static readonly Variant LeanGate = Alternative("lean-gate", "lean + gate",
        new HandlerChanges(OneConnection: true, CombinedStatements: true, Gate: true));

    public static readonly Variant Group = new("group", "group commit: one writer commits all waiting saves in one transaction (synchronous=FULL)", Durable: true,
        services =>
        {
            services.AddSingleton<GroupCommitWriter>();
            services.AddTransient<MediatR.IRequestHandler<LogContact.Command, Result<long>>, GroupCommitLogContactHandler>();
        });

    public static readonly IReadOnlyList<Variant> All = [App, Normal, Threads, Gate, Lean, LeanGate, Group];

    private static Variant Alternative(string name, string description, HandlerChanges changes) => new(name, description, Durable: true, services =>
    {
        services.AddSingleton(changes);
        services.AddSingleton<WriteGate>();
        services.AddTransient<MediatR.IRequestHandler<LogContact.Command, Result<long>>, AlternativeLogContactHandler>();
    });

    public static Variant Find(string name) =>
        All.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown variant '{name}'. Known: {string.Join(", ", All.Select(v => v.Name))}.");
}

internal static class VariantRegistration
{
    /// <summary>Adds an interceptor after the app's own (SqlitePragmas), so it sees the connection after the app configured it.</summary>
    public static IServiceCollection AddDbInterceptor(this IServiceCollection services, IInterceptor interceptor) =>
        services.ConfigureDbContext<KccDbContext>((_, options) => options.AddInterceptors(interceptor), ServiceLifetime.Singleton);
}

/// <summary>Overrides the app's PRAGMA synchronous=FULL on every opened connection.</summary>
internal sealed class SynchronousPragma(string level) : DbConnectionInterceptor
{
    private readonly string sql = $"PRAGMA synchronous={level};";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
