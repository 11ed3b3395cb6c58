using System.Reflection;
using System.Runtime.CompilerServices;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace Kcc.Workbench.Tests.Infrastructure;

/// <summary>Every request type × every role that is not declared for it: the pipeline refuses before any handler runs.</summary>
public class AuthorizationBehaviorTests
{
    public static TheoryData<string, string> RefusedPairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var type in MediatorRegistration.RequestTypes(typeof(Program).Assembly))
        {
            var allowed = type.GetCustomAttribute<AllowedForAttribute>()?.Roles ?? [];
            foreach (var role in Roles.All.Except(allowed))
            {
                data.Add(type.FullName!, role);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RefusedPairs))]
    public async Task A_role_that_is_not_declared_is_refused(string requestType, string role)
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(role);
        var exception = await Assert.ThrowsAsync<ForbiddenRequestException>(() => SendUntyped(app, requestType));
        Assert.Contains("geen toegang", exception.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> AllowedPairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var type in MediatorRegistration.RequestTypes(typeof(Program).Assembly))
        {
            foreach (var role in type.GetCustomAttribute<AllowedForAttribute>()?.Roles ?? [])
            {
                data.Add(type.FullName!, role);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllowedPairs))]
    public async Task A_declared_role_gets_past_authorization(string requestType, string role)
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(role);
        try
        {
            await SendUntyped(app, requestType);
        }
        catch (Exception exception) when (exception is not ForbiddenRequestException)
        {
            // An empty request may fail further on (validation, handler); only a refusal would be wrong here.
        }
    }

    [Fact]
    public async Task An_anonymous_sender_is_refused_for_every_request()
    {
        await using var app = await TestApp.CreateAsync();
        app.SignOut();
        foreach (var type in MediatorRegistration.RequestTypes(typeof(Program).Assembly))
        {
            await Assert.ThrowsAsync<ForbiddenRequestException>(() => SendUntyped(app, type.FullName!));
        }
    }

    private static async Task SendUntyped(TestApp app, string requestTypeName)
    {
        var type = typeof(Program).Assembly.GetType(requestTypeName)!;
        // Authorization runs first, so an empty instance is enough: no validator or handler may see it.
        var request = RuntimeHelpers.GetUninitializedObject(type);
        var response = type.GetInterfaces().First(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IRequest<>)).GetGenericArguments()[0];
        var send = typeof(IMediator).GetMethod(nameof(IMediator.Send))!.MakeGenericMethod(response);
        await using var scope = app.Services.CreateAsyncScope();
        var task = (Task)send.Invoke(scope.ServiceProvider.GetRequiredService<IMediator>(), [request, CancellationToken.None])!;
        await task;
    }
}
