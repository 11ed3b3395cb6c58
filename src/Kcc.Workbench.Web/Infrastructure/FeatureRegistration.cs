using Kcc.Workbench.Web.Features.Contacts;

namespace Kcc.Workbench.Web.Infrastructure;

public static class FeatureRegistration
{
    public static IServiceCollection AddKccFeatures(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ContactOptions>(configuration.GetSection("Kcc:Contacten"));
        return services;
    }
}
