using System.Reflection;
using FluentValidation;
using MediatR;

namespace Kcc.Workbench.Web.Infrastructure;

public static class MediatorRegistration
{
    /// <summary>
    /// Registers MediatR 5.1.0 (see ARCHITECTURE.md for the pin), every handler and validator in the assembly,
    /// and the pipeline: authorization first, then validation, then the database-fault translation.
    /// </summary>
    public static IServiceCollection AddKccMediator(this IServiceCollection services, Assembly assembly)
    {
        // FluentValidation's own messages (a rule without WithMessage) in Dutch, whatever the thread's culture.
        ValidatorOptions.Global.LanguageManager.Culture = DutchFormat.Culture;
        services.AddScoped<ServiceFactory>(sp => sp.GetService!);
        services.AddScoped<IMediator, Mediator>();
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(AuthorizationBehavior<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(ValidationBehavior<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(DatabaseFaultBehavior<,>));

        foreach (var type in assembly.GetTypes().Where(t => t is { IsAbstract: false, IsInterface: false, IsGenericTypeDefinition: false }))
        {
            foreach (var contract in type.GetInterfaces().Where(i => i.IsGenericType))
            {
                var definition = contract.GetGenericTypeDefinition();
                if (definition == typeof(IRequestHandler<,>) || definition == typeof(IValidator<>))
                {
                    services.AddTransient(contract, type);
                }
                else if (definition == typeof(INotificationHandler<>))
                {
                    services.AddTransient(contract, type);
                }
            }
        }

        return services;
    }

    /// <summary>All request types of the app; the authorization test walks this list.</summary>
    public static IEnumerable<Type> RequestTypes(Assembly assembly) =>
        assembly.GetTypes().Where(t => !t.IsAbstract && t.GetInterfaces().Any(i => i == typeof(IBaseRequest)));
}
