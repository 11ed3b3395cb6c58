using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Notifications;
using Kcc.Workbench.Web.Features.Routing;
using Kcc.Workbench.Web.Features.Routing.ServiceNorms;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Kcc.Workbench.Tests.Features.Routing.RoutingTestKit;

namespace Kcc.Workbench.Tests.Features.Routing;

/// <summary>The front office routes a question: team from the routing rule, date from the service norm, task in the same transaction.</summary>
public class RouteQuestionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_callback_request_becomes_a_task_for_the_topics_team_due_the_next_working_day()
    {
        await using var app = await TestApp.CreateAsync();
        var agent = await app.EmployeeAsync("fo", "Fatima Ouali", Roles.Frontoffice, "KCC");
        app.SignIn(agent);
        var burgerzaken = await app.TeamIdAsync("Burgerzaken");
        var party = await app.ResidentAsync();
        var queueChanged = new TaskCompletionSource();
        using var subscription = app.Services.GetRequiredService<ILiveUpdates>().OnTeamChanged(burgerzaken, () =>
        {
            queueChanged.TrySetResult();
            return Task.CompletedTask;
        });

        var result = await app.LogRoutedAsync(Callback(burgerzaken), partyId: party, outcome: Outcome.Terugbelverzoek);

        Assert.True(result.Succeeded, result.AllErrors);
        await using var db = await app.CreateDbContextAsync();
        var task = await db.InternalTasks.Include(t => t.Log).SingleAsync(t => t.ContactId == result.Value);
        Assert.Equal(burgerzaken, task.TeamId);
        Assert.Equal(RequestedAction.Terugbellen, task.Action);
        Assert.Equal(party, task.PartyId);
        Assert.Equal(Channel.Telefoon, task.Channel);
        Assert.Equal((InternalTaskStatus.TeVerwerken, TaskStep.Nieuw), (task.Status, task.Step));
        // Tuesday 24 November 2026 11:00: one working day is Wednesday 17:00.
        Assert.Equal(Local(2026, 11, 25, 17), task.DueAt);
        Assert.Equal("Terugbelverzoek: 1 werkdag", task.Norm);
        Assert.Equal(("06 1234 5678", ReachBy.Telefoon), (task.ReachAt, task.ReachBy));
        Assert.Equal("Fatima Ouali", task.CreatedByName);
        var created = Assert.Single(task.Log);
        Assert.Equal(TaskLogKind.Aangemaakt, created.Kind);
        Assert.Contains("uiterlijk wo 25 nov 2026 17:00", created.Text, StringComparison.Ordinal);
        Assert.True(await db.Questions.Where(q => q.Id == task.QuestionId).Select(q => q.NeedsRouting).SingleAsync());

        var audit = await db.AuditEntries.SingleAsync(a => a.Action.StartsWith("taak."));
        Assert.Equal(("taak.doorgezet", "InterneTaak", task.Id.ToString(DutchFormat.Culture), agent.Employee.Id), (audit.Action, audit.EntityType, audit.EntityId, audit.ActorId));
        Assert.Equal("", audit.Summary);
        await queueChanged.Task.WaitAsync(Patience);
    }

    [Fact]
    public async Task The_routing_rule_suggests_the_team_and_the_agent_may_choose_another()
    {
        await using var app = await TestApp.CreateAsync();
        var beheerder = await app.EmployeeAsync("beheer", "Bea Heerkens", Roles.Beheerder);
        var agent = await app.EmployeeAsync("fo", "Fatima Ouali", Roles.Frontoffice, "KCC");
        var paspoort = await app.TopicIdAsync("paspoort");
        var vergunningen = await app.TeamIdAsync("Vergunningen");
        var preview = new PreviewRouting.Query(paspoort, RequestedAction.InBehandelingNemen, Channel.Telefoon);

        var fromTopic = await app.SendAsAsync(agent, preview);
        Assert.Equal(("Burgerzaken", RuleSource.TopicTeam), (fromTopic.Team.TeamName, fromTopic.Team.Source));

        Assert.True((await app.SendAsAsync(beheerder, new SetRoutingRule.Command(paspoort, vergunningen))).Succeeded);
        var fromRule = await app.SendAsAsync(agent, preview);
        Assert.Equal(("Vergunningen", RuleSource.Rule), (fromRule.Team.TeamName, fromRule.Team.Source));

        Assert.True((await app.SendAsAsync(beheerder, new SetRoutingRule.Command(paspoort, null))).Succeeded);
        Assert.Equal("Burgerzaken", (await app.SendAsAsync(agent, preview)).Team.TeamName);

        var sociaalDomein = await app.TeamIdAsync("Sociaal Domein");
        var taskId = await app.RouteAsync(agent, Handle(sociaalDomein));
        Assert.Equal(sociaalDomein, (await app.TaskAsync(taskId)).TeamId);
    }

    [Fact]
    public async Task The_employee_the_question_is_assigned_to_finds_it_under_the_bell()
    {
        await using var app = await TestApp.CreateAsync();
        var agent = await app.EmployeeAsync("fo", "Fatima Ouali", Roles.Frontoffice, "KCC");
        var colleague = await app.EmployeeAsync("bo", "Bram Oosterhuis", Roles.Backoffice, "Burgerzaken");
        var burgerzaken = await app.TeamIdAsync("Burgerzaken");
        var notified = new TaskCompletionSource();
        using var subscription = app.Services.GetRequiredService<ILiveUpdates>().OnEmployeeNotified(colleague.Employee.Id, () =>
        {
            notified.TrySetResult();
            return Task.CompletedTask;
        });

        var taskId = await app.RouteAsync(agent, Handle(burgerzaken) with { AssigneeId = colleague.Employee.Id });

        var task = await app.TaskAsync(taskId);
        Assert.Equal(("Bram Oosterhuis", TaskStep.Nieuw), (task.AssigneeName, task.Step));
        var bell = await app.SendAsAsync(colleague, new GetMyNotifications.Query());
        Assert.Equal(1, bell.Unread);
        Assert.Contains("paspoort", bell.Items.Single().Text, StringComparison.Ordinal);
        Assert.Equal($"/taken/{taskId}", bell.Items.Single().Link);
        await notified.Task.WaitAsync(Patience);
        Assert.Equal(0, (await app.SendAsAsync(agent, new GetMyNotifications.Query())).Unread);

        await app.SendAsAsync(colleague, new MarkNotificationsRead.Command());
        Assert.Equal(0, (await app.SendAsAsync(colleague, new GetMyNotifications.Query())).Unread);
    }

    [Fact]
    public async Task Routing_fields_are_checked_in_dutch_next_to_the_field_and_nothing_is_saved()
    {
        await using var app = await TestApp.CreateAsync();
        app.SignIn(await app.EmployeeAsync("fo", "Fatima Ouali", Roles.Frontoffice, "KCC"));
        var burgerzaken = await app.TeamIdAsync("Burgerzaken");

        var noPhone = await app.LogRoutedAsync(Callback(burgerzaken) with { ReachAt = null });
        var badPhone = await app.LogRoutedAsync(Callback(burgerzaken, phone: "12345"));
        var noTeam = await app.LogRoutedAsync(Handle(burgerzaken) with { TeamId = null, Explanation = new string('x', 1001) });
        var noEmail = await app.LogRoutedAsync(new RoutingInput { Action = RequestedAction.BeantwoordenPerEmail, TeamId = burgerzaken, ReachBy = ReachBy.Email, ReachAt = "geen-adres" });

        Assert.Equal("Vul het telefoonnummer in waarop de inwoner wordt teruggebeld.", noPhone.ErrorFor("Questions[0].Routing.ReachAt"));
        Assert.StartsWith("Dit telefoonnummer klopt niet.", badPhone.ErrorFor("Questions[0].Routing.ReachAt"), StringComparison.Ordinal);
        Assert.Equal("Kies het team dat de vraag oppakt.", noTeam.ErrorFor("Questions[0].Routing.TeamId"));
        Assert.Contains("hoogstens 1000 tekens", noTeam.ErrorFor("Questions[0].Routing.Explanation"), StringComparison.Ordinal);
        Assert.StartsWith("Dit e-mailadres klopt niet.", noEmail.ErrorFor("Questions[0].Routing.ReachAt"), StringComparison.Ordinal);
        await using var db = await app.CreateDbContextAsync();
        Assert.Equal(0, await db.Contacts.CountAsync());
    }

    [Fact]
    public async Task A_contact_is_never_saved_without_the_task_it_promised()
    {
        await using var app = await TestApp.CreateAsync();
        app.SignIn(await app.EmployeeAsync("fo", "Fatima Ouali", Roles.Frontoffice, "KCC"));
        var outsider = await app.EmployeeAsync("bo", "Bram Oosterhuis", Roles.Backoffice, "Belastingen");
        var burgerzaken = await app.TeamIdAsync("Burgerzaken");

        var wrongEmployee = await app.LogRoutedAsync(Handle(burgerzaken) with { AssigneeId = outsider.Employee.Id });
        var letterWithoutAddress = await app.LogRoutedAsync(new RoutingInput { Action = RequestedAction.BeantwoordenPerBrief, TeamId = burgerzaken });

        Assert.Equal("Deze medewerker zit niet in team Burgerzaken. Kies iemand uit het team of laat het leeg.", wrongEmployee.ErrorFor("Questions[0].Routing.AssigneeId"));
        Assert.StartsWith("Voor een brief is een adres nodig.", letterWithoutAddress.ErrorFor("Questions[0].Routing.Action"), StringComparison.Ordinal);
        await using var db = await app.CreateDbContextAsync();
        Assert.Equal((0, 0, 0), (await db.Contacts.CountAsync(), await db.InternalTasks.CountAsync(), await db.AuditEntries.CountAsync()));
    }

    [Fact]
    public async Task Two_routed_questions_of_one_contact_become_two_tasks_and_an_answered_one_none()
    {
        await using var app = await TestApp.CreateAsync();
        app.SignIn(await app.EmployeeAsync("fo", "Fatima Ouali", Roles.Frontoffice, "KCC"));
        var burgerzaken = await app.TeamIdAsync("Burgerzaken");
        var afval = await app.TeamIdAsync("Afval");

        var result = await app.SendAsync(new LogContact.Command
        {
            StartedAt = app.Clock.GetUtcNow().UtcDateTime,
            Questions =
            [
                new LogContact.QuestionInput { TopicId = await app.TopicIdAsync("paspoort"), Text = "Paspoort kwijt", Outcome = Outcome.Terugbelverzoek, Routing = Callback(burgerzaken) },
                new LogContact.QuestionInput { TopicId = await app.TopicIdAsync("afvalkalender"), Text = "Wanneer gft?", Answer = "Dinsdag.", Outcome = Outcome.Beantwoord, Routing = Handle(afval) },
                new LogContact.QuestionInput { TopicId = await app.TopicIdAsync("afvalcontainer"), Text = "Container kapot", Outcome = Outcome.DoorgezetNaarBackoffice, Routing = Handle(afval) },
            ],
        });

        Assert.True(result.Succeeded, result.AllErrors);
        await using var db = await app.CreateDbContextAsync();
        var tasks = await db.InternalTasks.Where(t => t.ContactId == result.Value).OrderBy(t => t.Id).Select(t => new { t.TeamId, t.Action }).ToListAsync();
        Assert.Equal([(burgerzaken, RequestedAction.Terugbellen), (afval, RequestedAction.InBehandelingNemen)], tasks.Select(t => (t.TeamId, t.Action)));
        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.Action.StartsWith("taak.")));
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "contact.geregistreerd"));
    }

    [Fact]
    public async Task A_question_logged_without_a_task_can_be_routed_later_and_only_once()
    {
        await using var app = await TestApp.CreateAsync();
        var agent = await app.EmployeeAsync("fo", "Fatima Ouali", Roles.Frontoffice, "KCC");
        app.SignIn(agent);
        var burgerzaken = await app.TeamIdAsync("Burgerzaken");
        var contact = await app.SendAsync(new LogContact.Command
        {
            StartedAt = app.Clock.GetUtcNow().UtcDateTime,
            Questions =
            [
                new LogContact.QuestionInput { TopicId = await app.TopicIdAsync("paspoort"), Text = "Bel mij terug", Outcome = Outcome.Terugbelverzoek },
                new LogContact.QuestionInput { TopicId = await app.TopicIdAsync("rijbewijs"), Text = "Kosten?", Answer = "€ 45", Outcome = Outcome.Beantwoord },
            ],
        });
        await using var db = await app.CreateDbContextAsync();
        var questions = await db.Questions.Where(q => q.ContactId == contact.Value).OrderBy(q => q.Sequence).Select(q => q.Id).ToListAsync();
        Assert.Equal(0, await db.InternalTasks.CountAsync());

        var routed = await app.SendAsync(new RouteQuestion.Command(questions[0], Callback(burgerzaken)));
        var again = await app.SendAsync(new RouteQuestion.Command(questions[0], Callback(burgerzaken)));
        var answered = await app.SendAsync(new RouteQuestion.Command(questions[1], Callback(burgerzaken)));
        var invalid = await app.SendAsync(new RouteQuestion.Command(questions[0], Callback(burgerzaken) with { ReachAt = null }));

        Assert.True(routed.Succeeded, routed.AllErrors);
        Assert.Equal(questions[0], (await app.TaskAsync(routed.Value)).QuestionId);
        Assert.Equal("Deze vraag is al doorgezet.", again.ErrorFor("QuestionId"));
        Assert.Equal("Deze vraag is beantwoord en hoeft niet naar de backoffice.", answered.ErrorFor("QuestionId"));
        Assert.NotNull(invalid.ErrorFor("Routing.ReachAt"));
        var tasks = await app.SendAsync(new GetQuestionTasks.Query(contact.Value));
        Assert.Equal([questions[0]], tasks.ByQuestion.Keys);
    }

    [Fact]
    public async Task The_promised_date_follows_the_service_norm_of_the_action_channel_and_topic()
    {
        await using var app = await TestApp.CreateAsync();
        var agent = await app.EmployeeAsync("fo", "Fatima Ouali", Roles.Frontoffice, "KCC");
        var beheerder = await app.EmployeeAsync("beheer", "Bea Heerkens", Roles.Beheerder);
        var paspoort = await app.TopicIdAsync("paspoort");
        var rijbewijs = await app.TopicIdAsync("rijbewijs");

        async Task<PromisedDate> Promise(RequestedAction action, Channel channel = Channel.Telefoon, int? topic = null) =>
            (await app.SendAsAsync(agent, new PreviewRouting.Query(topic ?? paspoort, action, channel))).Promise;

        // Tuesday 24 November 2026, 11:00 in Amsterdam.
        Assert.Equal(Local(2026, 11, 25, 17), (await Promise(RequestedAction.Terugbellen)).DueAt);
        Assert.Equal(Local(2026, 11, 26, 17), (await Promise(RequestedAction.BeantwoordenPerEmail)).DueAt);
        Assert.Equal(Local(2026, 12, 8, 17), (await Promise(RequestedAction.BeantwoordenPerBrief)).DueAt);
        Assert.Equal(Local(2026, 12, 1, 17), (await Promise(RequestedAction.InBehandelingNemen)).DueAt);
        var chat = await Promise(RequestedAction.InBehandelingNemen, Channel.WhatsApp);
        Assert.Equal((Local(2026, 11, 24, 15), "WhatsApp of chat beantwoorden: 4 kantooruren"), (chat.DueAt, chat.Norm));

        Assert.True((await app.SendAsAsync(beheerder, new SaveServiceNorm.Command(NormKind.DoorgezetteVraag, paspoort, 3, NormUnit.Werkdagen))).Succeeded);
        Assert.True((await app.SendAsAsync(beheerder, new SaveServiceNorm.Command(NormKind.Terugbelverzoek, null, 2, NormUnit.Werkdagen))).Succeeded);

        var topicNorm = await Promise(RequestedAction.AfspraakMaken);
        Assert.Equal((Local(2026, 11, 27, 17), "Doorgezette vraag afhandelen (dit onderwerp): 3 werkdagen"), (topicNorm.DueAt, topicNorm.Norm));
        Assert.Equal(Local(2026, 12, 1, 17), (await Promise(RequestedAction.AfspraakMaken, topic: rijbewijs)).DueAt);
        Assert.Equal(Local(2026, 11, 26, 17), (await Promise(RequestedAction.Terugbellen)).DueAt);

        Assert.True((await app.SendAsAsync(beheerder, new RemoveTopicNorm.Command(paspoort))).Succeeded);
        Assert.Equal(Local(2026, 12, 1, 17), (await Promise(RequestedAction.AfspraakMaken)).DueAt);
        var refused = await app.SendAsAsync(beheerder, new SaveServiceNorm.Command(NormKind.Email, paspoort, 0, NormUnit.Werkdagen));
        Assert.Equal("Alleen doorgezette vragen hebben een termijn per onderwerp.", refused.ErrorFor("TopicId"));
        Assert.Equal("Vul een termijn in van 1 tot 250 werkdagen.", refused.ErrorFor("Amount"));
    }
}
