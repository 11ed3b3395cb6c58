using System.Text;
using Kcc.Workbench.Tests.Features.Routing;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Dashboard;
using Kcc.Workbench.Web.Features.Routing;
using Kcc.Workbench.Web.Features.Routing.ServiceNorms;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Kcc.Workbench.Tests.Features.Dashboard.DashboardTestKit;

namespace Kcc.Workbench.Tests.Features.Dashboard;

/// <summary>Channel volumes, rostering heatmap, handling time, service norms, knowledge gaps, access and exports.</summary>
public class DashboardFiguresTests
{
    [Fact]
    public async Task Channel_volumes_count_contacts_and_questions_against_the_previous_period_and_the_heatmap_counts_arrivals_in_Amsterdam_time()
    {
        await using var app = await TestApp.CreateAsync();
        var (agent, lead) = await app.StaffAsync();
        // Monday 2 November 2026, 09:15 in Amsterdam: two questions, one contact.
        await app.LogAsync(agent, Local(11, 2, 9, 15), null, Channel.Telefoon, new Asked("paspoort", Outcome.Beantwoord), new Asked("rijbewijs", Outcome.Beantwoord));
        await app.AnsweredAsync(agent, Local(11, 2, 9, 40), null, channel: Channel.Telefoon);
        await app.AnsweredAsync(agent, Local(11, 4, 14, 5), null, channel: Channel.WhatsApp);
        await app.AnsweredAsync(agent, Local(10, 12, 10), null, channel: Channel.Telefoon);

        var view = await app.DashboardAsync(lead, November);

        Assert.Equal((3, 4, 1, 1), (view.Channels.Contacts, view.Channels.Questions, view.Channels.PreviousContacts, view.Channels.PreviousQuestions));
        var telefoon = view.Channels.Channels.Single(c => c.Channel == Channel.Telefoon);
        Assert.Equal((2, 3, 1, 1), (telefoon.Contacts, telefoon.Questions, telefoon.PreviousContacts, telefoon.PreviousQuestions));
        Assert.Equal(2, view.Channels.Heatmap[0][9]);   // maandag 09:00–10:00
        Assert.Equal(1, view.Channels.Heatmap[2][14]);  // woensdag 14:00–15:00
        Assert.Equal(3, view.Channels.Heatmap.Sum(day => day.Sum()));
        Assert.Equal(24, view.Channels.Trend.Buckets.Count);
        Assert.Equal(2, view.Channels.Trend.Contacts[Channel.Telefoon][1]);
        Assert.Equal(1, view.Channels.Trend.Contacts[Channel.WhatsApp][3]);
        Assert.False(view.Channels.Trend.Contacts.ContainsKey(Channel.Balie));
    }

    [Fact]
    public async Task Handling_time_per_channel_gives_the_average_and_the_90th_percentile()
    {
        await using var app = await TestApp.CreateAsync();
        var (agent, lead) = await app.StaffAsync();
        for (var minutes = 1; minutes <= 10; minutes++)
        {
            await app.LogAsync(agent, Local(11, 3, 9, minutes * 3), TimeSpan.FromMinutes(minutes), null, Channel.Balie, new Asked("paspoort", Outcome.Beantwoord));
        }

        var balie = Assert.Single((await app.DashboardAsync(lead, November)).Handling);

        Assert.Equal((Channel.Balie, 10), (balie.Channel, balie.Contacts));
        Assert.Equal(330, balie.AverageSeconds, 6);
        Assert.Equal(540, balie.P90Seconds);
    }

