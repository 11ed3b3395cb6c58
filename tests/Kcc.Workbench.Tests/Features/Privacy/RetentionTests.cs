using Kcc.Workbench.Tests.Features.Routing;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.KnowledgeBase;
using Kcc.Workbench.Web.Features.Privacy;
using Kcc.Workbench.Web.Features.Routing;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Kcc.Workbench.Tests.Features.Routing.RoutingTestKit;

namespace Kcc.Workbench.Tests.Features.Privacy;

/// <summary>
/// Bewaartermijnen for back-office tasks and knowledge gaps: the free text goes once the term has passed, what the
/// dashboard counts (team, topic, channel, action, status, times) stays.
/// </summary>
public class RetentionTests
{
    private sealed record People(Staff Agent, Staff Backoffice, Staff Beheerder, int Burgerzaken);

    private static async Task<People> PeopleAsync(TestApp app)
    {
        var agent = await app.EmployeeAsync("fo", "Fatima Ouali", Roles.Frontoffice, "KCC");
        var backoffice = await app.EmployeeAsync("bo", "Bram Bos", Roles.Backoffice, "Burgerzaken");
        var beheerder = await app.EmployeeAsync("beheer", "Bep Beheer", Roles.Beheerder);
        return new People(agent, backoffice, beheerder, await app.TeamIdAsync("Burgerzaken"));
    }

    /// <summary>A callback request for Jan de Vries, taken, noted and completed by the back office.</summary>
    private static async Task<long> CompletedTaskAsync(TestApp app, People people, int partyId)
    {
        var id = await app.RouteAsync(people.Agent, Callback(people.Burgerzaken) with { Reachable = "na 14:00" }, partyId: partyId);
        Assert.True((await app.SendAsAsync(people.Backoffice, new ClaimTask.Command(id, 1))).Succeeded);
        Assert.True((await app.SendAsAsync(people.Backoffice, new AddTaskNote.Command(id, "Mevrouw belt terug op 06 9876 5432"))).Succeeded);
        var version = (await app.TaskAsync(id)).Version;
        var done = await app.SendAsAsync(people.Backoffice, new CompleteTask.Command(id, version, "Paspoort ligt klaar; afspraak gemaakt."));
        Assert.True(done.Succeeded, done.AllErrors);
        return id;
    }

    private static async Task<AnonymisationReport> RunAsync(TestApp app, People people) =>
        (await app.SendAsAsync(people.Beheerder, new AnonymiseExpiredData.Command())).Value!;

