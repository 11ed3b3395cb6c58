using System.Security.Claims;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Account;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Features.Routing;
using Kcc.Workbench.Web.Features.Teams;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Tests.Features.Routing;

/// <summary>Employees in teams, residents and routed questions, made the way the app makes them.</summary>
internal static class RoutingTestKit
{
    public sealed record Staff(Employee Employee, ClaimsPrincipal Principal);

    public static async Task<int> TeamIdAsync(this TestApp app, string name)
    {
        await using var db = await app.CreateDbContextAsync();
        return await db.Teams.Where(t => t.Name == name).Select(t => t.Id).SingleAsync();
    }

    /// <summary>An employee with a role in a team (or none), not signed in: use <see cref="TestCurrentUser.ActAs"/> or <see cref="SignInAsync"/>.</summary>
    public static async Task<Staff> EmployeeAsync(this TestApp app, string userName, string displayName, string role, params string[] teams)
    {
        await using var db = await app.CreateDbContextAsync();
        var employee = new Employee { UserName = userName, NormalizedUserName = userName.ToUpperInvariant(), DisplayName = displayName, SecurityStamp = Guid.NewGuid().ToString() };
        db.Users.Add(employee);
        foreach (var team in teams)
        {
            db.TeamMemberships.Add(new TeamMembership { EmployeeId = employee.Id, TeamId = await db.Teams.Where(t => t.Name == team).Select(t => t.Id).SingleAsync() });
        }

        await db.SaveChangesAsync();
        return new Staff(employee, TestCurrentUser.For(employee.Id, userName, displayName, role));
    }

    public static void SignIn(this TestApp app, Staff staff) => app.User.Principal = staff.Principal;

    public static async Task<T> SendAsAsync<T>(this TestApp app, Staff staff, MediatR.IRequest<T> request)
    {
        using (TestCurrentUser.ActAs(staff.Principal))
        {
            return await app.SendAsync(request);
        }
    }

    public static async Task<int> ResidentAsync(this TestApp app, string lastName = "Vries", bool withAddress = true)
    {
        await using var db = await app.CreateDbContextAsync();
        var party = new Party
        {
            Kind = PartyKind.Person,
            FirstNames = "Jan",
            Prefix = "de",
            LastName = lastName,
            Street = withAddress ? "Dorpsstraat" : null,
            HouseNumber = withAddress ? 1 : null,
            Postcode = withAddress ? "1234AB" : null,
            City = withAddress ? "Demodorp" : null,
            CreatedAt = app.Clock.GetUtcNow().UtcDateTime,
            Version = 1,
        };
        party.RefreshSearchName();
        party.ContactDetails.Add(new PartyContactDetail { Kind = ContactDetailKind.Phone, Value = "06-12345678", NormalizedValue = "0612345678" });
        db.Parties.Add(party);
        await db.SaveChangesAsync();
        return party.Id;
    }

    public static RoutingInput Callback(int teamId, string phone = "06 1234 5678") =>
        new() { Action = RequestedAction.Terugbellen, TeamId = teamId, ReachBy = ReachBy.Telefoon, ReachAt = phone, Explanation = "Wil weten of de aanvraag binnen is." };

    public static RoutingInput Handle(int teamId) => new() { Action = RequestedAction.InBehandelingNemen, TeamId = teamId };

    /// <summary>Logs a contact with one routed question as the signed-in agent and returns the contact's result.</summary>
    public static async Task<Result<long>> LogRoutedAsync(this TestApp app, RoutingInput routing, string topic = "paspoort", int? partyId = null,
        Outcome outcome = Outcome.DoorgezetNaarBackoffice, Channel channel = Channel.Telefoon, string text = "Is mijn paspoort al klaar?") =>
        await app.SendAsync(new LogContact.Command
        {
            Channel = channel,
            StartedAt = app.Clock.GetUtcNow().UtcDateTime.AddMinutes(-3),
            PartyId = partyId,
            Questions = [new LogContact.QuestionInput { TopicId = await app.TopicIdAsync(topic), Text = text, Outcome = outcome, Routing = routing }],
        });

    /// <summary>Routes a question as <paramref name="agent"/> and returns the new task's id.</summary>
    public static async Task<long> RouteAsync(this TestApp app, Staff agent, RoutingInput routing, string topic = "paspoort", int? partyId = null, Channel channel = Channel.Telefoon)
    {
        Result<long> result;
        using (TestCurrentUser.ActAs(agent.Principal))
        {
            result = await app.LogRoutedAsync(routing, topic, partyId, channel: channel);
        }

        Assert.True(result.Succeeded, result.AllErrors);
        await using var db = await app.CreateDbContextAsync();
        return await db.InternalTasks.Where(t => t.ContactId == result.Value).Select(t => t.Id).SingleAsync();
    }

    public static async Task<InternalTask> TaskAsync(this TestApp app, long id)
    {
        await using var db = await app.CreateDbContextAsync();
        return await db.InternalTasks.AsNoTracking().Include(t => t.Log).SingleAsync(t => t.Id == id);
    }

    public static DateTime Local(int year, int month, int day, int hour, int minute = 0) =>
        DutchFormat.FromLocal(new DateTime(year, month, day, hour, minute, 0)).UtcDateTime;
}
