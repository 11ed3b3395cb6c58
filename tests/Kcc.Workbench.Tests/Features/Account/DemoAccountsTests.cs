using System.Net;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Data.DemoData;
using Kcc.Workbench.Web.Features.Account;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kcc.Workbench.Tests.Features.Account;

/// <summary>
/// The demo accounts' password is in the README: they sign in only where demo data belongs, the login page lists
/// them only there, and in Production a database seeded once does not let them in.
/// </summary>
public sealed class DemoAccountsTests : IAsyncLifetime
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "kcc-tests", "demo-" + Guid.NewGuid().ToString("N"));

    private readonly string? pgDatabase = TestDatabase.IsPostgreSql ? TestDatabase.NewName("demo") : null;

    /// <summary>One database the factories share, on either provider (the factories get Database:Provider from the test run).</summary>
    private string ConnectionString => pgDatabase is null ? $"Data Source={Path.Combine(folder, "kcc.db")}" : TestDatabase.ConnectionString(pgDatabase);

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        // A database seeded with demo data, as a test installation leaves it.
        await using var seeded = new KccWebApplicationFactory(new Dictionary<string, string?> { ["ConnectionStrings:Kcc"] = ConnectionString });
        _ = seeded.Server;
    }

    public async ValueTask DisposeAsync()
    {
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
            // Left for the OS temp cleaner.
        }
    }

    private KccWebApplicationFactory Production(bool removeAccounts = false) => new(new Dictionary<string, string?>
    {
        ["environment"] = "Production",
        ["ConnectionStrings:Kcc"] = ConnectionString,
        ["Demo:Seed"] = "false",
        ["Demo:RemoveAccounts"] = removeAccounts ? "true" : "false",
    });

    [Fact]
    public async Task In_production_a_demo_account_cannot_sign_in_and_one_log_line_says_how_to_remove_them()
    {
        var logs = new CapturingLoggerProvider();
        await using var production = Production();
        await using var factory = production.WithWebHostBuilder(builder => builder.ConfigureLogging(logging => logging.AddProvider(logs)));
        using var client = factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });

        var login = await client.GetStringAsync("/inloggen");
        var response = await LoginForm.SignInAsync(client, "fo.demo", DemoSeeder.Password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Login.FailureMessage, LoginForm.Message(await response.Content.ReadAsStringAsync()));
        Assert.DoesNotContain("Demo-accounts", login, StringComparison.Ordinal);
        Assert.DoesNotContain(DemoSeeder.Password, login, StringComparison.Ordinal);
        var warning = Assert.Single(logs.Lines, l => l.Contains("Demo accounts", StringComparison.Ordinal));
        Assert.Contains("fo.demo", warning, StringComparison.Ordinal);
        Assert.Contains("Demo:RemoveAccounts=true", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_remove_accounts_removes_them()
    {
        await using var factory = Production(removeAccounts: true);
        _ = factory.Server;

        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync();
        var names = DemoSeeder.Accounts.Select(a => a.UserName).ToList();
        Assert.Empty(await db.Users.Where(u => names.Contains(u.UserName!)).ToListAsync());
        Assert.NotEmpty(await db.Contacts.ToListAsync());
    }

    [Fact]
    public async Task The_login_page_lists_the_demo_accounts_and_their_password_only_when_demo_data_is_on()
    {
        await using var demo = new KccWebApplicationFactory(new Dictionary<string, string?> { ["ConnectionStrings:Kcc"] = ConnectionString });
        await using var withoutDemo = new KccWebApplicationFactory(new Dictionary<string, string?> { ["ConnectionStrings:Kcc"] = ConnectionString, ["Demo:Seed"] = "false" });

        var listed = await demo.CreateClient().GetStringAsync("/inloggen");
        var notListed = await withoutDemo.CreateClient().GetStringAsync("/inloggen");

        Assert.Contains(">Demo-accounts</h2>", listed, StringComparison.Ordinal);
        Assert.Contains(DemoSeeder.Password, listed, StringComparison.Ordinal);
        Assert.All(DemoSeeder.Accounts, a => Assert.Contains($"<code>{a.UserName}</code>", listed, StringComparison.Ordinal));
        Assert.DoesNotContain("Demo-accounts", notListed, StringComparison.Ordinal);
        Assert.DoesNotContain(DemoSeeder.Password, notListed, StringComparison.Ordinal);
    }
}
