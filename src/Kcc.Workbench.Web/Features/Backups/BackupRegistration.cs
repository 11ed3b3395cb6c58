namespace Kcc.Workbench.Web.Features.Backups;

public static class BackupRegistration
{
    public static IServiceCollection AddBackups(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<BackupOptions>(configuration.GetSection("Kcc:Backup"));
        services.AddSingleton<BackupStore>();
        // PostgreSQL is backed up with its own tools (pg_dump, see README); the file backup is SQLite's.
        if (Data.DatabaseInfo.ProviderFrom(configuration) == Data.DatabaseProvider.Sqlite)
        {
            services.AddHostedService<BackupJob>();
        }

        return services;
    }
}
