using System.Threading.RateLimiting;

namespace Kcc.Workbench.Web.Features.Account;

/// <summary>
/// Password guessing is slowed per client address on top of the per-account lockout: an attacker who tries many
/// accounts from one address hits this limit, not just each account's 5 attempts.
/// </summary>
public static class SignInRateLimit
{
    public static IServiceCollection AddSignInRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var perMinute = Math.Max(1, configuration.GetValue("Kcc:Inloggen:PogingenPerMinuut", 10));
        services.AddRateLimiter(limiter => limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            HttpMethods.IsPost(context.Request.Method) && context.Request.Path.StartsWithSegments(AccountSetup.LoginPath)
                ? RateLimitPartition.GetFixedWindowLimiter(
                    "inloggen:" + (context.Connection.RemoteIpAddress?.ToString() ?? "onbekend"),
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter("vrij")));
        return services;
    }
}
