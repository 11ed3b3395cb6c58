using System.Data.Common;
using System.Globalization;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Data.DemoData;
using Kcc.Workbench.Web.Features.Account;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Features.Teams;
using Kcc.Workbench.Web.Features.Topics;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Benchmarks;

/// <summary>
/// The app's real services (the same registrations as Program.cs: database, identity, mediator pipeline, features,
/// TimeProvider.System) on a fresh SQLite file, seeded with teams, the demo topics, parties and agents.
/// A <see cref="Variant"/> may add benchmark-only changes on top; the default variant changes nothing.
/// </summary>
internal sealed class BenchApp : IAsyncDisposable
{
    private BenchApp(ServiceProvider services, string folder)
    {
        Services = services;
        Folder = folder;
    }

    public ServiceProvider Services { get; }

    public string Folder { get; }

    public string DatabasePath => Path.Combine(Folder, "kcc.db");

    public IReadOnlyList<BenchAgent> Agents { get; private set; } = [];

    public IReadOnlyList<int> PartyIds { get; private set; } = [];

    public IReadOnlyList<(int Id, string Name)> Topics { get; private set; } = [];

    /// <summary>
    /// KCC_BENCH_PG: a connection string to a PostgreSQL server (without Database); each app then gets a database of
    /// its own there, dropped afterwards, instead of a SQLite file.
    /// </summary>
    public static string? PostgreSqlServer { get; } = Environment.GetEnvironmentVariable("KCC_BENCH_PG") is { Length: > 0 } pg ? pg : null;

    private string? pgDatabase;

