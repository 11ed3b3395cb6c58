using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Data.DemoData;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Account;

/// <summary>
/// The demo accounts share a password printed in the README: in Production they never sign in, whatever Demo:Seed
/// says and whichever database was seeded once. At start-up one log line names them and says how to remove them;
/// <c>Demo:RemoveAccounts=true</c> removes them (their contacts keep the agent's name).
/// </summary>
public static class DemoAccounts
{
    public static bool IsDemoAccount(string? userName) =>
        userName is not null && DemoSeeder.Accounts.Any(a => string.Equals(a.UserName, userName, StringComparison.OrdinalIgnoreCase));

    /// <summary>Removes the demo accounts when asked to, and warns about any that remain in Production.</summary>
    public static async Task CheckAsync(IServiceProvider services, IConfiguration configuration, IHostEnvironment environment, ILogger logger)
    {
        var names = DemoSeeder.Accounts.Select(a => a.UserName.ToUpperInvariant()).ToList();
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Employee>>();
        var present = await users.Users.Where(u => names.Contains(u.NormalizedUserName!)).ToListAsync();
        if (present.Count == 0)
        {
            return;
        }

        if (configuration.GetValue<bool>("Demo:RemoveAccounts"))
        {
            foreach (var employee in present)
            {
                var result = await users.DeleteAsync(employee);
                if (!result.Succeeded)
                {
                    throw new InvalidOperationException($"Demo account {employee.UserName} could not be removed: " + string.Join("; ", result.Errors.Select(e => e.Description)));
                }
            }

            logger.LogWarning("Removed the demo accounts {Accounts} (Demo:RemoveAccounts=true); set Demo:RemoveAccounts back to false", string.Join(", ", present.Select(e => e.UserName)));
            return;
        }

        if (environment.IsProduction())
        {
            logger.LogWarning(
                "Demo accounts {Accounts} exist in this database; in Production they cannot sign in. Remove them: start once with Demo:RemoveAccounts=true (environment variable Demo__RemoveAccounts=true)",
                string.Join(", ", present.Select(e => e.UserName)));
        }
    }
}
