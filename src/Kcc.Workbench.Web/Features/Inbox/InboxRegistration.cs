namespace Kcc.Workbench.Web.Features.Inbox;

/// <summary>Everything the inbox needs, so Program.cs stays a composition root.</summary>
public static class InboxRegistration
{
    public static IServiceCollection AddInbox(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<InboxOptions>(configuration.GetSection("Kanalen"));
        services.AddSingleton<InboxNorms>();
        services.AddSingleton<InboxIntake>();
        services.AddSingleton<Outbox>();
        services.AddHostedService(sp => sp.GetRequiredService<Outbox>());
        WhatsAppSender.Register(services);
        services.AddSingleton<SmtpSender>();
        services.AddSingleton<IReplySender>(sp => sp.GetRequiredService<SmtpSender>());
        services.AddSingleton<MailIntake>();
        services.AddHostedService(sp => sp.GetRequiredService<MailIntake>());
        return services;
    }

    public static IEndpointRouteBuilder MapInbox(this IEndpointRouteBuilder endpoints) => endpoints.MapWhatsAppWebhook().MapAttachmentDownload();
}
