using System.Collections.Concurrent;
using System.Security.Claims;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kcc.Workbench.Web.Features.Account;

/// <summary>
/// Whether a sign-in (a cookie, an open circuit) still stands, asked on every request and by every circuit. It stands
/// while the employee exists, is not disabled, is not a demo account in Production, has the security stamp it signed
/// in with (signing out renews the stamp) and has exactly the roles it signed in with. The answer comes from the
/// database, cached per employee for a few seconds; every change made through <see cref="KccUserManager"/> drops the
/// cached answer at once and tells the open circuits (<see cref="Changed"/>), so a change takes effect on the next
/// request. The cache only delays changes made by another app server or outside the app, by at most <see cref="CacheFor"/>.
/// </summary>
public sealed class EmployeeSessions(IDbContextFactory<KccDbContext> dbFactory, TimeProvider clock, IOptions<IdentityOptions> identity, IServiceProvider services)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, (Snapshot? Snapshot, DateTimeOffset Until)> cache = new();

    private readonly bool production = services.GetService<IHostEnvironment>()?.IsProduction() == true;

    /// <summary>Raised with the employee's id after a change to their account; circuits recheck their user.</summary>
    public event Action<string>? Changed;

    public async Task<bool> IsValidAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        var claims = identity.Value.ClaimsIdentity;
        if (principal.FindFirstValue(claims.UserIdClaimType) is not { } userId || await GetAsync(userId, cancellationToken) is not { } snapshot)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        var roles = principal.FindAll(claims.RoleClaimType).Select(c => c.Value).Order(StringComparer.Ordinal);
        return !IsDisabled(snapshot.LockoutEnd, now)
            && !(production && DemoAccounts.IsDemoAccount(snapshot.UserName))
            && string.Equals(principal.FindFirstValue(claims.SecurityStampClaimType), snapshot.SecurityStamp, StringComparison.Ordinal)
            && roles.SequenceEqual(snapshot.Roles, StringComparer.Ordinal);
    }

    /// <summary>
    /// Disabled means locked out for longer than the automatic lockout after failed sign-ins can last: a beheerder
    /// locks an account until a far date (Identity's way: <c>SetLockoutEndDateAsync(DateTimeOffset.MaxValue)</c>).
    /// A password guesser's 15-minute lockout stops new sign-ins but does not throw the real employee out.
    /// </summary>
    public bool IsDisabled(DateTimeOffset? lockoutEnd, DateTimeOffset now) =>
        lockoutEnd is { } end && end > now + identity.Value.Lockout.DefaultLockoutTimeSpan;

    public void Invalidate(string userId)
    {
        cache.TryRemove(userId, out _);
        Changed?.Invoke(userId);
    }

    private async Task<Snapshot?> GetAsync(string userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (cache.TryGetValue(userId, out var cached) && cached.Until > now)
        {
            return cached.Snapshot;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.UserName, u.SecurityStamp, LockoutEnd = u.LockoutEnabled ? u.LockoutEnd : null })
            .SingleOrDefaultAsync(cancellationToken);
        Snapshot? snapshot = null;
        if (user is not null)
        {
            var roles = await db.UserRoles.Where(ur => ur.UserId == userId)
                .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!)
                .ToListAsync(cancellationToken);
            snapshot = new Snapshot(user.UserName, user.SecurityStamp, user.LockoutEnd, [.. roles.Order(StringComparer.Ordinal)]);
        }

        cache[userId] = (snapshot, now + CacheFor);
        return snapshot;
    }

    private sealed record Snapshot(string? UserName, string? SecurityStamp, DateTimeOffset? LockoutEnd, string[] Roles);
}

/// <summary>Identity's user manager that tells <see cref="EmployeeSessions"/> about every change to an account.</summary>
public sealed class KccUserManager(
    IUserStore<Employee> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<Employee> passwordHasher,
    IEnumerable<IUserValidator<Employee>> userValidators,
    IEnumerable<IPasswordValidator<Employee>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<Employee>> logger,
    EmployeeSessions sessions)
    : UserManager<Employee>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    /// <summary>Every change (roles, lockout, security stamp, password) ends in this call.</summary>
    protected override async Task<IdentityResult> UpdateUserAsync(Employee user)
    {
        var result = await base.UpdateUserAsync(user);
        sessions.Invalidate(user.Id);
        return result;
    }

    public override async Task<IdentityResult> DeleteAsync(Employee user)
    {
        var result = await base.DeleteAsync(user);
        sessions.Invalidate(user.Id);
        return result;
    }
}
