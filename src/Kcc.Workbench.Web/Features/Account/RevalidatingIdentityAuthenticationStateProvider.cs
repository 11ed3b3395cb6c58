using System.Security.Claims;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace Kcc.Workbench.Web.Features.Account;

/// <summary>
/// Ends an open circuit's sign-in as soon as the account changes (signed out in another tab, disabled, roles changed):
/// <see cref="EmployeeSessions"/> signals the change and the circuit rechecks its user at once; the circuit then shows
/// the login page. The periodic recheck catches changes made on another app server.
/// </summary>
internal sealed class RevalidatingIdentityAuthenticationStateProvider : RevalidatingServerAuthenticationStateProvider
{
    private readonly EmployeeSessions sessions;
    private readonly ILogger logger;

    public RevalidatingIdentityAuthenticationStateProvider(ILoggerFactory loggerFactory, EmployeeSessions sessions)
        : base(loggerFactory)
    {
        this.sessions = sessions;
        logger = loggerFactory.CreateLogger<RevalidatingIdentityAuthenticationStateProvider>();
        sessions.Changed += OnAccountChanged;
    }

    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        await sessions.IsValidAsync(authenticationState.User, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        sessions.Changed -= OnAccountChanged;
        base.Dispose(disposing);
    }

    private void OnAccountChanged(string userId) => _ = RecheckAsync(userId);

    private async Task RecheckAsync(string userId)
    {
        try
        {
            var state = await GetAuthenticationStateAsync();
            if (state.User.UserId() == userId && !await sessions.IsValidAsync(state.User))
            {
                SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));
            }
        }
        catch (InvalidOperationException exception)
        {
            // No authentication state yet (the circuit is still starting): the periodic check covers it.
            logger.LogDebug(exception, "Circuit not ready for a session recheck");
        }
    }
}
