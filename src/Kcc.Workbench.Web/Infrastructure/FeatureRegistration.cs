using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Privacy;
using Kcc.Workbench.Web.Features.KnowledgeBase;

namespace Kcc.Workbench.Web.Infrastructure;

public static class FeatureRegistration
{
    public static IServiceCollection AddKccFeatures(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ContactOptions>(configuration.GetSection("Kcc:Contacten"));
        services.Configure<RetentionOptions>(configuration.GetSection("Kcc:Bewaartermijnen"));
        services.AddSingleton<Anonymiser>();
        services.AddSingleton<ISearchEngine, SqliteFts5SearchEngine>();
        services.AddTransient<ArticleStore>();
        services.AddTransient<ArticleImporter>();
        return services;
    }
}
