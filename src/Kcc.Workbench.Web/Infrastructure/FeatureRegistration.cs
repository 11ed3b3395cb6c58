using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Privacy;

namespace Kcc.Workbench.Web.Infrastructure;

public static class FeatureRegistration
{
    public static IServiceCollection AddKccFeatures(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ContactOptions>(configuration.GetSection("Kcc:Contacten"));
        services.Configure<RetentionOptions>(configuration.GetSection("Kcc:Bewaartermijnen"));
        services.AddSingleton<Anonymiser>();
        return services;
    }
}
