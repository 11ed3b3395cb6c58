using System.Security.Claims;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Data.DemoData;
using Kcc.Workbench.Web.Features.Account;
using Kcc.Workbench.Web.Features.Teams;
using Kcc.Workbench.Web.Features.Topics;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kcc.Workbench.Tests.Support;

/// <summary>
/// The app's real services (mediator pipeline, handlers, validators, EF Core) on a fresh SQLite file per test (or a
/// fresh PostgreSQL database, see <see cref="TestDatabase"/>), with a fake clock and a signed-in user the test chooses.
/// No EF in-memory provider.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    public static readonly DateTimeOffset DefaultNow = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    private readonly string folder;

    private readonly string? pgDatabase;

    private TestApp(ServiceProvider services, string folder, FakeTimeProvider clock, TestCurrentUser user, string? pgDatabase)
    {
        this.pgDatabase = pgDatabase;
        Services = services;
        this.folder = folder;
        Clock = clock;
        User = user;
    }

    public ServiceProvider Services { get; }

    public FakeTimeProvider Clock { get; }

    public TestCurrentUser User { get; }

    public string DatabasePath => Path.Combine(folder, "kcc.db");

    public static async Task<TestApp> CreateAsync(Action<IServiceCollection>? configure = null, IDictionary<string, string?>? settings = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "kcc-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        string? pgDatabase = null;
        if (TestDatabase.IsPostgreSql)
        {
            pgDatabase = TestDatabase.NewName("app");
            await TestDatabase.CreateAsync(pgDatabase, template: await PgTemplate.Value);
            settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()).WithPostgreSql(pgDatabase);
        }
        else
        {
            File.Copy(await Template.Value, Path.Combine(folder, "kcc.db"));
        }

        var clock = new FakeTimeProvider(DefaultNow);
        var user = new TestCurrentUser();
        var services = new ServiceCollection();
        Register(services, folder, clock, user, settings);
        configure?.Invoke(services);
        return new TestApp(services.BuildServiceProvider(), folder, clock, user, pgDatabase) { settings = settings };
    }

    /// <summary>PostgreSQL: one migrated and seeded database, copied per test by CREATE DATABASE … TEMPLATE.</summary>
    private static readonly Lazy<Task<string>> PgTemplate = new(async () =>
    {
        var name = TestDatabase.NewName("template");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(TestDatabase.Settings(name)).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddKccDatabase(configuration, Path.GetTempPath());
        await using (var provider = services.BuildServiceProvider())
        {
            await using (await DatabaseSetup.StartupLockAsync(provider))
            {
                await DatabaseSetup.MigrateAsync(provider);
            }

            await using var db = await provider.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync();
            await SeedBasicsAsync(db);
        }

        // A template may have no open connections while it is copied.
        Npgsql.NpgsqlConnection.ClearAllPools();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TestDatabase.DropAsync(name).GetAwaiter().GetResult();
        return name;
    });

    private IDictionary<string, string?>? settings;

    /// <summary>Registers the app's services on this test's database, clock and user into another container (bUnit's).</summary>
    public void AddTo(IServiceCollection services) => Register(services, folder, Clock, User, settings);

    private static void Register(IServiceCollection services, string folder, FakeTimeProvider clock, TestCurrentUser user, IDictionary<string, string?>? settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Kcc"] = $"Data Source={Path.Combine(folder, "kcc.db")}" })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<TimeProvider>(clock);
        services.AddKccDatabase(configuration, folder);
        services.AddKccIdentity();
        services.AddKccMediator(typeof(Program).Assembly);
        services.AddKccFeatures(configuration);
        services.AddSingleton<ICurrentUser>(user);
    }

    /// <summary>Migrating and seeding once, then copying the file, keeps a test's database fresh but cheap.</summary>
    private static readonly Lazy<Task<string>> Template = new(async () =>
    {
        var folder = Path.Combine(Path.GetTempPath(), "kcc-tests", "template-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Kcc"] = $"Data Source={Path.Combine(folder, "kcc.db")};Pooling=False" })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddKccDatabase(configuration, folder);
        await using (var provider = services.BuildServiceProvider())
        {
            await DatabaseSetup.MigrateAsync(provider);
            await using var db = await provider.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync();
            await SeedBasicsAsync(db);
            // Fold the WAL into the main file so a plain copy carries everything.
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return Path.Combine(folder, "kcc.db");
    });

    /// <summary>Teams, the demo topics, the five roles and the default service norms: what every installation has before its first contact.</summary>
    private static async Task SeedBasicsAsync(KccDbContext db)
    {
        db.Teams.AddRange(DemoSeeder.TeamNames.Select(n => new Team { Name = n }));
        await db.SaveChangesAsync();
        var teams = await db.Teams.ToDictionaryAsync(t => t.Name, t => t.Id);
        db.Topics.AddRange(DemoTopics.All.Select(t => new Topic
        {
            Name = t.Name,
            Uri = t.Uri,
            SearchName = Kcc.Workbench.Web.Features.Parties.Identifiers.FoldForSearch(t.Name),
            DefaultTeamId = teams[t.Team],
            UpdatedAt = DefaultNow.UtcDateTime,
        }));
        db.Roles.AddRange(Roles.All.Select(r => new IdentityRole(r) { NormalizedName = r.ToUpperInvariant() }));
        await db.SaveChangesAsync();
        await Kcc.Workbench.Web.Features.Routing.ServiceNorms.NormKinds.EnsureDefaultsAsync(db, DefaultNow.UtcDateTime);
    }

    public Task<KccDbContext> CreateDbContextAsync() => Services.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync();

    /// <summary>Creates an employee in the database and signs them in for the next requests.</summary>
    public async Task<Employee> SignInAsAsync(string role, string userName = "agent", string displayName = "Test Agent")
    {
        await using var db = await CreateDbContextAsync();
        var employee = await db.Users.FirstOrDefaultAsync(u => u.UserName == userName);
        if (employee is null)
        {
            employee = new Employee { UserName = userName, NormalizedUserName = userName.ToUpperInvariant(), DisplayName = displayName, SecurityStamp = Guid.NewGuid().ToString() };
            db.Users.Add(employee);
            await db.SaveChangesAsync();
        }

        User.Principal = TestCurrentUser.For(employee.Id, userName, displayName, role);
        return employee;
    }

    public void SignOut() => User.Principal = new ClaimsPrincipal(new ClaimsIdentity());

    public async Task<T> SendAsync<T>(IRequest<T> request)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }

    public async Task<int> TopicIdAsync(string name)
    {
        await using var db = await CreateDbContextAsync();
        return await db.Topics.Where(t => t.Name == name).Select(t => t.Id).SingleAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (pgDatabase is not null)
        {
            await TestDatabase.DropAsync(pgDatabase);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the OS temp cleaner.
        }
    }
}

public sealed class TestCurrentUser : ICurrentUser
{
    private static readonly AsyncLocal<ClaimsPrincipal?> Acting = new();

    public ClaimsPrincipal Principal { get; set; } = new(new ClaimsIdentity());

    /// <summary>Within the returned scope, on this async flow only, requests are sent as <paramref name="principal"/>: two employees at once.</summary>
    public static IDisposable ActAs(ClaimsPrincipal principal)
    {
        var previous = Acting.Value;
        Acting.Value = principal;
        return new Restore(() => Acting.Value = previous);
    }

    public Task<ClaimsPrincipal> GetPrincipalAsync() => Task.FromResult(Acting.Value ?? Principal);

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    public static ClaimsPrincipal For(string id, string userName, string displayName, params string[] roles)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, id),
            new(ClaimTypes.Name, userName),
            new(KccClaimTypes.DisplayName, displayName),
        };
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "Test"));
    }
}