    [Fact]
    public async Task Service_norms_count_tasks_completed_in_time_and_late_and_the_open_ones_overdue_now()
    {
        await using var app = await TestApp.CreateAsync();
        var (agent, lead) = await app.StaffAsync();
        var backOffice = await app.EmployeeAsync("bo", "Bram Oosterhuis", Roles.Backoffice, "Burgerzaken");
        var burgerzaken = await app.TeamIdAsync("Burgerzaken");

        // Routed on Tuesday 1 December at 10:00; a callback is due one working day later.
        var december = new DashboardFilter { From = new DateOnly(2026, 12, 1), To = new DateOnly(2026, 12, 31) };
        app.Clock.SetUtcNow(Local(12, 1, 10));
        var onTime = await app.RouteAsync(agent, RoutingTestKit.Callback(burgerzaken));
        var late = await app.RouteAsync(agent, RoutingTestKit.Callback(burgerzaken));
        await app.RouteAsync(agent, RoutingTestKit.Handle(burgerzaken));
        app.Clock.SetUtcNow(Local(12, 1, 15));
        await CompleteAsync(app, backOffice, onTime);
        app.Clock.SetUtcNow(Local(12, 4, 15));
        await CompleteAsync(app, backOffice, late);
        app.Clock.SetUtcNow(Local(12, 21, 11));

        var norms = (await app.DashboardAsync(lead, december)).Norms;

        Assert.Equal((2, 1, 1), (norms.Completed, norms.OnTime, norms.OverdueNow));
        Assert.Equal(50, norms.OnTimePercent);
        Assert.Equal((3 * 24 + 5 + 5) / 2.0, norms.AverageHours!.Value, 3);
        var callbacks = norms.Rows.Single(r => r.Kind == NormKind.Terugbelverzoek);
        Assert.Equal(("Burgerzaken", 2, 1, 0), (callbacks.Team, callbacks.Completed, callbacks.OnTime, callbacks.OverdueNow));
        Assert.Equal(1, norms.Rows.Single(r => r.Kind == NormKind.DoorgezetteVraag).OverdueNow);
        Assert.Equal(0, (await app.DashboardAsync(lead, december with { TeamId = await app.TeamIdAsync("Afval") })).Norms.Completed);

        // The tasks behind each figure.
        var lateOnes = await app.SendAsAsync(lead, new GetDashboardTasks.Query(december, TaskSet.TeLaatAfgerond));
        Assert.Equal((late, false), (Assert.Single(lateOnes.Tasks).TaskId, lateOnes.Tasks[0].OnTime));
        var completed = await app.SendAsAsync(lead, new GetDashboardTasks.Query(december, TaskSet.Afgerond, NormKind.Terugbelverzoek));
        Assert.Equal([late, onTime], completed.Tasks.Select(t => t.TaskId));
        var overdue = await app.SendAsAsync(lead, new GetDashboardTasks.Query(december, TaskSet.NuTeLaat));
        Assert.Equal(NormKind.DoorgezetteVraag, Assert.Single(overdue.Tasks).Kind);
        Assert.True(overdue.CanOpenTasks);
        Assert.Empty((await app.SendAsAsync(lead, new GetDashboardTasks.Query(december, TaskSet.VandaagUiterlijk))).Tasks);
    }

    [Fact]
    public async Task Tasks_routed_or_completed_after_a_look_are_counted_at_the_next_even_when_a_task_carries_a_time_in_the_future()
    {
        await using var app = await TestApp.CreateAsync();
        var (agent, lead) = await app.StaffAsync();
        var backOffice = await app.EmployeeAsync("bo", "Bram Oosterhuis", Roles.Backoffice, "Burgerzaken");
        var burgerzaken = await app.TeamIdAsync("Burgerzaken");
        var december = new DashboardFilter { From = new DateOnly(2026, 12, 1), To = new DateOnly(2026, 12, 31) };
        app.Clock.SetUtcNow(Local(12, 1, 10));
        var first = await app.RouteAsync(agent, RoutingTestKit.Callback(burgerzaken));
        // A task not reached gets a retry time in the future; a clock-based change watermark would skip everything after it.
        await using (var db = await app.CreateDbContextAsync())
        {
            await db.InternalTasks.Where(t => t.Id == first).ExecuteUpdateAsync(u => u.SetProperty(t => t.UpdatedAt, Local(12, 20, 10)));
        }

        Assert.Equal(0, (await app.DashboardAsync(lead, december)).Norms.Completed);

        var second = await app.RouteAsync(agent, RoutingTestKit.Callback(burgerzaken));
        app.Clock.SetUtcNow(Local(12, 1, 14));
        await CompleteAsync(app, backOffice, first);
        await CompleteAsync(app, backOffice, second);
        var after = await app.DashboardAsync(lead, december);

        Assert.Equal((2, 2), (after.Norms.Completed, after.Norms.OnTime));
        Assert.Equal(2, after.Ftr.Total.Routed);
    }

