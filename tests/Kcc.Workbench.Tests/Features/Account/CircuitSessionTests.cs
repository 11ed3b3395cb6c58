using System.Security.Claims;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Account;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Kcc.Workbench.Tests.Features.Account;

/// <summary>
/// An open Blazor circuit is a session too: when its employee signs out elsewhere, is disabled or gets other roles,
/// the circuit's user becomes anonymous at once (the router then sends the page to the login page), without waiting
/// for the periodic recheck.
/// </summary>
public class CircuitSessionTests
{
    [Theory]
    [InlineData("signed out")]
    [InlineData("disabled")]
    [InlineData("role changed")]
    public async Task A_change_to_the_account_signs_its_open_circuit_out_at_once(string change)
    {
        await using var app = await TestApp.CreateAsync();
        var (circuit, employee) = await OpenCircuitAsync(app, "circuit.een");
        var (otherCircuit, _) = await OpenCircuitAsync(app, "circuit.twee");
        var signedOut = new TaskCompletionSource();
        circuit.AuthenticationStateChanged += async state =>
        {
            if ((await state).User.Identity?.IsAuthenticated != true)
            {
                signedOut.TrySetResult();
            }
        };

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<Employee>>();
            var account = (await users.FindByIdAsync(employee.Id))!;
            var result = change switch
            {
                "signed out" => await users.UpdateSecurityStampAsync(account),
                "disabled" => await users.SetLockoutEndDateAsync(account, DateTimeOffset.MaxValue),
                _ => await users.AddToRoleAsync(account, Roles.Beheerder),
            };
            Assert.True(result.Succeeded);
        }

        await signedOut.Task.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.False((await circuit.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated);
        Assert.True((await otherCircuit.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated);
    }

    /// <summary>A circuit's authentication state provider with an employee signed in, as the server sets it up.</summary>
    private static async Task<(ServerAuthenticationStateProvider Circuit, Employee Employee)> OpenCircuitAsync(TestApp app, string userName)
    {
        // The circuit's scope lives as long as the test's app, like a circuit's scope lives as long as the circuit.
        var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Employee>>();
        var employee = new Employee { UserName = userName, DisplayName = userName };
        Assert.True((await users.CreateAsync(employee, "Circuit!2026-wachtwoord")).Succeeded);
        Assert.True((await users.AddToRoleAsync(employee, Roles.Frontoffice)).Succeeded);
        ClaimsPrincipal principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<Employee>>().CreateAsync(employee);
        var circuit = (ServerAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        circuit.SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        Assert.True(await scope.ServiceProvider.GetRequiredService<EmployeeSessions>().IsValidAsync(principal));
        return (circuit, employee);
    }
}
