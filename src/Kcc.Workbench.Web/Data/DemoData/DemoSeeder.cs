using Kcc.Workbench.Web.Features.Account;
using Kcc.Workbench.Web.Features.Teams;
using Kcc.Workbench.Web.Features.Topics;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Data.DemoData;

public sealed class DemoOptions
{
    public bool Seed { get; set; }

    /// <summary>Synthetic contacts to generate (a year of a municipality of 50,000 residents by default).</summary>
    public int Contacts { get; set; } = 50_000;
}

public static class DemoSeeder
{
    public const string Password = "Demo!2026kcc";

    public static readonly string[] TeamNames = ["Burgerzaken", "Vergunningen", "Belastingen", "Sociaal Domein", "Openbare Ruimte", "Afval", "Parkeren", "KCC"];

    public static readonly (string UserName, string DisplayName, string Role, string? Team)[] Accounts =
    [
        ("fo.demo", "Fatima Ouali", Roles.Frontoffice, "KCC"),
        ("bo.demo", "Bram Oosterhuis", Roles.Backoffice, "Burgerzaken"),
        ("tl.demo", "Tessa Lammers", Roles.Teamleider, "KCC"),
        ("kb.demo", "Koen Bakker", Roles.Kennisbeheerder, "KCC"),
        ("beheer.demo", "Bea Heerkens", Roles.Beheerder, null),
    ];

    public static IServiceCollection AddDemoData(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<DemoOptions>(configuration.GetSection("Demo"));
        return services;
    }

    /// <summary>Idempotent: every step only adds what is missing.</summary>
    public static async Task SeedAsync(IServiceProvider services, DemoOptions options, CancellationToken cancellationToken = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<KccDbContext>>();
        var clock = services.GetRequiredService<TimeProvider>();
        // One category for every step, so an operator sees the first start's progress as one story.
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DemoSeeder).FullName!);
        logger.LogInformation("Demodata: teams, onderwerpen en demo-accounts");
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            var existingTeams = await db.Teams.Select(t => t.Name).ToListAsync(cancellationToken);
            db.Teams.AddRange(TeamNames.Except(existingTeams).Select(name => new Team { Name = name }));
            await db.SaveChangesAsync(cancellationToken);

            var teams = await db.Teams.ToDictionaryAsync(t => t.Name, t => t.Id, cancellationToken);
            var existingTopics = (await db.Topics.Select(t => t.Uri).ToListAsync(cancellationToken)).ToHashSet();
            var now = clock.GetUtcNow().UtcDateTime;
            db.Topics.AddRange(DemoTopics.All.Where(t => !existingTopics.Contains(t.Uri)).Select(t => new Topic
            {
                Name = t.Name,
                Uri = t.Uri,
                SearchName = Features.Parties.Identifiers.FoldForSearch(t.Name),
                DefaultTeamId = teams.GetValueOrDefault(t.Team),
                UpdatedAt = now,
            }));
            await db.SaveChangesAsync(cancellationToken);
        }

        await using (var scope = services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<Employee>>();
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var teams = await db.Teams.ToDictionaryAsync(t => t.Name, t => t.Id, cancellationToken);
            foreach (var (userName, displayName, role, team) in Accounts)
            {
                if (await users.FindByNameAsync(userName) is not null)
                {
                    continue;
                }

                var employee = new Employee { UserName = userName, DisplayName = displayName, Email = $"{userName}@gemeente.example", EmailConfirmed = true };
                Check(await users.CreateAsync(employee, Password));
                Check(await users.AddToRoleAsync(employee, role));
                if (team is not null)
                {
                    db.TeamMemberships.Add(new TeamMembership { EmployeeId = employee.Id, TeamId = teams[team] });
                }
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        logger.LogInformation("Demodata: kennisbank");
        await DemoKennisbank.SeedAsync(services, cancellationToken);
        await DemoContacts.GenerateAsync(factory, clock, options.Contacts, logger, cancellationToken);
        logger.LogInformation("Demodata: zoekvragen, feedback, routeringsregels en taken");
        await DemoKnowledgeSignals.SeedAsync(factory, clock, cancellationToken);
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            await Features.Routing.RoutingRules.FillFromTopicTeamsAsync(db, clock.GetUtcNow().UtcDateTime, cancellationToken);
        }

        await DemoTasks.GenerateAsync(factory, clock, services.GetRequiredService<Features.Routing.OfficeCalendar>(), cancellationToken);
        await Features.Inbox.DemoInbox.SeedAsync(services, cancellationToken);
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Demo account could not be created: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
