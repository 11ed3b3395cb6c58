using Kcc.Workbench.EndToEnd.Support;
using static Kcc.Workbench.EndToEnd.Support.Ui;

namespace Kcc.Workbench.EndToEnd;

/// <summary>The accessibility check itself: a scan that finds nothing must be able to find something.</summary>
public sealed class AxeHelperTests(KccApp app) : BrowserTest(app)
{
    [Fact]
    public async Task AxeAsync_fails_on_a_serious_violation_and_names_it()
    {
        await Page.SetContentAsync("""
            <!DOCTYPE html><html lang="nl"><head><title>Test</title></head>
            <body><main><h1>Test</h1><button type="button"></button></main></body></html>
            """);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => AxeAsync(Page));

        Assert.Contains("button-name (critical)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("<button type=\"button\"></button>", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AxeAsync_passes_a_clean_page()
    {
        await Page.SetContentAsync("""
            <!DOCTYPE html><html lang="nl"><head><title>Test</title></head>
            <body><main><h1>Test</h1><button type="button">Opslaan</button></main></body></html>
            """);

        await AxeAsync(Page);
    }
}
