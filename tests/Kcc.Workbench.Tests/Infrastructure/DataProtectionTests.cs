using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kcc.Workbench.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kcc.Workbench.Tests.Infrastructure;

/// <summary>How the keys behind sign-in cookies are kept at rest: said plainly at start, never a generic warning.</summary>
[Trait("Provider", TestDatabase.SqliteOnly)]
public sealed class DataProtectionTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("kcc-keys-");

    public void Dispose() => folder.Delete(recursive: true);

    private async Task<(CapturingLoggerProvider Logs, string KeyXml)> StartAndSignInPageAsync(Dictionary<string, string?> settings)
    {
        var logs = new CapturingLoggerProvider();
        settings["DataProtection:KeysFolder"] = Path.Combine(folder.FullName, "keys");
        await using var factory = new KccWebApplicationFactory(settings);
        using var client = factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddLogging(l => l.AddProvider(logs)))).CreateClient();
        // The sign-in form carries an antiforgery token: the first key is made for it.
        Assert.True((await client.GetAsync(new Uri("/inloggen", UriKind.Relative), TestContext.Current.CancellationToken)).IsSuccessStatusCode);
        var keyFile = Directory.GetFiles(Path.Combine(folder.FullName, "keys"), "key-*.xml").Single();
        return (logs, await File.ReadAllTextAsync(keyFile, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Without_a_certificate_the_keys_stay_in_an_owner_only_folder_and_the_log_says_so_without_a_warning()
    {
        var (logs, keyXml) = await StartAndSignInPageAsync([]);

        Assert.DoesNotContain(logs.Lines, l => l.Contains("No XML encryptor", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.StartsWith("Warning Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.StartsWith("Information", StringComparison.Ordinal) && l.Contains("onversleuteld, alleen leesbaar voor het account van de app", StringComparison.Ordinal));
        Assert.Contains("unencryptedKey", keyXml, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(folder.FullName, "keys")));
        }
    }

    [Fact]
    public async Task With_a_certificate_the_keys_are_encrypted_at_rest()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=KCC Werkplek sleutels", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(folder.FullName, "sleutels.pfx");
        await File.WriteAllBytesAsync(path, certificate.Export(X509ContentType.Pfx, "geheim"), TestContext.Current.CancellationToken);

        var (logs, keyXml) = await StartAndSignInPageAsync(new() { ["DataProtection:CertificatePath"] = path, ["DataProtection:CertificatePassword"] = "geheim" });

        Assert.Contains("EncryptedData", keyXml, StringComparison.Ordinal);
        Assert.DoesNotContain("unencryptedKey", keyXml, StringComparison.Ordinal);
        Assert.Contains(logs.Lines, l => l.Contains("versleuteld met certificaat CN=KCC Werkplek sleutels", StringComparison.Ordinal));
    }
}
