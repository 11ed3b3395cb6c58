using Kcc.Workbench.Tests.Features.Routing;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Dashboard;
using Kcc.Workbench.Web.Features.Routing;
using Kcc.Workbench.Web.Infrastructure;
using static Kcc.Workbench.Tests.Features.Dashboard.DashboardTestKit;

namespace Kcc.Workbench.Tests.Features.Dashboard;

/// <summary>Every rule of "in één keer goed" (DOMAIN.md) on hand-built contacts, logged through the real pipeline on SQLite.</summary>
public class FirstTimeRightTests
{
    [Fact]
    public async Task Beantwoord_and_a_referral_count_as_right_every_other_outcome_and_every_routed_question_does_not()
    {
        await using var app = await TestApp.CreateAsync();
        var (agent, lead) = await app.StaffAsync();
        var burgerzaken = await app.TeamIdAsync("Burgerzaken");
        var outcomes = new (Outcome Outcome, Kcc.Workbench.Web.Features.Routing.RoutingInput? Routing)[]
        {
            (Outcome.Beantwoord, null),
            (Outcome.DoorverwezenNaarAndereOrganisatie, null),
            (Outcome.Doorverbonden, null),
            (Outcome.NietAfgehandeld, null),
            (Outcome.DoorgezetNaarBackoffice, RoutingTestKit.Handle(burgerzaken)),
            (Outcome.Terugbelverzoek, RoutingTestKit.Callback(burgerzaken)),
        };
        for (var i = 0; i < outcomes.Length; i++)
        {
            var resident = await app.ResidentAsync("Uitkomst" + i);
            await app.LogAsync(agent, Local(11, 2 + i, 10), resident, Channel.Telefoon, new Asked("paspoort", outcomes[i].Outcome, outcomes[i].Routing));
        }

        var ftr = (await app.DashboardAsync(lead, November)).Ftr.Total;

        Assert.Equal(6, ftr.Questions);
        Assert.Equal(2, ftr.RegisteredRight);
        Assert.Equal(6, ftr.Verifiable);
        Assert.Equal(2, ftr.VerifiedRight);
        Assert.Equal(2, ftr.Routed);
        Assert.Equal(100.0 * 2 / 6, ftr.VerifiedPercent!.Value, 6);
        var routed = await app.SendAsAsync(lead, new GetDashboardQuestions.Query(November, QuestionSet.Doorgezet));
        Assert.Equal([Outcome.Terugbelverzoek, Outcome.DoorgezetNaarBackoffice], routed.Questions.Select(q => q.Outcome));
    }

    [Fact]
    public async Task A_repeat_on_another_channel_within_the_window_turns_the_earlier_yes_into_no_and_is_listed_with_both_contacts()
    {
        await using var app = await TestApp.CreateAsync();
        var (agent, lead) = await app.StaffAsync();
        var resident = await app.ResidentAsync("Herhaal");
        var other = await app.ResidentAsync("Ander");
        var first = await app.AnsweredAsync(agent, Local(11, 2, 10), resident, "paspoort", Channel.Telefoon);
        // Not repeats: another topic by the same resident, and the same topic by another resident.
        await app.AnsweredAsync(agent, Local(11, 3, 10), resident, "rijbewijs", Channel.Balie);
        await app.AnsweredAsync(agent, Local(11, 3, 11), other, "paspoort", Channel.Telefoon);
        var repeat = await app.AnsweredAsync(agent, Local(11, 5, 14), resident, "paspoort", Channel.Email);

        var view = await app.DashboardAsync(lead, November);

        Assert.Equal(4, view.Ftr.Total.RegisteredRight);
        Assert.Equal(3, view.Ftr.Total.VerifiedRight);
        Assert.Equal(1, view.Ftr.Total.Repeated);
        var link = Assert.Single(view.Ftr.Repeats);
        Assert.Equal((first, repeat, Channel.Telefoon, Channel.Email), (link.ContactId, link.RepeatContactId, link.Channel, link.RepeatChannel));
        var listed = await app.SendAsAsync(lead, new GetDashboardQuestions.Query(November, QuestionSet.Herhaald));
        var question = Assert.Single(listed.Questions);
        Assert.Equal((first, repeat, Verdict.Herhaald), (question.ContactId, question.RepeatContactId, question.Verdict));
    }

