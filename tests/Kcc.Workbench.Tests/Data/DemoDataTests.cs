using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Data.DemoData;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Parties;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kcc.Workbench.Tests.Data;

public class DemoDataTests
{
    [Fact]
    public void The_demo_topics_cover_every_product_of_the_shared_kennisbank_list_with_its_team()
    {
        var shared = File.ReadAllLines(SharedData.Path("kennisbank-onderwerpen.csv")).Skip(1)
            .Select(line => line.Split(','))
            .Select(cells => (Name: cells[0], Uri: cells[1], Team: cells[2]))
            .ToList();

        Assert.Equal(54, shared.Count);
        foreach (var (name, uri, team) in shared)
        {
            var demo = DemoTopics.All.SingleOrDefault(t => t.Uri == uri);
            Assert.True(demo is not null, $"Demo topic missing: {name}");
            Assert.Equal(name, demo.Name);
            Assert.Equal(team, demo.Team);
        }
    }

    [Fact]
    public async Task Generating_demo_contacts_logs_progress_at_every_tenth_in_dutch()
    {
        await using var app = await TestApp.CreateAsync();
        var factory = app.Services.GetRequiredService<IDbContextFactory<KccDbContext>>();
        using var log = new CapturingLoggerProvider();

        await DemoContacts.GenerateAsync(factory, app.Clock, 2_000, log.CreateLogger("Demo"), CancellationToken.None);

        var progress = log.Lines.Where(l => l.Contains(" van 2.000 contacten", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"Information Demo: Demodata: {i * 200:#,0} van 2.000 contacten ".Replace(",", ".", StringComparison.Ordinal)), progress);
    }

    [Fact]
    public async Task Demo_contacts_have_a_realistic_mix_a_few_percent_repeats_and_are_generated_once()
    {
        await using var app = await TestApp.CreateAsync();
        var factory = app.Services.GetRequiredService<IDbContextFactory<KccDbContext>>();

        await DemoContacts.GenerateAsync(factory, app.Clock, 5_000, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);
        await DemoContacts.GenerateAsync(factory, app.Clock, 5_000, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);

        await using var db = await app.CreateDbContextAsync();
        Assert.Equal(5_000, await db.Contacts.CountAsync());
        var perChannel = await db.Contacts.GroupBy(c => c.Channel).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
        Assert.True(perChannel[Channel.Telefoon] > perChannel[Channel.Balie], "Telefoon most");
        Assert.True(perChannel[Channel.Balie] > perChannel[Channel.Email], "then Balie");
        Assert.True(perChannel[Channel.Email] > perChannel[Channel.WhatsApp], "then E-mail, WhatsApp");

        var all = await db.Questions.Where(q => q.Contact!.PartyId != null)
            .Select(q => new { PartyId = q.Contact!.PartyId!.Value, q.TopicId, q.Contact.StartedAt })
            .ToListAsync();
        var repeats = all.GroupBy(x => (x.PartyId, x.TopicId))
            .Sum(g => g.OrderBy(x => x.StartedAt).Zip(g.OrderBy(x => x.StartedAt).Skip(1)).Count(p => (p.Second.StartedAt - p.First.StartedAt).TotalDays <= 7));
        var rate = repeats / (double)all.Count;
        Assert.InRange(rate, 0.01, 0.10);

        // Office hours on weekdays, Amsterdam time; every generated BSN passes the elfproef.
        var times = await db.Contacts.Select(c => c.StartedAt).ToListAsync();
        Assert.All(times.Select(t => Kcc.Workbench.Web.Infrastructure.DutchFormat.ToLocal(t)), local =>
        {
            Assert.InRange(local.TimeOfDay, new TimeSpan(8, 30, 0), new TimeSpan(17, 0, 0));
            Assert.NotEqual(DayOfWeek.Sunday, local.DayOfWeek);
        });
        Assert.All(await db.Parties.Select(p => p.Bsn).ToListAsync(), bsn => Assert.True(Identifiers.IsValidBsn(bsn)));
    }
}
