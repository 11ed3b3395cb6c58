namespace Kcc.Workbench.Web.Features.Backups;

public static class BackupRegistration
{
    public static IServiceCollection AddBackups(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<BackupOptions>(configuration.GetSection("Kcc:Backup"));
        services.AddSingleton<BackupStore>();
        services.AddHostedService<BackupJob>();
        return services;
    }
}
