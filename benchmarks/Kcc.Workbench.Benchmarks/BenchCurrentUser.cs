using System.Security.Claims;
using Kcc.Workbench.Web.Infrastructure;

namespace Kcc.Workbench.Benchmarks;

/// <summary>
/// The signed-in agent of one DI scope. Registered scoped, so every save's fresh scope carries its own agent,
/// as a Blazor circuit does.
/// </summary>
internal sealed class BenchCurrentUser : ICurrentUser
{
    public ClaimsPrincipal Principal { get; set; } = new(new ClaimsIdentity());

    public Task<ClaimsPrincipal> GetPrincipalAsync() => Task.FromResult(Principal);
}

/// <summary>A front-office agent: an Employee row in the database and the principal the agent's scopes carry.</summary>
internal sealed record BenchAgent(string Id, string UserName, string DisplayName)
{
    public ClaimsPrincipal Principal { get; } = new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, Id),
            new Claim(ClaimTypes.Name, UserName),
            new Claim(KccClaimTypes.DisplayName, DisplayName),
            new Claim(ClaimTypes.Role, Roles.Frontoffice),
        ],
        "Benchmark"));
}
