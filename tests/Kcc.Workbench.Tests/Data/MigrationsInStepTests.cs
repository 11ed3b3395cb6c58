using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Data.PostgreSql;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Tests.Data;

/// <summary>
/// The model and both migration sets stay in step: a change to an entity without a migration for SQLite
/// (Data/Migrations) and one for PostgreSQL (Data/PostgreSqlMigrations) fails here, before any server starts.
/// Neither check needs a database.
/// </summary>
public class MigrationsInStepTests
{
    [Fact]
    public void The_SQLite_migrations_hold_every_change_of_the_model()
    {
        using var db = new KccDbContext(new DbContextOptionsBuilder<KccDbContext>().UseSqlite("Data Source=:memory:").Options);

        Assert.False(db.Database.HasPendingModelChanges(),
            "The model has changes no SQLite migration holds: dotnet ef migrations add <Name> --context KccDbContext --output-dir Data/Migrations --project src/Kcc.Workbench.Web");
        Assert.NotEmpty(db.Database.GetMigrations());
    }

    [Fact]
    public void The_PostgreSQL_migrations_hold_every_change_of_the_model()
    {
        using var db = new PostgreSqlDesignTimeFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges(),
            "The model has changes no PostgreSQL migration holds: dotnet ef migrations add <Name> --context PostgreSqlKccDbContext --output-dir Data/PostgreSqlMigrations --project src/Kcc.Workbench.Web");
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.DoesNotContain(db.Database.GetMigrations(), m => m.EndsWith("_InitialSchema", StringComparison.Ordinal) && !m.Contains("PostgreSql", StringComparison.Ordinal));
    }
}