    public static async Task<BenchApp> CreateAsync(Variant variant, int agentCount, int partyCount, Action<IServiceCollection>? configure = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "kcc-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Kcc"] = $"Data Source={Path.Combine(folder, "kcc.db")}",
            ["Kcc:Contacten:RepeatWindowDays"] = "7",
            ["Kcc:Contacten:HistoryDays"] = "30",
        };
        string? pgDatabase = null;
        if (PostgreSqlServer is { } server)
        {
            pgDatabase = "kcc_bench_" + Guid.NewGuid().ToString("N");
            settings["Database:Provider"] = "PostgreSQL";
            settings["ConnectionStrings:Kcc"] = new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = pgDatabase }.ToString();
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var provider = BuildServices(configuration, folder, variant, configure);
        await using (await DatabaseSetup.StartupLockAsync(provider))
        {
            await DatabaseSetup.MigrateAsync(provider);
        }

        var app = new BenchApp(provider, folder) { pgDatabase = pgDatabase, configuration = configuration, variant = variant, configure = configure };
        await app.SeedAsync(agentCount, partyCount);
        return app;
    }

    private IConfiguration? configuration;
    private Variant? variant;
    private Action<IServiceCollection>? configure;

    /// <summary>
    /// Another app server on the same PostgreSQL database: its own services (writer, connection pool, caches), as a second
    /// process would have; it shares this process's CPUs. Disposed with this app.
    /// </summary>
    public ServiceProvider AddServer()
    {
        if (pgDatabase is null)
        {
            throw new InvalidOperationException("Several app servers need one shared database: set KCC_BENCH_PG.");
        }

        var server = BuildServices(configuration!, Folder, variant!, configure);
        extraServers.Add(server);
        return server;
    }

    private readonly List<ServiceProvider> extraServers = [];

    private static ServiceProvider BuildServices(IConfiguration configuration, string folder, Variant variant, Action<IServiceCollection>? configure)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddKccDatabase(configuration, folder);
        services.AddKccIdentity();
        services.AddKccMediator(typeof(Program).Assembly);
        services.AddKccFeatures(configuration);

        // One signed-in agent per scope (the app's CurrentUser reads the Blazor circuit, which a console has not).
        services.AddScoped<BenchCurrentUser>();
        services.AddScoped<ICurrentUser>(sp => sp.GetRequiredService<BenchCurrentUser>());

        variant.Configure(services);
        configure?.Invoke(services);

        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = false });
    }

    public Task<KccDbContext> CreateDbContextAsync() => Services.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync();

    /// <summary>Teams and topics as every installation has them, the agents' Employee rows, and parties (raw ADO.NET, one transaction).</summary>
    private async Task SeedAsync(int agentCount, int partyCount)
    {
        await using var db = await CreateDbContextAsync();
        var now = DateTime.UtcNow;
        db.Teams.AddRange(DemoSeeder.TeamNames.Select(n => new Team { Name = n }));
        await db.SaveChangesAsync();
        var teams = await db.Teams.ToDictionaryAsync(t => t.Name, t => t.Id);
        db.Topics.AddRange(DemoTopics.All.Select(t => new Topic
        {
            Name = t.Name,
            Uri = t.Uri,
            SearchName = Identifiers.FoldForSearch(t.Name),
            DefaultTeamId = teams[t.Team],
            UpdatedAt = now,
        }));

        var agents = new List<BenchAgent>();
        for (var i = 1; i <= agentCount; i++)
        {
            var userName = string.Create(CultureInfo.InvariantCulture, $"agent{i:000}");
            var displayName = string.Create(CultureInfo.InvariantCulture, $"{Names.First[i % Names.First.Length]} {Names.Last[i * 7 % Names.Last.Length].Last}");
            var employee = new Employee
            {
                UserName = userName,
                NormalizedUserName = userName.ToUpperInvariant(),
                DisplayName = displayName,
                SecurityStamp = Guid.NewGuid().ToString(),
            };
            db.Users.Add(employee);
            agents.Add(new BenchAgent(employee.Id, userName, displayName));
        }

        await db.SaveChangesAsync();
        Agents = agents;
        Topics = (await db.Topics.OrderBy(t => t.Id).Select(t => new { t.Id, t.Name }).ToListAsync()).Select(t => (t.Id, t.Name)).ToList();
        PartyIds = await InsertPartiesAsync(db, partyCount, now);
    }

    private static async Task<List<int>> InsertPartiesAsync(KccDbContext db, int count, DateTime now)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        // The app's own bulk-insert helpers: quoted names and typed values, so the same SQL runs on SQLite and PostgreSQL.
        await using var insert = Web.Data.DemoData.DemoContacts.Command(connection, transaction,
            "INSERT INTO Parties (Kind, FirstNames, Prefix, LastName, Bsn, Street, HouseNumber, Postcode, City, SearchName, CreatedAt, Version) " +
            "VALUES (1, $first, $prefix, $last, $bsn, $street, $number, $postcode, 'Demodorp', $search, $created, 1) RETURNING Id",
            "$first", "$prefix", "$last", "$bsn", "$street", "$number", "$postcode", "$search", "$created");
        var random = new Random(5000);
        var ids = new List<int>(count);
        var bsn = 100_000_000;
        for (var i = 0; i < count; i++)
        {
            var first = Names.First[random.Next(Names.First.Length)];
            var (prefix, last) = Names.Last[random.Next(Names.Last.Length)];
            do
            {
                bsn++;
            }
            while (!Identifiers.IsValidBsn(bsn.ToString(CultureInfo.InvariantCulture)));

            Web.Data.DemoData.DemoContacts.Set(insert, first, prefix, last, bsn.ToString(CultureInfo.InvariantCulture), Names.Streets[random.Next(Names.Streets.Length)], 1 + random.Next(180),
                string.Create(CultureInfo.InvariantCulture, $"{1000 + random.Next(8999)}{(char)('A' + random.Next(17))}{(char)('B' + random.Next(17))}"),
                Identifiers.FoldForSearch($"{last} {first} {prefix}"), now.AddDays(-random.Next(400)));
            ids.Add(Convert.ToInt32(await insert.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
        }

        await transaction.CommitAsync();
        return ids;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in extraServers)
        {
            await server.DisposeAsync();
        }

        await Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (pgDatabase is not null)
        {
            await using var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(PostgreSqlServer!) { Database = "postgres", Pooling = false }.ToString());
            await connection.OpenAsync();
            await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{pgDatabase}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the OS temp cleaner.
        }
    }
}

internal static class Names
{
    public static readonly string[] First =
    [
        "Jan", "Sanne", "Lotte", "Emma", "Daan", "Sem", "Fleur", "Anouk", "Mohamed", "Fatima", "Ayoub", "Yasmina", "Noah", "Eva", "Ingrid", "Gerrit",
        "Marieke", "Özlem", "Mehmet", "Priya", "Agnieszka", "Tomasz", "Chantal", "Roel", "Femke", "Joris", "Noor", "Zeynep", "Karim", "Ruud",
    ];

    public static readonly (string? Prefix, string Last)[] Last =
    [
        (null, "Jansen"), ("de", "Vries"), ("van den", "Berg"), (null, "Bakker"), ("van", "Dijk"), (null, "Visser"), (null, "Smit"), (null, "Meijer"),
        ("de", "Boer"), (null, "Mulder"), ("de", "Groot"), (null, "Bos"), (null, "Vos"), (null, "Peters"), (null, "Hendriks"), ("van", "Leeuwen"),
        (null, "Dekker"), (null, "Yılmaz"), (null, "El Amrani"), (null, "Kaya"), (null, "Nowak"), (null, "Öztürk"), ("van der", "Meer"), (null, "Kok"),
    ];

    public static readonly string[] Streets = ["Dorpsstraat", "Kerkstraat", "Stationsweg", "Molenweg", "Schoolstraat", "Julianalaan", "Havenkade", "Marktplein"];
}
