using Kcc.Workbench.Web.Data.DemoData;
using Kcc.Workbench.Web.Features.Routing.ServiceNorms;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kcc.Workbench.Web.Data;

public static class DatabaseStartup
{
    private static volatile bool preparing;

    /// <summary>
    /// While the database is prepared, EF Core's own error lines (a failed statement, with its stack trace) are left
    /// out: a disk or file fault then ends in the one clear line below, and any other fault still ends the process with
    /// its exception in full.
    /// </summary>
    /// <remarks>Registered for the category "Microsoft.EntityFrameworkCore" (a rule without a category would lose to the
    /// configuration's rule for it), so it also carries that rule's minimum: Warning.</remarks>
    public static bool EfCoreLogFilter(LogLevel level) => level >= LogLevel.Warning && !(preparing && level >= LogLevel.Error);

    /// <summary>
    /// Checks the file before anything writes to it, then migrates, makes sure the five roles and the default service
    /// norms exist, and seeds demo data when Demo:Seed is true. Returns false, after one clear log line naming the file
    /// and what to do, when the file or the disk is at fault: the process then ends with a non-zero exit code.
    /// </summary>
    public static async Task<bool> InitializeDatabaseAsync(this WebApplication app)
    {
        var guard = app.Services.GetRequiredService<DatabaseGuard>();
        if (guard.FilePath is not { } file)
        {
            return await PrepareServerDatabaseAsync(app);
        }

        var minFree = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MinFreeBytes;
        DatabaseFault? fault;
        preparing = true;
        try
        {
            fault = await DatabaseChecks.BeforeStartAsync(file, minFree);
            if (fault is null)
            {
                await PrepareAsync(app);
            }
        }
        catch (Exception exception) when (DatabaseChecks.Classify(exception, file) is { } classified)
        {
            fault = classified;
        }
        finally
        {
            preparing = false;
        }

        if (fault is not null)
        {
            app.Logger.LogCritical("Kcc.Workbench start niet: {Fault}", fault.Message);
            return false;
        }

        return true;
    }

    /// <summary>
    /// PostgreSQL: EF Core's error lines of an expected first start (the other server created the database first, the
    /// migrations table does not exist yet) stay out of the log; a server that cannot be reached or refuses the account
    /// ends the start with one line naming host, port and database (never the password).
    /// </summary>
    private static async Task<bool> PrepareServerDatabaseAsync(WebApplication app)
    {
        preparing = true;
        try
        {
            await PrepareAsync(app);
            return true;
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException || exception.InnerException is Npgsql.NpgsqlException)
        {
            var reason = exception as Npgsql.NpgsqlException ?? (Npgsql.NpgsqlException)exception.InnerException!;
            var target = new Npgsql.NpgsqlConnectionStringBuilder(app.Configuration.GetConnectionString("Kcc"));
            app.Logger.LogCritical(
                "Kcc.Workbench start niet: de PostgreSQL-database {Database} op {Host}:{Port} is niet bereikbaar of weigert de gebruiker {User} ({Reason}). Controleer ConnectionStrings:Kcc en of de databaseserver draait.",
                target.Database ?? "(geen Database= opgegeven)", target.Host, target.Port, target.Username, reason is Npgsql.PostgresException pg ? $"{pg.SqlState}: {pg.MessageText}" : reason.Message);
            return false;
        }
        finally
        {
            preparing = false;
        }
    }

    private static async Task PrepareAsync(WebApplication app)
    {
        var demo = app.Services.GetRequiredService<IOptions<DemoOptions>>().Value;
        if (demo.Seed && app.Environment.IsProduction())
        {
            throw new InvalidOperationException(
                "Demo:Seed staat aan in de omgeving Production. Demo-accounts met een bekend wachtwoord zijn in productie niet toegestaan: zet Demo:Seed op false.");
        }

        // PostgreSQL: one server at a time migrates and seeds; a second one waits here and then finds it done.
        await using var startupLock = await DatabaseSetup.StartupLockAsync(app.Services);
        await DatabaseSetup.MigrateAsync(app.Services);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            foreach (var role in Roles.All)
            {
                if (!await roles.RoleExistsAsync(role))
                {
                    await roles.CreateAsync(new IdentityRole(role));
                }
            }
        }

        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync())
        {
            await NormKinds.EnsureDefaultsAsync(db, app.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
        }

        if (demo.Seed)
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            await DemoSeeder.SeedAsync(app.Services, demo);
            app.Logger.LogInformation("Demodata klaar in {Elapsed} ms", started.ElapsedMilliseconds);
        }

        await Features.Account.DemoAccounts.CheckAsync(app.Services, app.Configuration, app.Environment, app.Logger);
    }
}
