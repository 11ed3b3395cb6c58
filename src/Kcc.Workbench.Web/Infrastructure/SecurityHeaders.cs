namespace Kcc.Workbench.Web.Infrastructure;

/// <summary>
/// BIO-minded response headers. The CSP fits Blazor Server and MudBlazor: scripts only from this server,
/// inline styles allowed (MudBlazor positions popovers with style attributes), the circuit's WebSocket to 'self',
/// and no framing by other sites.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <param name="app">The pipeline.</param>
    /// <param name="extraFormActions">Origins a form may also post or redirect to (the OIDC provider, when enabled).</param>
    public static IApplicationBuilder UseKccSecurityHeaders(this IApplicationBuilder app, IReadOnlyList<string>? extraFormActions = null)
    {
        var policy = extraFormActions is { Count: > 0 }
            ? ContentSecurityPolicy.Replace("form-action 'self'", "form-action 'self' " + string.Join(' ', extraFormActions), StringComparison.Ordinal)
            : ContentSecurityPolicy;
        return app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = policy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                return Task.CompletedTask;
            });
            await next();
        });
    }
}
