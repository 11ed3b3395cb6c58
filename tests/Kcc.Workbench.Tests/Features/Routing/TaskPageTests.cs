using Bunit;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Routing;
using Kcc.Workbench.Web.Features.Teams;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Kcc.Workbench.Tests.Features.Routing.RoutingTestKit;

namespace Kcc.Workbench.Tests.Features.Routing;

/// <summary>The task page: the back office completes a task; a colleague's earlier change is reported, not overwritten.</summary>
public sealed class TaskPageTests : KccBunitContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    protected override string Role => Roles.Backoffice;

    private async Task<(long TaskId, Staff Colleague)> TaskForMyTeamAsync()
    {
        var burgerzaken = await App.TeamIdAsync("Burgerzaken");
        await using (var db = await App.CreateDbContextAsync())
        {
            db.TeamMemberships.Add(new TeamMembership { EmployeeId = Agent.Id, TeamId = burgerzaken });
            await db.SaveChangesAsync();
        }

        var agent = await App.EmployeeAsync("fo", "Fatima Ouali", Roles.Frontoffice, "KCC");
        var colleague = await App.EmployeeAsync("bo2", "Ilse Bakker", Roles.Backoffice, "Burgerzaken");
        var party = await App.ResidentAsync();
        return (await App.RouteAsync(agent, Callback(burgerzaken), partyId: party), colleague);
    }

    private static string Status(IRenderedComponent<TaskPage> page) =>
        page.FindAll("dl.kcc-task-facts dt").Single(dt => dt.TextContent == "Status").NextElementSibling!.TextContent.Trim();

    private static AngleSharp.Dom.IElement Button(IRenderedComponent<TaskPage> page, string text) =>
        page.FindAll("button").First(b => b.TextContent.Trim().Equals(text, StringComparison.OrdinalIgnoreCase));

    [Fact]
    public async Task Shows_the_question_the_resident_and_the_log_and_completes_the_task()
    {
        var (id, _) = await TaskForMyTeamAsync();
        var page = Render<TaskPage>(p => p.Add(x => x.TaskId, id));
        page.WaitForAssertion(() => Assert.Equal("Terugbellen: paspoort", page.Find("h1").TextContent), Patience);
        Assert.Contains("Is mijn paspoort al klaar?", page.Markup, StringComparison.Ordinal);
        Assert.Contains("Jan de Vries", page.Markup, StringComparison.Ordinal);
        Assert.Contains("Telefoon: 06 1234 5678", page.Markup, StringComparison.Ordinal);
        Assert.Contains("Doorgezet", page.Find("ol.kcc-log").TextContent, StringComparison.Ordinal);
        Assert.Equal("Nieuw", Status(page));

        await page.InvokeAsync(() => Button(page, "Taak afronden").Click());
        page.WaitForAssertion(() => Assert.Contains("Schrijf het resultaat op", page.Markup, StringComparison.Ordinal), Patience);

        await page.InvokeAsync(() => page.Find("#result-text").Input("Paspoort ligt klaar; afspraak gemaakt."));
        await page.InvokeAsync(() => Button(page, "Taak afronden").Click());

        page.WaitForAssertion(() => Assert.Contains("De taak is afgerond.", page.Markup, StringComparison.Ordinal), Patience);
        Assert.Contains("Paspoort ligt klaar; afspraak gemaakt.", page.Find(".kcc-result").TextContent, StringComparison.Ordinal);
        // The status in the agent's words, not the Klantinteracties code ("verwerkt", "te_verwerken").
        Assert.Equal("Afgerond", Status(page));
        Assert.DoesNotContain("verwerk", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Contains("Taak afronden", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Opening_a_task_and_working_on_it_records_one_klantbeeld_view_and_none_of_the_typed_text()
    {
        var (id, _) = await TaskForMyTeamAsync();
        var page = Render<TaskPage>(p => p.Add(x => x.TaskId, id));
        page.WaitForAssertion(() => Assert.Equal("Terugbellen: paspoort", page.Find("h1").TextContent), Patience);

        await page.InvokeAsync(() => Button(page, "Oppakken").Click());
        page.WaitForAssertion(() => Assert.Contains("U heeft de taak opgepakt.", page.Markup, StringComparison.Ordinal), Patience);
        await page.InvokeAsync(() => page.Find("#result-text").Input("Mevrouw belde terug vanaf 0612345678; paspoort ligt klaar."));
        await page.InvokeAsync(() => Button(page, "Taak afronden").Click());
        page.WaitForAssertion(() => Assert.Contains("De taak is afgerond.", page.Markup, StringComparison.Ordinal), Patience);
        page.Render();

        await using var db = await App.CreateDbContextAsync();
        var entries = await db.AuditEntries.OrderBy(a => a.Id).ToListAsync();
        Assert.Single(entries, e => e.Action == "betrokkene.bekeken");
        Assert.Equal(Kcc.Workbench.Web.Features.Parties.RecordPartyView.KlantbeeldSummary, entries.Single(e => e.Action == "betrokkene.bekeken").Summary);
        Assert.DoesNotContain(entries, e => e.Summary.Contains("0612345678", StringComparison.Ordinal) || e.Summary.Contains("ligt klaar", StringComparison.Ordinal));
        Assert.All(entries.Where(e => e.Action.StartsWith("taak.", StringComparison.Ordinal)), e => Assert.Equal("", e.Summary));
    }

    [Fact]
    public async Task When_a_colleague_changed_the_task_first_the_save_says_so_in_dutch_shows_what_changed_and_keeps_the_text()
    {
        var (id, colleague) = await TaskForMyTeamAsync();
        var page = Render<TaskPage>(p => p.Add(x => x.TaskId, id));
        page.WaitForAssertion(() => Assert.Contains("Taak afronden", page.Markup, StringComparison.OrdinalIgnoreCase), Patience);
        await page.InvokeAsync(() => page.Find("#result-text").Input("Mijn resultaat"));

        // Meanwhile Ilse takes the task.
        Assert.True((await App.SendAsAsync(colleague, new ClaimTask.Command(id, 1))).Succeeded);
        // Find and click in one go on the renderer: a render in between would leave a stale handler id.
        await page.InvokeAsync(() => Button(page, "Taak afronden").Click());

        page.WaitForAssertion(() => Assert.Contains("Iemand anders heeft deze taak gewijzigd nadat u hem opende.", page.Markup, StringComparison.Ordinal), Patience);
        var changes = page.Find(".kcc-changes").TextContent;
        Assert.Contains("Status: Nieuw → In behandeling", changes, StringComparison.Ordinal);
        Assert.Contains("Behandelaar: niemand → Ilse Bakker", changes, StringComparison.Ordinal);
        Assert.Contains("Ilse Bakker: opgepakt", changes, StringComparison.Ordinal);
        Assert.Equal("Mijn resultaat", page.Find("#result-text").GetAttribute("value") ?? page.Find("#result-text").TextContent);
        var task = await App.TaskAsync(id);
        Assert.Equal((InternalTaskStatus.TeVerwerken, "Ilse Bakker"), (task.Status, task.AssigneeName));
    }
}
