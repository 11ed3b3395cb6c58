using System.Net;
using System.Text;
using Kcc.Workbench.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kcc.Workbench.Tests.Infrastructure;

/// <summary>What operations see: refused requests as one quiet line, and the scheme the browser used behind the proxy.</summary>
public sealed class OperationsTests
{
    private const string Proxy = "10.20.30.40";

    [Theory]
    [InlineData("{ dit is geen json")]
    [InlineData("{\"channel\": null}")]
    [InlineData("{\"channel\": \"Website\", \"startedAt\": \"2026-11-24T10:00:00Z\", \"questions\": [{\"topicId\": 1, \"text\": \"\", \"outcome\": \"Beantwoord\"}]}")]
    public async Task A_refused_api_request_logs_one_warning_without_a_stack_trace(string json)
    {
        var logs = new CapturingLoggerProvider();
        await using var app = new KccWebApplicationFactory();
        await using var factory = app.WithWebHostBuilder(builder => builder.ConfigureLogging(logging => logging.AddProvider(logs)));
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", KccWebApplicationFactory.WebsiteKey);
        _ = factory.Server;
        logs.Lines.Clear();

        var response = await client.PostAsync("/api/v1/klantcontacten", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var lines = logs.Lines.Where(l => !l.Contains("IHttpMaxRequestBodySizeFeature", StringComparison.Ordinal) && !l.StartsWith("Debug", StringComparison.Ordinal) && !l.StartsWith("Trace", StringComparison.Ordinal) && !l.StartsWith("Information", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(lines);
        Assert.StartsWith("Warning", line, StringComparison.Ordinal);
        Assert.Contains("Request refused: POST /api/v1/klantcontacten answered 400", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Proxy, true)]
    [InlineData("10.99.99.99", false)]
    public async Task Behind_a_configured_proxy_the_sign_in_cookie_is_secure_and_not_for_anyone_else(string remoteAddress, bool secure)
    {
        await using var app = new KccWebApplicationFactory(new Dictionary<string, string?> { ["ForwardedHeaders:KnownProxies:0"] = Proxy });
        await using var factory = app.WithWebHostBuilder(builder => builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new RemoteAddress(remoteAddress))));
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "192.0.2.7");

        var page = await client.GetAsync("/inloggen");
        var antiforgery = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/inloggen")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "login",
                ["__RequestVerificationToken"] = LoginForm.AntiforgeryToken(await page.Content.ReadAsStringAsync()),
                ["Input.UserName"] = "fo.demo",
                ["Input.Password"] = Kcc.Workbench.Web.Data.DemoData.DemoSeeder.Password,
            }),
        };
        request.Headers.Add("Cookie", antiforgery.Split(';')[0]);
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("kcc.auth=", StringComparison.Ordinal));
        Assert.Equal(secure, cookie.Contains("; secure", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(secure, antiforgery.Contains("; secure", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>TestServer has no client address; this plays the connection's remote address.</summary>
    private sealed class RemoteAddress(string address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(address);
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
