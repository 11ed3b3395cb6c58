using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Data.PostgreSql;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Dashboard;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kcc.Workbench.Tests.Data;

/// <summary>
/// Several app servers on one PostgreSQL database: they start together and seed once, share the sign-in keys, hear
/// each other's live updates, run the retention job once between them, and the dashboard's catch-up misses no row
/// that commits after a row with a higher id. Runs in the PostgreSQL pass of test.sh only (there is no second server
/// on one SQLite file).
/// </summary>
[Trait("Provider", TestDatabase.PostgreSqlOnly)]
public sealed class PostgreSqlClusterTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Two_servers_starting_together_on_an_empty_database_seed_it_once_share_keys_and_hear_each_others_live_updates()
    {
        var database = TestDatabase.NewName("two");
        try
        {
            await using var a = new KccWebApplicationFactory(TestDatabase.Settings(database));
            await using var b = new KccWebApplicationFactory(TestDatabase.Settings(database));
            await Task.WhenAll(Task.Run(() => a.Server), Task.Run(() => b.Server));

            await using (var db = await a.Services.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync())
            {
                Assert.Equal(200, await db.Contacts.CountAsync());
                Assert.Equal(await db.Teams.Select(t => t.Name).Distinct().CountAsync(), await db.Teams.CountAsync());
                Assert.Equal(5, await db.Users.CountAsync(u => u.UserName!.EndsWith(".demo")));
            }

            // A sign-in cookie or antiforgery token made on A is read on B: one key ring, in the database.
            var protectedOnA = a.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("aangemeld");
            Assert.Equal("aangemeld", b.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedOnA));

            // An open queue and a bell on B; the question is routed and the employee notified on A.
            await ((PostgreSqlLiveUpdates)b.Services.GetRequiredService<ILiveUpdates>()).Listening.WaitAsync(TimeSpan.FromSeconds(10));
            var queueOnB = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var bellOnB = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var queue = b.Services.GetRequiredService<ILiveUpdates>().OnTeamChanged(7, () => { queueOnB.TrySetResult(); return Task.CompletedTask; });
            using var bell = b.Services.GetRequiredService<ILiveUpdates>().OnEmployeeNotified("bo-1", () => { bellOnB.TrySetResult(); return Task.CompletedTask; });
            var sent = System.Diagnostics.Stopwatch.StartNew();
            a.Services.GetRequiredService<ILiveUpdates>().TeamChanged(7);
            a.Services.GetRequiredService<ILiveUpdates>().EmployeeNotified("bo-1");

            await Task.WhenAll(queueOnB.Task, bellOnB.Task).WaitAsync(TimeSpan.FromSeconds(5));
            Assert.True(sent.Elapsed < Second, $"B heard A after {sent.ElapsedMilliseconds} ms");
        }
        finally
        {
            await TestDatabase.DropAsync(database);
        }
    }

    [Fact]
    public async Task The_retention_job_is_claimed_by_one_server_per_interval()
    {
        await using var app = await TestApp.CreateAsync();
        var jobs = app.Services.GetRequiredService<ClusterJobs>();
        var now = TestApp.DefaultNow.UtcDateTime;
        var day = TimeSpan.FromDays(1);

        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => jobs.TryClaimAsync("retention", day, now))));
        var laterThatDay = await jobs.TryClaimAsync("retention", day, now.AddHours(20));
        var nextDay = await jobs.TryClaimAsync("retention", day, now.AddDays(1));

        Assert.Single(claims, c => c);
        Assert.False(laterThatDay);
        Assert.True(nextDay);
    }

    [Fact]
    public async Task The_dashboard_misses_no_question_whose_transaction_commits_after_one_with_a_higher_id()
    {
        await using var app = await TestApp.CreateAsync();
        var agent = await app.SignInAsAsync(Roles.Frontoffice);
        var topic = await app.TopicIdAsync("paspoort");
        var facts = app.Services.GetRequiredService<DashboardFacts>();
        Task<int> CountAsync() => facts.ReadAsync(s => s.Questions.Length, CancellationToken.None);
        Contact NewContact() => new()
        {
            AgentId = agent.Id,
            AgentName = agent.DisplayName,
            Channel = Channel.Telefoon,
            StartedAt = app.Clock.GetUtcNow().UtcDateTime.AddMinutes(-5),
            EndedAt = app.Clock.GetUtcNow().UtcDateTime,
            CreatedAt = app.Clock.GetUtcNow().UtcDateTime,
            Questions = { new Question { TopicId = topic, Text = "Hoe lang duurt een paspoort?", Outcome = Outcome.Beantwoord, Sequence = 1 } },
        };
        var before = await CountAsync();

        // The first agent's save takes its id and is still busy when a second agent saves.
        await using var first = await app.CreateDbContextAsync();
        await using var firstTransaction = await first.Database.BeginTransactionAsync();
        first.Contacts.Add(NewContact());
        await first.SaveChangesAsync();
        var second = Task.Run(async () =>
        {
            await using var db = await app.CreateDbContextAsync();
            db.Contacts.Add(NewContact());
            await db.SaveChangesAsync();
        });

        // Given a moment, the second would commit before the first (a higher id committed first); the dashboard reads then.
        await Task.WhenAny(second, Task.Delay(Second));
        _ = await CountAsync();
        await firstTransaction.CommitAsync();
        await second.WaitAsync(TimeSpan.FromSeconds(10));

        // Without the commit-order lock the second commits first, this read moves past its id, and the first is never counted.
        Assert.Equal(before + 2, await CountAsync());
    }
}