    [Fact]
    public async Task A_repeat_exactly_at_the_end_of_the_window_counts_and_one_minute_later_does_not()
    {
        await using var app = await TestApp.CreateAsync();
        var (agent, lead) = await app.StaffAsync();
        var atEdge = await app.ResidentAsync("Rand");
        var justOutside = await app.ResidentAsync("Buiten");
        await app.AnsweredAsync(agent, Local(11, 2, 10), atEdge);
        await app.AnsweredAsync(agent, Local(11, 9, 10), atEdge);
        await app.AnsweredAsync(agent, Local(11, 2, 12), justOutside);
        await app.AnsweredAsync(agent, Local(11, 9, 12, 1), justOutside);

        var view = await app.DashboardAsync(lead, November);

        Assert.Equal(7, view.RepeatWindowDays);
        Assert.Equal(1, view.Ftr.Total.Repeated);
        Assert.Equal(3, view.Ftr.Total.VerifiedRight);
        Assert.Equal(Local(11, 2, 10), Assert.Single(view.Ftr.Repeats).StartedAt);
    }

    [Fact]
    public async Task The_repeat_window_comes_from_the_settings()
    {
        await using var app = await TestApp.CreateAsync(settings: new Dictionary<string, string?> { ["Kcc:Contacten:RepeatWindowDays"] = "3" });
        var (agent, lead) = await app.StaffAsync();
        var resident = await app.ResidentAsync();
        await app.AnsweredAsync(agent, Local(11, 2, 10), resident);
        await app.AnsweredAsync(agent, Local(11, 6, 10), resident);

        var view = await app.DashboardAsync(lead, November);

        Assert.Equal(3, view.RepeatWindowDays);
        Assert.Equal(0, view.Ftr.Total.Repeated);
    }

    [Fact]
    public async Task Anonymous_questions_are_reported_apart_never_silently_as_right()
    {
        await using var app = await TestApp.CreateAsync();
        var (agent, lead) = await app.StaffAsync();
        await app.AnsweredAsync(agent, Local(11, 2, 10), partyId: null);
        await app.AnsweredAsync(agent, Local(11, 3, 10), partyId: null);
        await app.LogAsync(agent, Local(11, 4, 10), null, Channel.Balie, new Asked("paspoort", Outcome.NietAfgehandeld));

        var ftr = (await app.DashboardAsync(lead, November)).Ftr.Total;

        Assert.Equal((3, 3, 2, 0, 0), (ftr.Questions, ftr.Unverifiable, ftr.UnverifiableRegisteredRight, ftr.Verifiable, ftr.VerifiedRight));
        Assert.Null(ftr.VerifiedPercent);
        Assert.Equal(100.0 * 2 / 3, ftr.RegisteredPercent!.Value, 6);
        var anonymous = await app.SendAsAsync(lead, new GetDashboardQuestions.Query(November, QuestionSet.NietTeVerifieren));
        Assert.Equal(3, anonymous.Total);
        Assert.All(anonymous.Questions, q => Assert.Equal(Verdict.NietTeVerifieren, q.Verdict));
    }

    [Fact]
    public async Task A_repeat_in_the_next_period_counts_against_the_period_of_the_first_contact()
    {
        await using var app = await TestApp.CreateAsync();
        var (agent, lead) = await app.StaffAsync();
        var resident = await app.ResidentAsync();
        await app.AnsweredAsync(agent, Local(10, 30, 15), resident);
        await app.AnsweredAsync(agent, Local(11, 2, 9), resident);
        app.Clock.SetUtcNow(Local(12, 2, 10));

        var october = await app.DashboardAsync(lead, October);
        var november = await app.DashboardAsync(lead, November);

        Assert.Equal((1, 1, 0), (october.Ftr.Total.Questions, october.Ftr.Total.Repeated, october.Ftr.Total.VerifiedRight));
        Assert.Equal((1, 0, 1), (november.Ftr.Total.Questions, november.Ftr.Total.Repeated, november.Ftr.Total.VerifiedRight));
        Assert.Single(october.Ftr.Repeats);
        // A finished November compares with all of October.
        Assert.Equal(October, november.Previous);
        Assert.Equal(october.Ftr.Total, november.PreviousFtr);
    }

