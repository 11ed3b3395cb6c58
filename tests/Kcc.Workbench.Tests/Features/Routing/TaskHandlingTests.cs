using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Notifications;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Features.Routing;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Kcc.Workbench.Tests.Features.Routing.RoutingTestKit;

namespace Kcc.Workbench.Tests.Features.Routing;

/// <summary>The back office works its queue: take, release, hand over, not reached, complete; and the KCC reads the result back.</summary>
public class TaskHandlingTests
{
    private sealed record Setup(TestApp App, Staff Agent, Staff Bram, Staff Ilse, Staff Outsider, int Burgerzaken, int Party) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }

    private static async Task<Setup> SetupAsync()
    {
        var app = await TestApp.CreateAsync();
        return new Setup(
            app,
            await app.EmployeeAsync("fo", "Fatima Ouali", Roles.Frontoffice, "KCC"),
            await app.EmployeeAsync("bo", "Bram Oosterhuis", Roles.Backoffice, "Burgerzaken"),
            await app.EmployeeAsync("bo2", "Ilse Bakker", Roles.Backoffice, "Burgerzaken"),
            await app.EmployeeAsync("bo3", "Olaf Buiten", Roles.Backoffice, "Belastingen"),
            await app.TeamIdAsync("Burgerzaken"),
            await app.ResidentAsync());
    }

    [Fact]
    public async Task The_queue_shows_the_open_tasks_of_my_teams_overdue_first_then_by_due_date()
    {
        await using var s = await SetupAsync();
        var app = s.App;
        var letter = await app.RouteAsync(s.Agent, new RoutingInput { Action = RequestedAction.BeantwoordenPerBrief, TeamId = s.Burgerzaken }, partyId: s.Party);
        var callback = await app.RouteAsync(s.Agent, Callback(s.Burgerzaken), partyId: s.Party);
        app.Clock.Advance(TimeSpan.FromHours(3));
        var email = await app.RouteAsync(s.Agent, new RoutingInput { Action = RequestedAction.BeantwoordenPerEmail, TeamId = s.Burgerzaken, ReachBy = ReachBy.Email, ReachAt = "jan@voorbeeld.nl" });
        var otherTeam = await app.RouteAsync(s.Agent, Handle(await app.TeamIdAsync("Afval")), topic: "afvalcontainer");
        // Two days later, Thursday 14:00, the callback (due Wednesday 17:00) is overdue; the e-mail is due today at 17:00.
        app.Clock.Advance(TimeSpan.FromDays(2));

        var queue = await app.SendAsAsync(s.Bram, new GetQueueTasks.Query());

        Assert.Equal([callback, email, letter], queue.Items.Select(i => i.Id));
        Assert.DoesNotContain(otherTeam, queue.Items.Select(i => i.Id));
        Assert.Equal((3, 1, 3), (queue.Open, queue.Overdue, queue.Unclaimed));
        var first = queue.Items[0];
        Assert.Equal(("paspoort", RequestedAction.Terugbellen, Channel.Telefoon, "J. de V."), (first.TopicName, first.Action, first.Channel, first.Resident));
        Assert.Equal("1 dag te laat", TaskTiming.Remaining(first.DueAt, queue.Now));
        Assert.Equal("Is mijn paspoort al klaar?", first.Question);
        Assert.Equal([new TeamOption(s.Burgerzaken, "Burgerzaken")], queue.Teams);
    }

    [Fact]
    public async Task Volgende_pakken_takes_the_task_due_first_then_the_next_until_none_is_left()
    {
        await using var s = await SetupAsync();
        var app = s.App;
        var later = await app.RouteAsync(s.Agent, Handle(s.Burgerzaken));
        var first = await app.RouteAsync(s.Agent, Callback(s.Burgerzaken));

        var taken = await app.SendAsAsync(s.Bram, new TakeNextTask.Command());
        var next = await app.SendAsAsync(s.Ilse, new TakeNextTask.Command());
        var none = await app.SendAsAsync(s.Bram, new TakeNextTask.Command());
        var noTeam = await app.SendAsAsync(await app.EmployeeAsync("tl", "Tessa", Roles.Teamleider), new TakeNextTask.Command());

        Assert.Equal(first, taken.Value);
        Assert.Equal(later, next.Value);
        Assert.Equal("Er staan geen taken meer klaar om te pakken.", none.ErrorFor(TakeNextTask.QueueField));
        Assert.StartsWith("U zit nog in geen team.", noTeam.ErrorFor("TeamId"), StringComparison.Ordinal);
        var task = await app.TaskAsync(first);
        Assert.Equal(("Bram Oosterhuis", TaskStep.InBehandeling, 2), (task.AssigneeName, task.Step, task.Version));
        Assert.Equal(TaskLogKind.Opgepakt, task.Log.OrderBy(l => l.Id).Last().Kind);
        var mine = await app.SendAsAsync(s.Bram, new GetQueueTasks.Query());
        Assert.Equal([first], mine.Mine.Select(m => m.Id));
        Assert.Equal(0, mine.Unclaimed);
    }

    [Fact]
    public async Task Two_employees_pressing_volgende_pakken_at_the_same_moment_get_two_different_tasks()
    {
        await using var s = await SetupAsync();
        var app = s.App;
        var employees = new List<Staff> { s.Bram, s.Ilse };
        for (var i = 0; i < 6; i++)
        {
            employees.Add(await app.EmployeeAsync($"bo-extra-{i}", $"Collega {i}", Roles.Backoffice, "Burgerzaken"));
        }

        var routed = new List<long>();
        for (var i = 0; i < 20; i++)
        {
            routed.Add(await app.RouteAsync(s.Agent, Handle(s.Burgerzaken)));
        }

        // Two at the very same moment, then eight at once for two rounds: every claim gets its own task.
        var taken = new List<long>();
        foreach (var group in new[] { employees.Take(2).ToList(), employees, employees })
        {
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var pressed = Task.WhenAll(group.Select(employee => Task.Run(async () =>
            {
                await start.Task;
                return await app.SendAsAsync(employee, new TakeNextTask.Command());
            })));
            start.SetResult();
            var results = await pressed;
            Assert.All(results, r => Assert.True(r.Succeeded, r.AllErrors));
            taken.AddRange(results.Select(r => r.Value));
        }

        Assert.Equal(18, taken.Count);
        Assert.Equal(taken.Count, taken.Distinct().Count());
        await using var db = await app.CreateDbContextAsync();
        var claimed = await db.InternalTasks.Where(t => t.AssigneeId != null).Select(t => new { t.Id, t.Version }).ToListAsync();
        Assert.Equal(taken.Order(), claimed.Select(c => c.Id).Order());
        Assert.All(claimed, c => Assert.Equal(2, c.Version));
        Assert.Equal(18, await db.TaskLogEntries.CountAsync(l => l.Kind == TaskLogKind.Opgepakt));
    }

    [Fact]
    public async Task Claim_and_release_respect_who_has_the_task()
    {
        await using var s = await SetupAsync();
        var app = s.App;
        var id = await app.RouteAsync(s.Agent, Handle(s.Burgerzaken));

        Assert.True((await app.SendAsAsync(s.Bram, new ClaimTask.Command(id, 1))).Succeeded);
        var byIlse = await app.SendAsAsync(s.Ilse, new ClaimTask.Command(id, 2));
        var releaseByIlse = await app.SendAsAsync(s.Ilse, new ReleaseTask.Command(id, 2));
        var byOutsider = await app.SendAsAsync(s.Outsider, new ClaimTask.Command(id, 2));
        Assert.Equal("Deze taak is al opgepakt door Bram Oosterhuis.", byIlse.ErrorFor("TaskId"));
        Assert.Equal("Alleen Bram Oosterhuis of de teamleider kan deze taak terugleggen.", releaseByIlse.ErrorFor("TaskId"));
        Assert.StartsWith("Deze taak is van team Burgerzaken.", byOutsider.ErrorFor("TaskId"), StringComparison.Ordinal);

        Assert.True((await app.SendAsAsync(s.Bram, new ReleaseTask.Command(id, 2))).Succeeded);
        var released = await app.TaskAsync(id);
        Assert.Equal((null, TaskStep.Nieuw, 3), (released.AssigneeId, released.Step, released.Version));
        Assert.True((await app.SendAsAsync(s.Ilse, new ClaimTask.Command(id, 3))).Succeeded);
        Assert.Equal("Ilse Bakker", (await app.TaskAsync(id)).AssigneeName);
    }

    [Fact]
    public async Task A_task_handed_to_another_team_gets_that_teams_norm_from_now_unless_the_date_is_kept()
    {
        await using var s = await SetupAsync();
        var app = s.App;
        var belastingen = await app.TeamIdAsync("Belastingen");
        var moved = await app.RouteAsync(s.Agent, Handle(s.Burgerzaken));
        var kept = await app.RouteAsync(s.Agent, Handle(s.Burgerzaken));
        var original = (await app.TaskAsync(kept)).DueAt;
        app.Clock.Advance(TimeSpan.FromDays(1));

        var noReason = await app.SendAsAsync(s.Bram, new HandOverTask.Command(moved, 1, belastingen, null, " "));
        var sameTeam = await app.SendAsAsync(s.Bram, new HandOverTask.Command(moved, 1, s.Burgerzaken, null, "Graag"));
        var toOlaf = await app.SendAsAsync(s.Bram, new HandOverTask.Command(moved, 1, belastingen, s.Outsider.Employee.Id, "Gaat over de WOZ-waarde."));
        var keptDate = await app.SendAsAsync(s.Bram, new HandOverTask.Command(kept, 1, belastingen, null, "Belastingzaak.", KeepDueDate: true));

        Assert.Equal("Schrijf waarom u de taak overdraagt.", noReason.ErrorFor("Reason"));
        Assert.Equal("Kies een collega of een ander team.", sameTeam.ErrorFor("AssigneeId"));
        Assert.True(toOlaf.Succeeded, toOlaf.AllErrors);
        Assert.True(keptDate.Succeeded, keptDate.AllErrors);
        var task = await app.TaskAsync(moved);
        Assert.Equal((belastingen, "Olaf Buiten", TaskStep.Nieuw), (task.TeamId, task.AssigneeName, task.Step));
        // Handed over on Wednesday 25 November: five working days from then.
        Assert.Equal(Local(2026, 12, 2, 17), task.DueAt);
        await using (var db = await app.CreateDbContextAsync())
        {
            Assert.DoesNotContain(await db.AuditEntries.Select(e => e.Summary).ToListAsync(), d => d.Contains("WOZ", StringComparison.Ordinal) || d.Contains("Belastingzaak", StringComparison.Ordinal));
        }

        Assert.Contains("Gaat over de WOZ-waarde.", task.Log.Single(l => l.Kind == TaskLogKind.Overgedragen).Text, StringComparison.Ordinal);
        Assert.Equal(original, (await app.TaskAsync(kept)).DueAt);
        Assert.Equal(1, (await app.SendAsAsync(s.Outsider, new GetMyNotifications.Query())).Unread);
        Assert.Equal(2, (await app.SendAsAsync(s.Outsider, new GetQueueTasks.Query())).Open);
        Assert.Equal(0, (await app.SendAsAsync(s.Bram, new GetQueueTasks.Query())).Open);
    }

    [Fact]
    public async Task Niet_bereikt_counts_the_attempt_and_plans_a_retry_two_office_hours_later()
    {
        await using var s = await SetupAsync();
        var app = s.App;
        var id = await app.RouteAsync(s.Agent, Callback(s.Burgerzaken), partyId: s.Party);

        var result = await app.SendAsAsync(s.Bram, new RecordNotReached.Command(id, 1, "Voicemail ingesproken."));

        Assert.True(result.Succeeded, result.AllErrors);
        var task = await app.TaskAsync(id);
        Assert.Equal((TaskStep.NietBereikt, 1, "Bram Oosterhuis", InternalTaskStatus.TeVerwerken), (task.Step, task.Attempts, task.AssigneeName, task.Status));
        // Tuesday 11:00 + 2 office hours.
        Assert.Equal(Local(2026, 11, 24, 13), task.RetryAt);
        Assert.Equal("Niet bereikt (poging 1). Nieuwe poging di 24 nov 2026 13:00. Voicemail ingesproken.", task.Log.Single(l => l.Kind == TaskLogKind.NietBereikt).Text);
        var past = await app.SendAsAsync(s.Bram, new RecordNotReached.Command(id, 2, null, app.Clock.GetUtcNow().UtcDateTime.AddHours(-1)));
        Assert.Equal("Kies een moment in de toekomst voor de nieuwe poging.", past.ErrorFor("RetryAt"));
    }

    [Fact]
    public async Task A_completed_task_shows_its_result_on_the_klantbeeld_and_the_agent_hears_about_it()
    {
        await using var s = await SetupAsync();
        var app = s.App;
        var id = await app.RouteAsync(s.Agent, Callback(s.Burgerzaken), partyId: s.Party);
        await app.SendAsAsync(s.Bram, new ClaimTask.Command(id, 1));

        var contact = await app.SendAsAsync(s.Bram, new LogTaskContact.Command(id, Channel.Telefoon, "Teruggebeld: paspoort ligt klaar."));
        var empty = await app.SendAsAsync(s.Bram, new CompleteTask.Command(id, 2, ""));
        var byIlse = await app.SendAsAsync(s.Ilse, new CompleteTask.Command(id, 2, "Klaar"));
        var done = await app.SendAsAsync(s.Bram, new CompleteTask.Command(id, 2, "Paspoort ligt klaar; ophalen met afspraak aan de balie."));
        var twice = await app.SendAsAsync(s.Bram, new CompleteTask.Command(id, 3, "Nog eens"));

        Assert.True(contact.Succeeded, contact.AllErrors);
        Assert.Equal("Schrijf het resultaat op, zodat het KCC het de inwoner kan vertellen.", empty.ErrorFor("Result"));
        Assert.StartsWith("Bram Oosterhuis heeft deze taak opgepakt.", byIlse.ErrorFor("TaskId"), StringComparison.Ordinal);
        Assert.True(done.Succeeded, done.AllErrors);
        Assert.Equal("Deze taak is al afgerond.", twice.ErrorFor("TaskId"));

        var party = await app.SendAsAsync(s.Agent, new GetPartyTasks.Query(s.Party));
        Assert.Empty(party.Open);
        var completed = Assert.Single(party.Completed);
        Assert.Equal(("Paspoort ligt klaar; ophalen met afspraak aan de balie.", InternalTaskStatus.Verwerkt, "verwerkt"), (completed.Result, completed.Status, completed.Status.StandardName()));
        var bell = await app.SendAsAsync(s.Agent, new GetMyNotifications.Query());
        Assert.Contains("afgerond door Bram Oosterhuis", bell.Items.Single().Text, StringComparison.Ordinal);

        // The callback is in the resident's history as an outgoing phone contact by the back office.
        var profile = (await app.SendAsAsync(s.Agent, new GetPartyProfile.Query(s.Party)))!;
        var callback = profile.Contacts.Single(c => c.Id == contact.Value);
        Assert.Equal((Direction.Uitgaand, Channel.Telefoon, "Bram Oosterhuis"), (callback.Direction, callback.Channel, callback.AgentName));
        Assert.Equal("Teruggebeld: paspoort ligt klaar.", callback.Questions.Single().Answer);
        await using var db = await app.CreateDbContextAsync();
        Assert.Equal(["taak.doorgezet", "taak.opgepakt", "taak.contactgelogd", "taak.afgerond"], await db.AuditEntries.Where(a => a.Action.StartsWith("taak.")).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
        // The audit log says who did which step to which task, not what was said or decided.
        var details = await db.AuditEntries.Select(a => a.Summary).ToListAsync();
        Assert.DoesNotContain(details, d => d.Contains("klaar", StringComparison.OrdinalIgnoreCase) || d.Contains("afspraak", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_second_save_on_a_changed_task_is_refused_in_dutch_and_overwrites_nothing()
    {
        await using var s = await SetupAsync();
        var app = s.App;
        var id = await app.RouteAsync(s.Agent, Handle(s.Burgerzaken));
        var seenByBoth = (await app.SendAsAsync(s.Bram, new GetTask.Query(id)))!.Version;

        var first = await app.SendAsAsync(s.Ilse, new CompleteTask.Command(id, seenByBoth, "Afgehandeld door Ilse."));
        var second = await app.SendAsAsync(s.Bram, new HandOverTask.Command(id, seenByBoth, await app.TeamIdAsync("Afval"), null, "Hoort bij Afval."));
        var note = await app.SendAsAsync(s.Agent, new AddTaskNote.Command(id, "Inwoner belde: is het al klaar?"));

        Assert.True(first.Succeeded);
        Assert.StartsWith("Iemand anders heeft deze taak gewijzigd nadat u hem opende.", second.ErrorFor("Version"), StringComparison.Ordinal);
        Assert.True(note.Succeeded, note.AllErrors);
        var details = (await app.SendAsAsync(s.Bram, new GetTask.Query(id)))!;
        Assert.Equal((s.Burgerzaken, "Afgehandeld door Ilse."), (details.Summary.TeamId, details.Summary.Result));
        var changedSince = details.Log.Where(l => l.Version > seenByBoth).ToList();
        // What changed since Bram opened the task: Ilse's completion and the KCC's note after it.
        Assert.Equal([TaskLogKind.Afgerond, TaskLogKind.Notitie], changedSince.Select(l => l.Kind));
        Assert.Equal(("Ilse Bakker", "Fatima Ouali"), (changedSince[0].EmployeeName, changedSince[1].EmployeeName));
    }

    [Fact]
    public async Task The_regie_overview_and_the_team_leads_escalation_list_show_overdue_tasks()
    {
        await using var s = await SetupAsync();
        var app = s.App;
        var lead = await app.EmployeeAsync("tl", "Tessa Lammers", Roles.Teamleider, "Burgerzaken");
        var overdue = await app.RouteAsync(s.Agent, Callback(s.Burgerzaken), partyId: s.Party);
        app.Clock.Advance(TimeSpan.FromDays(2));
        var fresh = await app.RouteAsync(s.Agent, Handle(s.Burgerzaken));
        var elsewhere = await app.RouteAsync(s.Agent, Callback(await app.TeamIdAsync("Afval")), topic: "afvalcontainer");

        var all = await app.SendAsAsync(s.Agent, new GetOpenTasks.Query());
        var onlyLate = await app.SendAsAsync(s.Agent, new GetOpenTasks.Query(OverdueOnly: true));
        var escalations = await app.SendAsAsync(lead, new GetEscalations.Query());

        Assert.Equal([overdue, elsewhere, fresh], all.Items.Select(i => i.Id));
        Assert.Equal((3, 1), (all.Matches, all.Overdue));
        Assert.Equal("Jan de Vries", all.Items[0].Resident);
        Assert.Equal([overdue], onlyLate.Items.Select(i => i.Id));
        Assert.Equal([overdue], escalations.Items.Select(i => i.Id));
        Assert.Equal([new TeamOption(s.Burgerzaken, "Burgerzaken")], escalations.MyTeams);
    }
}
