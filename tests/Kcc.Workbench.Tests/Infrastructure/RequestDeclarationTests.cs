using System.Reflection;
using Kcc.Workbench.Web.Infrastructure;

namespace Kcc.Workbench.Tests.Infrastructure;

public class RequestDeclarationTests
{
    private static readonly Type[] RequestTypes = MediatorRegistration.RequestTypes(typeof(Program).Assembly).ToArray();

    [Fact]
    public void The_app_has_requests_to_check() => Assert.True(RequestTypes.Length >= 10, $"Only {RequestTypes.Length} request types found.");

    [Fact]
    public void Every_request_declares_which_roles_may_send_it()
    {
        var undeclared = RequestTypes
            .Where(t => t.GetCustomAttribute<AllowedForAttribute>() is not { Roles.Count: > 0 })
            .Select(t => t.FullName)
            .ToList();
        Assert.True(undeclared.Count == 0, "Requests without [AllowedFor]: " + string.Join(", ", undeclared));
    }

    [Fact]
    public void Declared_roles_are_real_roles()
    {
        var unknown = RequestTypes
            .SelectMany(t => (t.GetCustomAttribute<AllowedForAttribute>()?.Roles ?? []).Select(r => (t.Name, Role: r)))
            .Where(x => !Roles.All.Contains(x.Role) && !Roles.ForIntegrations.Contains(x.Role))
            .ToList();
        Assert.Empty(unknown);
    }
}