    [Fact]
    public async Task A_task_completed_longer_ago_than_the_term_loses_its_free_text_and_keeps_what_the_statistics_need()
    {
        await using var app = await TestApp.CreateAsync();
        var people = await PeopleAsync(app);
        var partyId = await app.ResidentAsync();
        var old = await CompletedTaskAsync(app, people, partyId);
        var stillOpen = await app.RouteAsync(people.Agent, Callback(people.Burgerzaken), partyId: partyId);
        app.Clock.Advance(TimeSpan.FromDays(365));
        var recent = await CompletedTaskAsync(app, people, partyId);
        var before = await app.TaskAsync(old);
        app.Clock.Advance(TimeSpan.FromDays(367)); // just over 2 years after the first completion, under 2 years after the second

        var report = await RunAsync(app, people);

        Assert.Equal(1, report.Tasks);
        var after = await app.TaskAsync(old);
        Assert.Equal((null, null, null), (after.Explanation, after.ReachAt, after.Reachable));
        Assert.Equal(Anonymiser.Placeholder, after.Result);
        Assert.All(after.Log, e => Assert.Equal(Anonymiser.Placeholder, e.Text));
        Assert.Equal(before.Log.Select(e => (e.Kind, e.At, e.EmployeeName)), after.Log.Select(e => (e.Kind, e.At, e.EmployeeName)));
        Assert.Equal(
            (before.TeamId, before.TopicId, before.Channel, before.Action, before.Status, before.Step, before.CreatedAt, before.DueAt, before.CompletedAt, before.Attempts, before.PartyId),
            (after.TeamId, after.TopicId, after.Channel, after.Action, after.Status, after.Step, after.CreatedAt, after.DueAt, after.CompletedAt, after.Attempts, after.PartyId));
        Assert.Equal("Paspoort ligt klaar; afspraak gemaakt.", (await app.TaskAsync(recent)).Result);
        Assert.Equal("06 1234 5678", (await app.TaskAsync(recent)).ReachAt);
        // Still being worked on: the term has not started.
        Assert.Equal("Wil weten of de aanvraag binnen is.", (await app.TaskAsync(stillOpen)).Explanation);

        var again = await RunAsync(app, people);
        Assert.Equal(new AnonymisationReport(0, 0, 0), again);
        await using var db = await app.CreateDbContextAsync();
        var entry = Assert.Single(await db.AuditEntries.Where(a => a.Action == "bewaartermijnen.toegepast").ToListAsync());
        Assert.Equal("Bep Beheer", entry.ActorName);
        Assert.Contains("1 taken", entry.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Knowledge_gaps_lose_their_search_text_after_a_year_and_still_count()
    {
        await using var app = await TestApp.CreateAsync();
        var people = await PeopleAsync(app);
        var topicId = await app.TopicIdAsync("paspoort");
        async Task GapAsync(string search)
        {
            var logged = await app.SendAsAsync(people.Agent, new LogContact.Command
            {
                Channel = Channel.WhatsApp,
                StartedAt = app.Clock.GetUtcNow().UtcDateTime.AddMinutes(-1),
                Questions = [new LogContact.QuestionInput { TopicId = topicId, Text = "Vraag", Outcome = Outcome.NietAfgehandeld, UnansweredSearch = search }],
            });
            Assert.True(logged.Succeeded, logged.AllErrors);
        }

        await GapAsync("paspoort kwijt mevrouw Jansen 111222333");
        app.Clock.Advance(TimeSpan.FromDays(200));
        await GapAsync("paspoort voor huisdier");
        app.Clock.Advance(TimeSpan.FromDays(170));

        var report = await RunAsync(app, people);

        Assert.Equal(1, report.KnowledgeGaps);
        await using var db = await app.CreateDbContextAsync();
        var gaps = await db.KnowledgeGaps.OrderBy(g => g.CreatedAt).ToListAsync();
        Assert.Equal([Anonymiser.Placeholder, "paspoort voor huisdier"], gaps.Select(g => g.Query));
        Assert.All(gaps, g => Assert.Equal((Channel.WhatsApp, topicId), (g.Channel, g.TopicId)));
        Assert.Equal(TestApp.DefaultNow.UtcDateTime, gaps[0].CreatedAt);
        var listed = await app.SendAsAsync(await app.EmployeeAsync("tl", "Tim Leider", Roles.Teamleider), new KnowledgeGaps.List(Days: 366));
        Assert.Equal(["paspoort voor huisdier"], listed.Select(g => g.Query));
    }

    [Fact]
    public async Task The_terms_come_from_the_configuration()
    {
        await using var app = await TestApp.CreateAsync(settings: new Dictionary<string, string?>
        {
            ["Kcc:Bewaartermijnen:TaskYears"] = "1",
            ["Kcc:Bewaartermijnen:ContactYears"] = "5",
        });
        var people = await PeopleAsync(app);
        var partyId = await app.ResidentAsync();
        var id = await CompletedTaskAsync(app, people, partyId);
        app.Clock.Advance(TimeSpan.FromDays(360));
        Assert.Equal(0, (await RunAsync(app, people)).Tasks);
        app.Clock.Advance(TimeSpan.FromDays(10));

        var report = await RunAsync(app, people);

        Assert.Equal((1, 0), (report.Tasks, report.Questions));
        Assert.Null((await app.TaskAsync(id)).ReachAt);
        await using var db = await app.CreateDbContextAsync();
        Assert.Equal("Is mijn paspoort al klaar?", (await db.Questions.SingleAsync()).Text);
    }

    [Fact]
    public async Task An_erasure_request_also_clears_the_residents_tasks_and_is_audited_once_without_the_reason()
    {
        await using var app = await TestApp.CreateAsync();
        var people = await PeopleAsync(app);
        var partyId = await app.ResidentAsync();
        var completed = await CompletedTaskAsync(app, people, partyId);
        var open = await app.RouteAsync(people.Agent, Callback(people.Burgerzaken), partyId: partyId);

        var erased = await app.SendAsAsync(people.Beheerder, new EraseParty.Command(partyId, "Verzoek 2026-0042 van mevrouw Jansen"));

        Assert.Equal(2, erased.Value!.Tasks);
        Assert.All(new[] { await app.TaskAsync(completed), await app.TaskAsync(open) }, t =>
        {
            Assert.Equal((null, null), (t.Explanation, t.ReachAt));
            Assert.All(t.Log, e => Assert.Equal(Anonymiser.Placeholder, e.Text));
        });
        Assert.Equal(InternalTaskStatus.TeVerwerken, (await app.TaskAsync(open)).Status);
        await using var db = await app.CreateDbContextAsync();
        var entry = Assert.Single(await db.AuditEntries.Where(a => a.Action == "betrokkene.verwijderd").ToListAsync());
        Assert.Equal(("Party", partyId.ToString(DutchFormat.Culture), "Bep Beheer"), (entry.EntityType, entry.EntityId, entry.ActorName));
        Assert.DoesNotContain("Jansen", entry.Summary, StringComparison.Ordinal);
    }
}
