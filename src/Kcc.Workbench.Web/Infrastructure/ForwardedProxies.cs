using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Kcc.Workbench.Web.Infrastructure;

/// <summary>
/// Behind the municipality's TLS-terminating reverse proxy the app sees plain HTTP from the proxy's address. The
/// proxy's X-Forwarded-Proto and X-Forwarded-For are believed only from the addresses configured under
/// <c>ForwardedHeaders:KnownProxies</c> and <c>ForwardedHeaders:KnownNetworks</c> (none by default: anyone could
/// send these headers), so HTTPS redirection, HSTS and Secure cookies see the scheme the browser used.
/// </summary>
public static class ForwardedProxies
{
    public static IServiceCollection AddKccForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection("ForwardedHeaders");
        var proxies = (section.GetSection("KnownProxies").Get<string[]>() ?? [])
            .Select(p => IPAddress.TryParse(p.Trim(), out var address) ? address : throw Invalid("KnownProxies", p, "")).ToList();
        var networks = (section.GetSection("KnownNetworks").Get<string[]>() ?? [])
            .Select(n => System.Net.IPNetwork.TryParse(n.Trim(), out var network) ? network : throw Invalid("KnownNetworks", n, " met prefix (zoals 10.0.0.0/8)")).ToList();
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            proxies.ForEach(options.KnownProxies.Add);
            networks.ForEach(options.KnownIPNetworks.Add);
        });
        return services;
    }

    /// <summary>First in the pipeline: everything after it sees the client's scheme and address.</summary>
    public static IApplicationBuilder UseKccForwardedHeaders(this IApplicationBuilder app) => app.UseForwardedHeaders();

    private static InvalidOperationException Invalid(string key, string value, string form) =>
        new($"ForwardedHeaders:{key} bevat '{value}', dat is geen geldig IP-adres{form}. Verbeter de configuratie.");
}
