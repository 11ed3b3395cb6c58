using Kcc.Workbench.Tests.Features.Routing;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Features.Routing;
using Kcc.Workbench.Web.Infrastructure;

namespace Kcc.Workbench.Tests.Features.Contacts;

/// <summary>
/// A confidential contact is read by the KCC, and in the back office only by the teams it was routed to:
/// on every screen and request that returns contacts, not just on one.
/// </summary>
public class ConfidentialContactsTests
{
    private sealed record World(
        TestApp App, int PartyId, long RoutedToBurgerzaken, long NotRouted, long Open,
        RoutingTestKit.Staff Frontoffice, RoutingTestKit.Staff Burgerzaken, RoutingTestKit.Staff Belastingen, RoutingTestKit.Staff Teamleider,
        RoutingTestKit.Staff BelastingenAndFrontoffice);

    /// <summary>One resident with three contacts: confidential and routed to Burgerzaken, confidential and not routed, and an ordinary one.</summary>
    private static async Task<World> WorldAsync()
    {
        var app = await TestApp.CreateAsync();
        var frontoffice = await app.EmployeeAsync("fo", "Fenna Front", Roles.Frontoffice, "KCC");
        var burgerzaken = await app.EmployeeAsync("bo-bz", "Bart Burger", Roles.Backoffice, "Burgerzaken");
        var belastingen = await app.EmployeeAsync("bo-bel", "Bea Belasting", Roles.Backoffice, "Belastingen");
        var teamleider = await app.EmployeeAsync("tl", "Tim Leider", Roles.Teamleider, "KCC");
        var both = await app.EmployeeAsync("bo-fo", "Dirk Dubbel", Roles.Backoffice, "Belastingen");
        both = both with { Principal = TestCurrentUser.For(both.Employee.Id, "bo-fo", "Dirk Dubbel", Roles.Backoffice, Roles.Frontoffice) };
        var partyId = await app.ResidentAsync();
        var burgerzakenId = await app.TeamIdAsync("Burgerzaken");

        long routed, notRouted, open;
        using (TestCurrentUser.ActAs(frontoffice.Principal))
        {
            routed = (await app.SendAsync(Contact(app, partyId, true, "Geheim paspoortverhaal", await app.TopicIdAsync("paspoort"),
                Outcome.DoorgezetNaarBackoffice, RoutingTestKit.Handle(burgerzakenId)))).Value;
            notRouted = (await app.SendAsync(Contact(app, partyId, true, "Geheime schulden", await app.TopicIdAsync("schuldhulpverlening"), Outcome.Beantwoord)))
                .Value;
            open = (await app.SendAsync(Contact(app, partyId, false, "Gewone vraag over afval", await app.TopicIdAsync("schuldhulpverlening"), Outcome.Beantwoord)))
                .Value;
        }

        Assert.True(routed > 0 && notRouted > 0 && open > 0);
        return new World(app, partyId, routed, notRouted, open, frontoffice, burgerzaken, belastingen, teamleider, both);
    }

    private static LogContact.Command Contact(TestApp app, int partyId, bool confidential, string text, int topicId, Outcome outcome, RoutingInput? routing = null) => new()
    {
        PartyId = partyId,
        IsConfidential = confidential,
        StartedAt = app.Clock.GetUtcNow().UtcDateTime.AddMinutes(-2),
        Questions = [new LogContact.QuestionInput { TopicId = topicId, Text = text, Outcome = outcome, Routing = routing }],
    };

    [Fact]
    public async Task A_back_office_employee_reads_a_confidential_contact_only_when_it_was_routed_to_their_team()
    {
        var world = await WorldAsync();
        await using var app = world.App;

        Assert.NotNull(await app.SendAsAsync(world.Burgerzaken, new GetContact.Query(world.RoutedToBurgerzaken)));
        Assert.NotNull(await app.SendAsAsync(world.Burgerzaken, new GetContact.Query(world.Open)));
        Assert.Null(await app.SendAsAsync(world.Burgerzaken, new GetContact.Query(world.NotRouted)));
        Assert.Null(await app.SendAsAsync(world.Belastingen, new GetContact.Query(world.RoutedToBurgerzaken)));
        Assert.Null(await app.SendAsAsync(world.Belastingen, new GetContact.Query(world.NotRouted)));
        Assert.NotNull(await app.SendAsAsync(world.Belastingen, new GetContact.Query(world.Open)));
    }

    [Fact]
    public async Task The_kcc_roles_and_an_employee_with_a_kcc_role_besides_back_office_read_every_contact()
    {
        var world = await WorldAsync();
        await using var app = world.App;
        var beheerder = await app.EmployeeAsync("beheer", "Bep Beheer", Roles.Beheerder);

        foreach (var staff in new[] { world.Frontoffice, world.Teamleider, beheerder, world.BelastingenAndFrontoffice })
        {
            foreach (var id in new[] { world.RoutedToBurgerzaken, world.NotRouted, world.Open })
            {
                Assert.NotNull(await app.SendAsAsync(staff, new GetContact.Query(id)));
            }

            var profile = await app.SendAsAsync(staff, new GetPartyProfile.Query(world.PartyId));
            Assert.Equal(3, profile!.Contacts.Count);
        }
    }

