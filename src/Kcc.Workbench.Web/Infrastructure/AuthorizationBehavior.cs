using System.Collections.Concurrent;
using System.Reflection;
using MediatR;

namespace Kcc.Workbench.Web.Infrastructure;

/// <summary>Refuses every request whose sender lacks one of the roles the request declares with [AllowedFor].</summary>
internal sealed class AuthorizationBehavior<TRequest, TResponse>(ICurrentUser currentUser) : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly ConcurrentDictionary<Type, AllowedForAttribute?> Declarations = new();

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var declaration = Declarations.GetOrAdd(typeof(TRequest), t => t.GetCustomAttribute<AllowedForAttribute>());
        var name = typeof(TRequest).FullName ?? typeof(TRequest).Name;
        if (declaration is null)
        {
            // A request without a declaration is a programming error; refuse rather than allow.
            throw new ForbiddenRequestException(name);
        }

        var user = await currentUser.GetPrincipalAsync();
        if (user.Identity?.IsAuthenticated != true || !declaration.Roles.Any(user.IsInRole))
        {
            throw new ForbiddenRequestException(name);
        }

        return await next();
    }
}
