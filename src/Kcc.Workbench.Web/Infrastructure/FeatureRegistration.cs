using Kcc.Workbench.Web.Features.Audit;
using Kcc.Workbench.Web.Features.Backups;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Dashboard;
using Kcc.Workbench.Web.Features.Inbox;
using Kcc.Workbench.Web.Features.Privacy;
using Kcc.Workbench.Web.Features.Registers;
using Kcc.Workbench.Web.Features.Klantinteracties.Upstream;
using Kcc.Workbench.Web.Features.KnowledgeBase;
using Kcc.Workbench.Web.Features.Routing;
using Kcc.Workbench.Web.Features.Routing.ServiceNorms;

namespace Kcc.Workbench.Web.Infrastructure;

public static class FeatureRegistration
{
    public static IServiceCollection AddKccFeatures(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ContactOptions>(configuration.GetSection("Kcc:Contacten"));
        services.Configure<RetentionOptions>(configuration.GetSection("Kcc:Bewaartermijnen"));
        services.AddSingleton<Anonymiser>();
        services.AddSingleton<Features.Topics.KnownTopics>();
        services.AddSingleton<ISearchEngine, SqliteFts5SearchEngine>();
        services.AddTransient<ArticleStore>();
        services.AddTransient<ArticleImporter>();
        services.Configure<OfficeHoursOptions>(configuration.GetSection("Kcc:Werktijden"));
        services.AddSingleton<OfficeCalendar>(sp => new OfficeCalendar(sp.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<OfficeHoursOptions>>()));
        services.AddSingleton<PromisedDates>();
        services.AddSingleton<IAuditLog, AuditLog>();
        if (Data.DatabaseInfo.ProviderFrom(configuration) == Data.DatabaseProvider.PostgreSql)
        {
            // Several servers: open screens also hear about changes made on the others (LISTEN/NOTIFY).
            services.AddSingleton<InProcessLiveUpdates>();
            services.AddSingleton<Data.PostgreSql.PostgreSqlLiveUpdates>();
            services.AddSingleton<ILiveUpdates>(sp => sp.GetRequiredService<Data.PostgreSql.PostgreSqlLiveUpdates>());
            services.AddHostedService(sp => sp.GetRequiredService<Data.PostgreSql.PostgreSqlLiveUpdates>());
        }
        else
        {
            services.AddSingleton<ILiveUpdates, InProcessLiveUpdates>();
        }

        services.AddScoped<QuestionRouter>();
        services.AddScoped<TaskChanges>();
        services.AddHostedService<SearchWarmUp>();
        services.Configure<DashboardOptions>(configuration.GetSection("Kcc:Dashboard"));
        services.AddSingleton<DashboardFacts>();
        services.AddHostedService<DashboardWarmUp>();
        services.AddBackups(configuration);
        services.AddRegisters(configuration);
        // The outbox is filled inside LogContact's transaction, so every host that logs contacts needs it.
        services.AddKlantinteractiesUpstream(configuration);
        services.AddInbox(configuration);
        return services;
    }
}