    [Fact]
    public async Task The_klantbeeld_the_contact_form_history_and_the_search_leave_out_what_the_team_may_not_read()
    {
        var world = await WorldAsync();
        await using var app = world.App;

        var profile = await app.SendAsAsync(world.Belastingen, new GetPartyProfile.Query(world.PartyId));
        var recent = await app.SendAsAsync(world.Belastingen, new GetRecentContacts.Query(world.PartyId));
        var search = await app.SendAsAsync(world.Belastingen, new SearchContacts.Query { Party = "Vries" });
        var searchByBurgerzaken = await app.SendAsAsync(world.Burgerzaken, new SearchContacts.Query { Party = "Vries" });

        Assert.Equal([world.Open], profile!.Contacts.Select(c => c.Id));
        Assert.Equal([world.Open], recent.Contacts.Select(c => c.Id));
        // The repeat warning would name the hidden contact's topic and time.
        Assert.DoesNotContain(await app.TopicIdAsync("paspoort"), recent.RepeatTopics.Keys);
        Assert.Equal([world.Open], search.Contacts.Select(c => c.Id));
        Assert.Equal(1, search.Total);
        Assert.DoesNotContain("Geheim", string.Join(" ", search.Contacts.SelectMany(c => c.Questions).Select(q => q.Text)), StringComparison.Ordinal);
        Assert.Equal(new[] { world.Open, world.RoutedToBurgerzaken }.Order(), searchByBurgerzaken.Contacts.Select(c => c.Id).Order());
    }

    [Fact]
    public async Task The_task_of_a_confidential_contact_stays_with_its_team_on_the_task_page_and_the_klantbeeld()
    {
        var world = await WorldAsync();
        await using var app = world.App;
        var taskId = (await app.SendAsAsync(world.Frontoffice, new GetQuestionTasks.Query(world.RoutedToBurgerzaken))).ByQuestion.Values.Single().Id;

        var byTeam = await app.SendAsAsync(world.Burgerzaken, new GetTask.Query(taskId));
        var byOtherTeam = await app.SendAsAsync(world.Belastingen, new GetTask.Query(taskId));
        var tasksOnKlantbeeld = await app.SendAsAsync(world.Belastingen, new GetPartyTasks.Query(world.PartyId));
        var questionTasks = await app.SendAsAsync(world.Belastingen, new GetQuestionTasks.Query(world.RoutedToBurgerzaken));

        Assert.Equal("Geheim paspoortverhaal", byTeam!.Summary.Question);
        Assert.Null(byOtherTeam);
        Assert.Empty(tasksOnKlantbeeld.Open);
        Assert.Empty(questionTasks.ByQuestion);
        Assert.Single((await app.SendAsAsync(world.Burgerzaken, new GetPartyTasks.Query(world.PartyId))).Open);
    }

    [Fact]
    public async Task A_back_office_employee_sees_the_confidential_contact_they_logged_themselves()
    {
        var world = await WorldAsync();
        await using var app = world.App;
        var own = await app.SendAsAsync(world.Belastingen, Contact(app, world.PartyId, true, "Eigen geheim", await app.TopicIdAsync("schuldhulpverlening"), Outcome.Beantwoord));

        Assert.NotNull(await app.SendAsAsync(world.Belastingen, new GetContact.Query(own.Value)));
        Assert.Contains(own.Value, (await app.SendAsAsync(world.Belastingen, new SearchContacts.MyContactsToday())).Contacts.Select(c => c.Id));
        Assert.Null(await app.SendAsAsync(world.Burgerzaken, new GetContact.Query(own.Value)));
    }

    [Fact]
    public async Task Routing_a_hidden_confidential_question_onto_the_own_team_is_refused_as_if_it_did_not_exist()
    {
        var world = await WorldAsync();
        await using var app = world.App;
        await using var db = await app.CreateDbContextAsync();
        var hiddenQuestion = db.Questions.Single(q => q.ContactId == world.NotRouted).Id;
        // Make it routable: only the confidentiality rule may stand in the way.
        db.Questions.Single(q => q.Id == hiddenQuestion).NeedsRouting = true;
        await db.SaveChangesAsync();

        var result = await app.SendAsAsync(world.Belastingen, new RouteQuestion.Command(hiddenQuestion,
            new RoutingInput { Action = RequestedAction.InBehandelingNemen, TeamId = await app.TeamIdAsync("Belastingen"), AssigneeId = world.Belastingen.Employee.Id }));

        Assert.False(result.Succeeded);
        Assert.Equal("Deze vraag bestaat niet.", Assert.Single(result.Errors[nameof(RouteQuestion.Command.QuestionId)]));
        Assert.Null(await app.SendAsAsync(world.Belastingen, new GetContact.Query(world.NotRouted)));
        // The KCC can still route it.
        var routed = await app.SendAsAsync(world.Frontoffice, new RouteQuestion.Command(hiddenQuestion,
            new RoutingInput { Action = RequestedAction.InBehandelingNemen, TeamId = await app.TeamIdAsync("Belastingen") }));
        Assert.True(routed.Succeeded, routed.AllErrors);
    }
}
