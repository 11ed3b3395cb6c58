using Bunit;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Routing;
using Kcc.Workbench.Web.Features.Teams;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using static Kcc.Workbench.Tests.Features.Routing.RoutingTestKit;

namespace Kcc.Workbench.Tests.Features.Routing;

/// <summary>The back-office queue in bUnit, on the real handlers and the app's own live updates.</summary>
public sealed class TeamQueueTests : KccBunitContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    protected override string Role => Roles.Backoffice;

    private async Task<(Staff FrontOffice, int Burgerzaken)> JoinBurgerzakenAsync()
    {
        var burgerzaken = await App.TeamIdAsync("Burgerzaken");
        await using (var db = await App.CreateDbContextAsync())
        {
            db.TeamMemberships.Add(new TeamMembership { EmployeeId = Agent.Id, TeamId = burgerzaken });
            await db.SaveChangesAsync();
        }

        return (await App.EmployeeAsync("fo", "Fatima Ouali", Roles.Frontoffice, "KCC"), burgerzaken);
    }

    /// <summary>Through this renderer's container, so its live updates reach the rendered queue.</summary>
    private async Task<long> RouteHereAsync(Staff agent, RoutingInput routing, string text)
    {
        using var acting = TestCurrentUser.ActAs(agent.Principal);
        await using var scope = Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new Kcc.Workbench.Web.Features.Contacts.LogContact.Command
        {
            StartedAt = App.Clock.GetUtcNow().UtcDateTime,
            Questions = [new() { TopicId = await App.TopicIdAsync("paspoort"), Text = text, Outcome = Kcc.Workbench.Web.Features.Contacts.Outcome.DoorgezetNaarBackoffice, Routing = routing }],
        });
        Assert.True(result.Succeeded, result.AllErrors);
        await using var db = await App.CreateDbContextAsync();
        return db.InternalTasks.Single(t => t.ContactId == result.Value).Id;
    }

    /// <summary>Find and click in one renderer turn: a live update may re-render the queue in between otherwise.</summary>
    private static Task ClickVolgendePakkenAsync(IRenderedComponent<TeamQueue> queue) =>
        queue.InvokeAsync(() => queue.FindAll("button").Single(b => b.TextContent.Contains("Volgende pakken", StringComparison.Ordinal)).Click());

    [Fact]
    public async Task Shows_my_teams_open_tasks_with_overdue_ones_first_in_words_and_counts()
    {
        var (agent, burgerzaken) = await JoinBurgerzakenAsync();
        await App.RouteAsync(agent, Handle(burgerzaken));
        await App.RouteAsync(agent, Callback(burgerzaken));
        App.Clock.Advance(TimeSpan.FromDays(2));
        await App.RouteAsync(agent, Callback(burgerzaken));

        var queue = Render<TeamQueue>();

        queue.WaitForAssertion(() => Assert.Equal(3, queue.FindAll("tbody tr").Count), Patience);
        var rows = queue.FindAll("tbody tr");
        Assert.Contains("1 dag te laat", rows[0].TextContent, StringComparison.Ordinal);
        Assert.NotNull(rows[0].QuerySelector(".kcc-overdue svg"));
        Assert.Contains("morgen 17:00", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("Terugbellen", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("3 open taken", queue.Find("[role=status]").TextContent, StringComparison.Ordinal);
        Assert.Contains("1 te laat", queue.Find("[role=status]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Backoffice", queue.Find("h1").TextContent);
    }

    [Fact]
    public async Task A_question_routed_to_my_team_appears_without_reloading()
    {
        var (agent, burgerzaken) = await JoinBurgerzakenAsync();
        var queue = Render<TeamQueue>();
        queue.WaitForAssertion(() => Assert.Contains("Geen open taken", queue.Markup, StringComparison.Ordinal), Patience);

        var id = await RouteHereAsync(agent, Callback(burgerzaken), "Wanneer is mijn paspoort klaar?");

        queue.WaitForAssertion(() => Assert.Contains("Wanneer is mijn paspoort klaar?", queue.Markup, StringComparison.Ordinal), Patience);
        Assert.Contains($"/taken/{id}", queue.Markup, StringComparison.Ordinal);
        Assert.Contains("1 open taak", queue.Find("[role=status]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Volgende_pakken_opens_the_task_due_first_and_says_so_when_none_is_left()
    {
        var (agent, burgerzaken) = await JoinBurgerzakenAsync();
        await App.RouteAsync(agent, Handle(burgerzaken));
        var first = await App.RouteAsync(agent, Callback(burgerzaken));
        var queue = Render<TeamQueue>();
        queue.WaitForAssertion(() => Assert.Equal(2, queue.FindAll("tbody tr").Count), Patience);

        await ClickVolgendePakkenAsync(queue);

        var navigation = Services.GetRequiredService<NavigationManager>();
        queue.WaitForAssertion(() => Assert.EndsWith($"/taken/{first}", navigation.Uri, StringComparison.Ordinal), Patience);
        Assert.Equal(Agent.Id, (await App.TaskAsync(first)).AssigneeId);

        await App.SendAsync(new TakeNextTask.Command());
        await ClickVolgendePakkenAsync(queue);
        queue.WaitForAssertion(() => Assert.Contains("Er staan geen taken meer klaar om te pakken.", queue.Markup, StringComparison.Ordinal), Patience);
        queue.WaitForAssertion(() => Assert.Contains("Mijn taken (2)", queue.Markup, StringComparison.Ordinal), Patience);
    }
}