    [Fact]
    public async Task Two_questions_on_one_topic_in_one_contact_are_no_repeat_of_each_other()
    {
        await using var app = await TestApp.CreateAsync();
        var (agent, lead) = await app.StaffAsync();
        var resident = await app.ResidentAsync();
        await app.LogAsync(agent, Local(11, 2, 10), resident, Channel.Balie, new Asked("paspoort", Outcome.Beantwoord), new Asked("paspoort", Outcome.Beantwoord));

        var view = await app.DashboardAsync(lead, November);

        Assert.Equal((2, 2, 0), (view.Ftr.Total.Questions, view.Ftr.Total.VerifiedRight, view.Ftr.Total.Repeated));
        Assert.Equal((1, 2), (view.Channels.Contacts, view.Channels.Questions));
    }

    [Fact]
    public async Task New_contacts_change_the_figures_at_the_next_look_also_a_contact_logged_afterwards_for_an_earlier_moment()
    {
        await using var app = await TestApp.CreateAsync();
        var (agent, lead) = await app.StaffAsync();
        var resident = await app.ResidentAsync();
        await app.AnsweredAsync(agent, Local(11, 10, 10), resident);
        var before = await app.DashboardAsync(lead, November);
        Assert.Equal((1, 1), (before.Ftr.Total.Questions, before.Ftr.Total.VerifiedRight));

        // A desk contact of four days earlier, written up later: the resident came back about it on the 10th.
        var earlier = await app.AnsweredAsync(agent, Local(11, 6, 10), resident, channel: Channel.Balie);
        var after = await app.DashboardAsync(lead, November);

        Assert.Equal((2, 1, 1), (after.Ftr.Total.Questions, after.Ftr.Total.VerifiedRight, after.Ftr.Total.Repeated));
        Assert.Equal(earlier, Assert.Single(after.Ftr.Repeats).ContactId);
    }

    [Fact]
    public async Task A_routed_question_belongs_to_its_tasks_team_and_the_others_to_the_team_of_their_topic()
    {
        await using var app = await TestApp.CreateAsync();
        var (agent, lead) = await app.StaffAsync();
        var belastingen = await app.TeamIdAsync("Belastingen");
        var resident = await app.ResidentAsync();
        // paspoort belongs to Burgerzaken; this one is routed to Belastingen anyway.
        await app.LogAsync(agent, Local(11, 2, 10), resident, Channel.Telefoon,
            new Asked("paspoort", Outcome.DoorgezetNaarBackoffice, RoutingTestKit.Handle(belastingen)),
            new Asked("paspoort", Outcome.Beantwoord));

        var view = await app.DashboardAsync(lead, November);

        Assert.Equal(["Belastingen", "Burgerzaken"], view.Ftr.ByTeam.Select(t => t.Label).Order());
        Assert.Equal(1, view.Ftr.ByTeam.Single(t => t.Label == "Belastingen").Figures.Routed);
        var onlyBelastingen = await app.DashboardAsync(lead, November with { TeamId = belastingen });
        Assert.Equal((1, 0), (onlyBelastingen.Ftr.Total.Questions, onlyBelastingen.Ftr.Total.RegisteredRight));
    }

