using Kcc.Workbench.Tests.Features.Routing;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Dashboard;
using Kcc.Workbench.Web.Features.Routing;
using Kcc.Workbench.Web.Infrastructure;

namespace Kcc.Workbench.Tests.Features.Dashboard;

/// <summary>Hand-built contacts, logged through the real LogContact pipeline, and the dashboard as a team lead sees it.</summary>
internal static class DashboardTestKit
{
    public static readonly DashboardFilter November = new() { From = new DateOnly(2026, 11, 1), To = new DateOnly(2026, 11, 30) };

    public static readonly DashboardFilter October = new() { From = new DateOnly(2026, 10, 1), To = new DateOnly(2026, 10, 31) };

    /// <summary>An Amsterdam wall-clock moment as UTC.</summary>
    public static DateTime Local(int month, int day, int hour, int minute = 0) => DutchFormat.FromLocal(new DateTime(2026, month, day, hour, minute, 0)).UtcDateTime;

    public sealed record Asked(string Topic, Outcome Outcome, RoutingInput? Routing = null, string? UnansweredSearch = null);

    /// <summary>Logs one contact as <paramref name="agent"/> and returns its id.</summary>
    public static async Task<long> LogAsync(this TestApp app, RoutingTestKit.Staff agent, DateTime startedUtc, int? partyId, Channel channel, params Asked[] questions) =>
        await app.LogAsync(agent, startedUtc, TimeSpan.FromMinutes(5), partyId, channel, questions);

    public static async Task<long> LogAsync(this TestApp app, RoutingTestKit.Staff agent, DateTime startedUtc, TimeSpan duration, int? partyId, Channel channel, params Asked[] questions)
    {
        var inputs = new List<LogContact.QuestionInput>();
        foreach (var question in questions)
        {
            inputs.Add(new LogContact.QuestionInput
            {
                TopicId = await app.TopicIdAsync(question.Topic),
                Text = "Vraag over " + question.Topic,
                Outcome = question.Outcome,
                ReferredTo = question.Outcome == Outcome.DoorverwezenNaarAndereOrganisatie ? "Belastingdienst" : null,
                Routing = question.Routing,
                UnansweredSearch = question.UnansweredSearch,
            });
        }

        var result = await app.SendAsAsync(agent, new LogContact.Command
        {
            Channel = channel,
            StartedAt = startedUtc,
            EndedAt = startedUtc + duration,
            PartyId = partyId,
            Questions = inputs,
        });
        Assert.True(result.Succeeded, result.AllErrors);
        return result.Value;
    }

    public static Task<long> AnsweredAsync(this TestApp app, RoutingTestKit.Staff agent, DateTime startedUtc, int? partyId, string topic = "paspoort", Channel channel = Channel.Telefoon) =>
        app.LogAsync(agent, startedUtc, partyId, channel, new Asked(topic, Outcome.Beantwoord));

    public static async Task<GetDashboard.Response> DashboardAsync(this TestApp app, RoutingTestKit.Staff lead, DashboardFilter filter)
    {
        var view = await app.SendAsAsync(lead, new GetDashboard.Query(filter));
        Assert.Null(view.Message);
        return view;
    }

    public static async Task<(RoutingTestKit.Staff Agent, RoutingTestKit.Staff Lead)> StaffAsync(this TestApp app)
    {
        var agent = await app.EmployeeAsync("agent", "Sara de Jong", Roles.Frontoffice, "KCC");
        var lead = await app.EmployeeAsync("lead", "Tessa Lammers", Roles.Teamleider, "KCC");
        return (agent, lead);
    }
}
