using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.KnowledgeBase;

namespace Kcc.Workbench.Web.Infrastructure;

public static class FeatureRegistration
{
    public static IServiceCollection AddKccFeatures(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ContactOptions>(configuration.GetSection("Kcc:Contacten"));
        services.AddSingleton<ISearchEngine, SqliteFts5SearchEngine>();
        services.AddTransient<ArticleStore>();
        services.AddTransient<ArticleImporter>();
        services.AddHostedService<SearchWarmUp>();
        return services;
    }
}