    [Fact]
    public async Task Figures_split_by_channel_agent_topic_and_day_add_up_and_filters_narrow_them()
    {
        await using var app = await TestApp.CreateAsync();
        var (agent, lead) = await app.StaffAsync();
        var second = await app.EmployeeAsync("agent2", "Mark Willems", Kcc.Workbench.Web.Infrastructure.Roles.Frontoffice, "KCC");
        var resident = await app.ResidentAsync();
        await app.AnsweredAsync(agent, Local(11, 2, 10), resident, "paspoort", Channel.Telefoon);
        await app.AnsweredAsync(agent, Local(11, 2, 11), null, "rijbewijs", Channel.Balie);
        await app.LogAsync(second, Local(11, 3, 10), resident, Channel.Telefoon, new Asked("rijbewijs", Outcome.NietAfgehandeld));

        var view = await app.DashboardAsync(lead, November);

        Assert.Equal(Granularity.Dag, view.Ftr.Granularity);
        // November is still running on the test clock (24 November): its axis ends today.
        Assert.Equal(24, view.Ftr.OverTime.Count);
        Assert.Equal("24 nov", view.Ftr.OverTime[^1].Label);
        Assert.Equal([2, 1], view.Ftr.OverTime.Skip(1).Take(2).Select(p => p.Figures.Questions));
        Assert.Equal(3, view.Ftr.OverTime.Sum(p => p.Figures.Questions));
        Assert.Equal([("Telefoon", 2), ("Balie", 1)], view.Ftr.ByChannel.Select(c => (c.Label, c.Figures.Questions)));
        Assert.Equal([("Sara de Jong", 2), ("Mark Willems", 1)], view.Ftr.ByAgent.Select(a => (a.Label, a.Figures.Questions)));
        Assert.Equal(["paspoort", "rijbewijs"], view.Ftr.ByTopic.Select(t => t.Label).Order());

        var telefoon = await app.DashboardAsync(lead, November with { Channel = Channel.Telefoon });
        Assert.Equal((2, 1), (telefoon.Ftr.Total.Questions, telefoon.Ftr.Total.VerifiedRight));
        var mark = await app.DashboardAsync(lead, November with { AgentId = second.Employee.Id });
        Assert.Equal((1, 0), (mark.Ftr.Total.Questions, mark.Ftr.Total.RegisteredRight));
        var byWeek = await app.DashboardAsync(lead, November with { Granularity = Granularity.Week });
        // Weeks cut short by the period or by today say so, so a lower count does not read as a drop.
        Assert.Equal("wk 44 (1 nov)", byWeek.Ftr.OverTime[0].Label);
        Assert.Equal("wk 45", byWeek.Ftr.OverTime[1].Label);
        Assert.Equal("wk 48 (23–24 nov)", byWeek.Ftr.OverTime[^1].Label);
        var byMonth = await app.DashboardAsync(lead, new DashboardFilter { From = new DateOnly(2026, 9, 15), To = new DateOnly(2026, 12, 31), Granularity = Granularity.Maand });
        Assert.Equal(["15–30 sep 2026", "okt 2026", "1–24 nov 2026"], byMonth.Ftr.OverTime.Select(p => p.Label));
        Assert.Equal(3, byWeek.Ftr.OverTime.Sum(p => p.Figures.Questions));
    }

    [Fact]
    public async Task Questions_younger_than_the_window_are_marked_as_still_open_to_a_repeat()
    {
        await using var app = await TestApp.CreateAsync();
        var (agent, lead) = await app.StaffAsync();
        var resident = await app.ResidentAsync();
        await app.AnsweredAsync(agent, Local(11, 10, 10), resident, "paspoort");
        await app.AnsweredAsync(agent, Local(11, 20, 10), resident, "rijbewijs");

        var view = await app.DashboardAsync(lead, November);

        // The clock stands at 24 November: only the question of the 20th can still get a repeat.
        Assert.Equal(1, view.Ftr.Total.StillInWindow);
    }

    [Fact]
    public async Task Outgoing_contacts_are_no_question_asked_and_no_repeat_and_are_counted_apart_per_channel()
    {
        await using var app = await TestApp.CreateAsync();
        var (agent, lead) = await app.StaffAsync();
        var resident = await app.ResidentAsync();
        await app.AnsweredAsync(agent, Local(11, 10, 10), resident);
        // The KCC phones the resident back two days later about the same topic.
        var callback = await app.SendAsAsync(agent, new LogContact.Command
        {
            Channel = Channel.Telefoon,
            Direction = Direction.Uitgaand,
            StartedAt = Local(11, 12, 10),
            EndedAt = Local(11, 12, 11),
            PartyId = resident,
            Questions = [new LogContact.QuestionInput { TopicId = await app.TopicIdAsync("paspoort"), Text = "Teruggebeld", Outcome = Outcome.Beantwoord }],
        });
        Assert.True(callback.Succeeded, callback.AllErrors);

        var view = await app.DashboardAsync(lead, November);

        Assert.Equal((1, 1, 0), (view.Ftr.Total.Questions, view.Ftr.Total.VerifiedRight, view.Ftr.Total.Repeated));
        var telefoon = Assert.Single(view.Channels.Channels);
        Assert.Equal((1, 1), (telefoon.Contacts, telefoon.OutgoingContacts));
        Assert.Equal(1, view.Channels.Heatmap.Sum(day => day.Sum()));
    }

