using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Kcc.Workbench.Web.Infrastructure;

/// <summary>
/// Keys for sign-in cookies and antiforgery tokens, kept in the data folder so sessions survive a restart. At rest
/// they are encrypted with the certificate in <c>DataProtection:CertificatePath</c> when one is configured, with DPAPI
/// on Windows, and otherwise stored unencrypted on purpose: in a folder only the app's own account may open (0700,
/// files 0600), which the start-up log states at info level. That replaces the framework's generic "No XML encryptor
/// configured" warning with the decision and what to configure to change it.
/// </summary>
public static class DataProtectionSetup
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static IServiceCollection AddKccDataProtection(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var folder = new DirectoryInfo(Path.Combine(contentRoot, configuration["DataProtection:KeysFolder"] ?? "data/keys"));
        var builder = services.AddDataProtection().SetApplicationName("Kcc.Workbench");
        var inDatabase = Data.DatabaseInfo.ProviderFrom(configuration) == Data.DatabaseProvider.PostgreSql;
        if (inDatabase)
        {
            // Several servers share one key ring: a sign-in cookie made on one is read on the other.
            services.AddSingleton<Microsoft.Extensions.Options.IConfigureOptions<KeyManagementOptions>>(sp =>
                new Microsoft.Extensions.Options.ConfigureOptions<KeyManagementOptions>(options =>
                    options.XmlRepository = new Data.PostgreSql.DatabaseKeyRepository(sp.GetRequiredService<Npgsql.NpgsqlDataSource>())));
        }
        else
        {
            builder.PersistKeysToFileSystem(folder);
        }

        var where = inDatabase ? "de PostgreSQL-database (tabel dataprotectionkeys)" : folder.FullName;
        var certificatePath = configuration["DataProtection:CertificatePath"];
        string atRest;
        if (!string.IsNullOrWhiteSpace(certificatePath))
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(Path.Combine(contentRoot, certificatePath), configuration["DataProtection:CertificatePassword"]);
            builder.ProtectKeysWithCertificate(certificate);
            atRest = $"versleuteld met certificaat {certificate.Subject} ({certificate.Thumbprint})";
        }
        else if (inDatabase)
        {
            services.Configure<KeyManagementOptions>(options => options.XmlEncryptor = new NullXmlEncryptor());
            atRest = "onversleuteld, leesbaar voor wie de database mag lezen; stel DataProtection:CertificatePath in (op elke server hetzelfde certificaat) om ze te versleutelen";
        }
        else if (OperatingSystem.IsWindows())
        {
            builder.ProtectKeysWithDpapi();
            atRest = "versleuteld met DPAPI (Windows)";
        }
        else
        {
            RestrictToOwner(folder);
            // Deliberately unencrypted (see above); the null encryptor marks each key file so.
            services.Configure<KeyManagementOptions>(options => options.XmlEncryptor = new NullXmlEncryptor());
            atRest = "onversleuteld, alleen leesbaar voor het account van de app (map 0700); stel DataProtection:CertificatePath in om ze te versleutelen";
        }

        services.AddHostedService(provider => new Notice(provider.GetRequiredService<ILogger<Notice>>(), where, atRest));
        return services;
    }

    /// <summary>Creates the folder if needed and lets only the app's account into it and its key files.</summary>
    internal static void RestrictToOwner(DirectoryInfo folder)
    {
        folder.Create();
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        File.SetUnixFileMode(folder.FullName, OwnerOnlyFolder);
        foreach (var file in folder.EnumerateFiles())
        {
            File.SetUnixFileMode(file.FullName, OwnerOnlyFile);
        }
    }

    /// <summary>Says once, at start, where the keys are and how they are protected.</summary>
    internal sealed class Notice(ILogger<Notice> logger, string folder, string atRest) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            logger.LogInformation("Sleutels voor aanmelden en formulieren staan in {Folder}: {AtRest}", folder, atRest);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
