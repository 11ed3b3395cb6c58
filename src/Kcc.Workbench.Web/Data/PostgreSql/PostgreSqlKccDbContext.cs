using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Kcc.Workbench.Web.Data.PostgreSql;

/// <summary>
/// The same model on PostgreSQL. A type of its own gives PostgreSQL its own migrations and model snapshot
/// (Data/PostgreSqlMigrations), as the EF Core docs describe for one context per provider; the app resolves it as
/// <see cref="KccDbContext"/> everywhere. Every SaveChanges runs in a transaction, so the commit-order lock that
/// <see cref="CommitOrderInterceptor"/> takes is held until that transaction commits.
/// </summary>
public sealed class PostgreSqlKccDbContext : KccDbContext
{
    public PostgreSqlKccDbContext(DbContextOptions<PostgreSqlKccDbContext> options)
        : base(options)
    {
        Database.AutoTransactionBehavior = AutoTransactionBehavior.Always;
    }
}

/// <summary>
/// For <c>dotnet ef migrations add … --context PostgreSqlKccDbContext</c>: a model needs no server, so no real
/// connection string is needed.
/// </summary>
public sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlKccDbContext>
{
    public PostgreSqlKccDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<PostgreSqlKccDbContext>()
        .UseNpgsql("Host=localhost;Database=kcc_design_time")
        .Options);
}

/// <summary>Hands out PostgreSQL contexts to code that asks for <see cref="KccDbContext"/>.</summary>
internal sealed class PostgreSqlContextFactory(IDbContextFactory<PostgreSqlKccDbContext> inner) : IDbContextFactory<KccDbContext>
{
    public KccDbContext CreateDbContext() => inner.CreateDbContext();

    public async Task<KccDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await inner.CreateDbContextAsync(cancellationToken);
}