    internal static async Task CompleteAsync(TestApp app, RoutingTestKit.Staff backOffice, long taskId)
    {
        var task = await app.TaskAsync(taskId);
        var claimed = await app.SendAsAsync(backOffice, new ClaimTask.Command(taskId, task.Version));
        Assert.True(claimed.Succeeded, claimed.AllErrors);
        var completed = await app.SendAsAsync(backOffice, new CompleteTask.Command(taskId, task.Version + 1, "Inwoner gebeld, aanvraag is binnen."));
        Assert.True(completed.Succeeded, completed.AllErrors);
    }

    [Fact]
    public async Task Where_the_kennisbank_falls_short_lists_topics_that_went_wrong_and_searches_that_found_nothing()
    {
        await using var app = await TestApp.CreateAsync();
        var (agent, lead) = await app.StaffAsync();
        var burgerzaken = await app.TeamIdAsync("Burgerzaken");
        await app.LogAsync(agent, Local(11, 2, 10), null, Channel.Telefoon,
            new Asked("paspoort", Outcome.DoorgezetNaarBackoffice, RoutingTestKit.Handle(burgerzaken), UnansweredSearch: "paspoort kwijt in buitenland"));
        await app.LogAsync(agent, Local(11, 3, 10), null, Channel.Email, new Asked("paspoort", Outcome.NietAfgehandeld, UnansweredSearch: "Paspoort kwijt in buitenland!"));
        await app.AnsweredAsync(agent, Local(11, 3, 11), null, "rijbewijs");

        var view = await app.DashboardAsync(lead, November);

        var topic = Assert.Single(view.Topics);
        Assert.Equal(("paspoort", 2, 1), (topic.Topic, topic.Figures.Questions, topic.Figures.Routed));
        Assert.Null(topic.ArticleId);
        var gap = Assert.Single(view.Gaps);
        Assert.Equal(2, gap.Count);
        Assert.Equal(await app.TopicIdAsync("paspoort"), gap.TopicId);
        Assert.Empty((await app.DashboardAsync(lead, November with { Channel = Channel.Balie })).Gaps);
    }

    [Fact]
    public async Task Figures_per_agent_are_for_team_leads_only()
    {
        await using var app = await TestApp.CreateAsync();
        var (agent, lead) = await app.StaffAsync();
        var admin = await app.EmployeeAsync("beheer", "Bea Heerkens", Roles.Beheerder);
        var second = await app.EmployeeAsync("agent2", "Mark Willems", Roles.Frontoffice, "KCC");
        await app.AnsweredAsync(agent, Local(11, 2, 10), null);
        await app.LogAsync(second, Local(11, 3, 10), null, Channel.Balie, new Asked("paspoort", Outcome.Beantwoord, UnansweredSearch: "paspoort van Jan Jansen"));

        var view = await app.SendAsAsync(admin, new GetDashboard.Query(November with { AgentId = agent.Employee.Id }));

        Assert.False(view.ShowsAgents);
        Assert.Empty(view.Ftr.ByAgent);
        Assert.Empty(view.AgentOptions);
        Assert.Contains("alleen voor teamleiders", view.Message, StringComparison.Ordinal);
        // The agent filter was dropped, not applied: both agents' questions count.
        Assert.Equal(2, view.Ftr.Total.Questions);
        // What agents typed into the search may name a resident: not for a beheerder.
        Assert.Empty(view.Gaps);
        var rows = await app.SendAsAsync(admin, new GetDashboardQuestions.All(November with { AgentId = agent.Employee.Id }));
        Assert.Equal(2, rows.Questions.Count);
        Assert.All(rows.Questions, q => Assert.Null(q.Agent));
        var tasks = await app.SendAsAsync(admin, new GetDashboardTasks.Query(November with { AgentId = agent.Employee.Id }, TaskSet.Afgerond));
        Assert.Contains("alleen voor teamleiders", tasks.Message, StringComparison.Ordinal);
        Assert.False(tasks.CanOpenTasks);
        Assert.Single((await app.SendAsAsync(lead, new GetDashboard.Query(November))).Gaps);
        await Assert.ThrowsAsync<ForbiddenRequestException>(() => app.SendAsAsync(agent, new GetDashboard.Query(November)));
    }

