using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Data.DemoData;
using Kcc.Workbench.Web.Features.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kcc.Workbench.Tests.Features.Routing;

public class DemoTasksTests
{
    [Fact]
    public async Task Every_demo_question_for_the_back_office_gets_a_task_recent_ones_open_some_overdue_generated_once()
    {
        await using var app = await TestApp.CreateAsync();
        var factory = app.Services.GetRequiredService<IDbContextFactory<KccDbContext>>();
        var calendar = app.Services.GetRequiredService<OfficeCalendar>();
        await DemoContacts.GenerateAsync(factory, app.Clock, 5_000, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);
        await using (var db = await app.CreateDbContextAsync())
        {
            Assert.Equal(56, await RoutingRules.FillFromTopicTeamsAsync(db, app.Clock.GetUtcNow().UtcDateTime, CancellationToken.None));
        }

        await DemoTasks.GenerateAsync(factory, app.Clock, calendar, CancellationToken.None);
        await DemoTasks.GenerateAsync(factory, app.Clock, calendar, CancellationToken.None);

        await using var check = await app.CreateDbContextAsync();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        Assert.Equal(await check.Questions.CountAsync(q => q.NeedsRouting), await check.InternalTasks.CountAsync());
        var open = await check.InternalTasks.Where(t => t.Status == InternalTaskStatus.TeVerwerken).Select(t => new { t.DueAt, t.TeamId }).ToListAsync();
        Assert.InRange(open.Count, 5, 200);
        Assert.Contains(open, t => t.DueAt < now);
        Assert.Contains(open, t => t.DueAt > now);
        Assert.True(open.Select(t => t.TeamId).Distinct().Count() >= 3, "Open tasks spread over the teams.");
        Assert.All(await check.InternalTasks.Where(t => t.Status == InternalTaskStatus.Verwerkt).Select(t => new { t.Result, t.CompletedAt, t.CreatedAt }).ToListAsync(),
            t => Assert.True(t.Result is not null && t.CompletedAt >= t.CreatedAt));
        Assert.Equal(0, await check.InternalTasks.CountAsync(t => !check.TaskLogEntries.Any(l => l.TaskId == t.Id && l.Kind == TaskLogKind.Aangemaakt)));
    }
}
