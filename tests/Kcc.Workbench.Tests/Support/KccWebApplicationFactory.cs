using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kcc.Workbench.Tests.Support;

/// <summary>The whole app over HTTP (TestServer) on its own SQLite file, with the demo accounts but few contacts.</summary>
/// <param name="settings">Extra configuration on top of the test defaults (OIDC, for instance).</param>
/// <param name="services">Extra services on top of the app's (an interceptor that limits the database's size, for instance).</param>
public sealed class KccWebApplicationFactory(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null) : WebApplicationFactory<Program>
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "kcc-tests", "web-" + Guid.NewGuid().ToString("N"));

    public string DatabasePath => Path.Combine(folder, "kcc.db");

    /// <summary>On PostgreSQL (see <see cref="TestDatabase"/>): this app's own database, created by the app's start-up and dropped afterwards.</summary>
    public string? PostgreSqlDatabase { get; } = TestDatabase.IsPostgreSql ? TestDatabase.NewName("web") : null;

    public const string WebsiteKey = "test-sleutel-website-0123456789";
    public const string ReportingKey = "test-sleutel-rapportage-0123456789";
    public const string WhatsAppVerifyToken = "test-verify-token-kcc";
    public const string WhatsAppAppSecret = "test-app-secret-0123456789abcdef";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(folder);
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Kcc", $"Data Source={Path.Combine(folder, "kcc.db")}");
        if (PostgreSqlDatabase is not null)
        {
            foreach (var (key, value) in TestDatabase.Settings(PostgreSqlDatabase))
            {
                builder.UseSetting(key, value);
            }
        }

        builder.UseSetting("Demo:Seed", "true");
        builder.UseSetting("Demo:Contacts", "200");
        builder.UseSetting("Kcc:Inloggen:PogingenPerMinuut", "1000");
        builder.UseSetting("Integraties:Clients:0:Name", "Websiteformulier");
        builder.UseSetting("Integraties:Clients:0:KeyHash", Kcc.Workbench.Web.Features.Integrations.ApiKeyDefaults.Hash(WebsiteKey));
        builder.UseSetting("Integraties:Clients:0:Roles:0", "Frontoffice");
        builder.UseSetting("Integraties:Clients:1:Name", "Rapportage");
        builder.UseSetting("Integraties:Clients:1:KeyHash", Kcc.Workbench.Web.Features.Integrations.ApiKeyDefaults.Hash(ReportingKey));
        builder.UseSetting("Integraties:Clients:1:Roles:0", "Teamleider");
        builder.UseSetting("Kanalen:WhatsApp:VerifyToken", WhatsAppVerifyToken);
        builder.UseSetting("Kanalen:WhatsApp:AppSecret", WhatsAppAppSecret);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        if (services is not null)
        {
            builder.ConfigureServices(services);
        }
    }

    public HttpClient CreateBrowserLikeClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (PostgreSqlDatabase is not null)
        {
            await TestDatabase.DropAsync(PostgreSqlDatabase);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }
    }
}