    [Fact]
    public async Task A_running_period_is_compared_with_as_many_days_of_the_previous_one()
    {
        await using var app = await TestApp.CreateAsync();
        var (agent, lead) = await app.StaffAsync();
        await app.AnsweredAsync(agent, Local(10, 20, 10), null);
        await app.AnsweredAsync(agent, Local(10, 28, 10), null);

        // The clock stands at Tuesday 24 November.
        var thisMonth = await app.DashboardAsync(lead, November);
        var lastWeek = await app.DashboardAsync(lead, new DashboardFilter { From = new DateOnly(2026, 11, 16), To = new DateOnly(2026, 11, 22) });

        Assert.Equal(new DateOnly(2026, 10, 1), thisMonth.Previous.From);
        Assert.Equal(new DateOnly(2026, 10, 24), thisMonth.Previous.To);
        Assert.Equal(1, thisMonth.Channels.PreviousContacts);
        Assert.Equal((new DateOnly(2026, 11, 9), new DateOnly(2026, 11, 15)), (lastWeek.Previous.From, lastWeek.Previous.To));
    }

    [Theory]
    [InlineData("2026-11-30", "2026-11-01", "vóór de begindatum")]
    [InlineData("1999-01-01", "1999-02-01", "tussen 1 januari 2000")]
    [InlineData("2020-01-01", "2026-01-01", "hoogstens drie jaar")]
    public async Task An_unusable_period_gets_a_Dutch_message_and_this_months_figures(string from, string to, string message)
    {
        await using var app = await TestApp.CreateAsync();
        var (_, lead) = await app.StaffAsync();

        var view = await app.SendAsAsync(lead, new GetDashboard.Query(new DashboardFilter { From = DateOnly.Parse(from, DutchFormat.Culture), To = DateOnly.Parse(to, DutchFormat.Culture) }));

        Assert.Contains(message, view.Message, StringComparison.Ordinal);
        Assert.Equal(November, view.Filter);
    }

    [Fact]
    public async Task The_question_export_is_csv_for_Dutch_Excel_and_cannot_start_a_formula()
    {
        await using var app = await TestApp.CreateAsync();
        var (agent, lead) = await app.StaffAsync();
        var resident = await app.ResidentAsync();
        await app.AnsweredAsync(agent, Local(11, 2, 10), resident);
        await app.AnsweredAsync(agent, Local(11, 4, 10), resident, channel: Channel.Email);
        using var agentWithFormula = TestCurrentUser.ActAs(TestCurrentUser.For("formula-agent", "formula", "=HYPERLINK(\"x\")", Roles.Frontoffice));
        await app.SendAsync(new LogContact.Command
        {
            Channel = Channel.Chat,
            StartedAt = Local(11, 5, 10),
            EndedAt = Local(11, 5, 11),
            Questions = [new LogContact.QuestionInput { TopicId = await app.TopicIdAsync("paspoort"), Text = "x", Outcome = Outcome.Beantwoord }],
        });

        var all = await app.SendAsAsync(lead, new GetDashboardQuestions.All(November));
        using var stream = new MemoryStream();
        await DashboardExport.WriteQuestionsAsync(stream, all, CancellationToken.None);
        var bytes = stream.ToArray();
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);

        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("Vraag;Contact;Datum en tijd;Kanaal;Onderwerp;Team;Medewerker;Afhandeling;", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"2 nov 2026 10:00\";\"Telefoon\";\"paspoort\";\"Burgerzaken\";\"Sara de Jong\";\"Beantwoord\";\"nee\";\"ja\";\"Herhaalcontact binnen termijn\"", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"'=HYPERLINK(\"\"x\"\")\"", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_overview_export_holds_every_table_of_the_view()
    {
        await using var app = await TestApp.CreateAsync();
        var (agent, lead) = await app.StaffAsync();
        await app.AnsweredAsync(agent, Local(11, 2, 10), await app.ResidentAsync());

        var csv = Encoding.UTF8.GetString(DashboardExport.Overview(await app.DashboardAsync(lead, November)));

        Assert.Contains("\"In één keer goed, geverifieerd (%)\";\"100,0\";\"\"", csv, StringComparison.Ordinal);
        foreach (var block in new[] { "\"Kanaal\";\"Vragen\"", "\"Team\";\"Vragen\"", "\"Medewerker\";\"Vragen\"", "\"Contacten per uur\"", "\"Gemiddelde afhandeltijd (s)\"", "\"Op tijd (%)\"", "\"Gezocht zonder resultaat\"" })
        {
            Assert.Contains(block, csv, StringComparison.Ordinal);
        }
    }
}
