using System.Net;
using Kcc.Workbench.Tests.Support;

namespace Kcc.Workbench.Tests.Infrastructure;

public sealed class HttpHardeningTests(HttpHardeningTests.Fixture fixture) : IClassFixture<HttpHardeningTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public KccWebApplicationFactory Factory { get; } = new();

        public ValueTask InitializeAsync() => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => Factory.DisposeAsync();
    }

    [Theory]
    [InlineData("/inloggen")]
    [InlineData("/health/live")]
    [InlineData("/contacten/nieuw")]
    public async Task Every_response_carries_the_security_headers(string path)
    {
        using var client = fixture.Factory.CreateBrowserLikeClient();

        var response = await client.GetAsync(path);

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task Health_endpoints_answer_without_signing_in_and_ready_checks_the_database()
    {
        using var client = fixture.Factory.CreateBrowserLikeClient();

        var live = await client.GetAsync("/health/live");
        var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Pages_contain_no_inline_script_the_policy_would_block()
    {
        using var client = fixture.Factory.CreateBrowserLikeClient();

        var html = await client.GetStringAsync("/inloggen");

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("type=\"importmap\"", html, StringComparison.Ordinal);
    }
}