    [Fact]
    public async Task The_window_is_counted_in_calendar_days_across_the_change_to_summer_time()
    {
        await using var app = await TestApp.CreateAsync();
        var (agent, lead) = await app.StaffAsync();
        app.Clock.SetUtcNow(DutchFormat.FromLocal(new DateTime(2027, 4, 20, 12, 0, 0)));
        static DateTime Amsterdam(int month, int day, int hour, int minute) => DutchFormat.FromLocal(new DateTime(2027, month, day, hour, minute, 0)).UtcDateTime;
        var justInside = await app.ResidentAsync("Binnen");
        var justOutside = await app.ResidentAsync("Buiten");
        // Summer time starts on Sunday 28 March 2027: a week on the clock is one hour less in UTC.
        await app.AnsweredAsync(agent, Amsterdam(3, 26, 10, 0), justInside);
        await app.AnsweredAsync(agent, Amsterdam(4, 2, 9, 45), justInside);
        await app.AnsweredAsync(agent, Amsterdam(3, 26, 11, 0), justOutside);
        await app.AnsweredAsync(agent, Amsterdam(4, 2, 11, 30), justOutside);

        var view = await app.DashboardAsync(lead, new DashboardFilter { From = new DateOnly(2027, 3, 1), To = new DateOnly(2027, 3, 31) });

        Assert.Equal(Amsterdam(3, 26, 10, 0), Assert.Single(view.Ftr.Repeats).StartedAt);
        Assert.Equal(1, view.Ftr.Total.VerifiedRight);
    }

    [Fact]
    public async Task A_contact_logged_later_between_two_others_links_both_ways_and_both_questions_of_one_contact_can_be_undone()
    {
        await using var app = await TestApp.CreateAsync();
        var (agent, lead) = await app.StaffAsync();
        var resident = await app.ResidentAsync();
        var other = await app.ResidentAsync("Twee");
        await app.AnsweredAsync(agent, Local(11, 2, 10), resident);
        await app.AnsweredAsync(agent, Local(11, 12, 10), resident);
        Assert.Equal(0, (await app.DashboardAsync(lead, November)).Ftr.Total.Repeated);
        // Written up afterwards: the 6th lies within a week of both.
        await app.AnsweredAsync(agent, Local(11, 6, 10), resident);
        await app.LogAsync(agent, Local(11, 16, 10), other, Channel.Balie, new Asked("rijbewijs", Outcome.Beantwoord), new Asked("rijbewijs", Outcome.Beantwoord));
        await app.AnsweredAsync(agent, Local(11, 18, 10), other, "rijbewijs");

        var view = await app.DashboardAsync(lead, November);

        Assert.Equal([Local(11, 16, 10), Local(11, 16, 10), Local(11, 6, 10), Local(11, 2, 10)], view.Ftr.Repeats.Select(r => r.StartedAt));
        Assert.Equal((6, 4, 2), (view.Ftr.Total.Questions, view.Ftr.Total.Repeated, view.Ftr.Total.VerifiedRight));
    }

    [Fact]
    public async Task A_task_handed_over_after_a_look_moves_its_question_to_the_new_team()
    {
        await using var app = await TestApp.CreateAsync();
        var (agent, lead) = await app.StaffAsync();
        var burgerzaken = await app.TeamIdAsync("Burgerzaken");
        var belastingen = await app.TeamIdAsync("Belastingen");
        var taskId = await app.RouteAsync(agent, RoutingTestKit.Handle(burgerzaken));
        Assert.Equal("Burgerzaken", Assert.Single((await app.DashboardAsync(lead, November)).Ftr.ByTeam).Label);

        var task = await app.TaskAsync(taskId);
        var handedOver = await app.SendAsAsync(lead, new HandOverTask.Command(taskId, task.Version, belastingen, null, "Hoort bij Belastingen."));
        Assert.True(handedOver.Succeeded, handedOver.AllErrors);

        var view = await app.DashboardAsync(lead, November);
        Assert.Equal("Belastingen", Assert.Single(view.Ftr.ByTeam).Label);
    }
}
