using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(Kcc.Workbench.EndToEnd.Support.KccApp))]

namespace Kcc.Workbench.EndToEnd.Support;

/// <summary>
/// One real Kcc.Workbench process (its own build output, Development, a fresh SQLite file with demo data)
/// and one headless Debian Chromium for the whole test run. Tests open a new browser context each.
/// </summary>
public sealed class KccApp : IAsyncLifetime
{
    private AppProcess? app;
    private DirectoryInfo? dataFolder;
    private IPlaywright? playwright;
    private IBrowser? browser;

    /// <summary>The app's address, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public string BaseUrl => app?.BaseUrl ?? throw new InvalidOperationException("The app has not been started.");

    public IBrowser Browser => browser ?? throw new InvalidOperationException("The browser has not been started.");

    /// <summary>A fresh browser context as an agent's browser is: Dutch, Amsterdam time, 1280×800, on <paramref name="baseUrl"/>.</summary>
    public async Task<IBrowserContext> NewContextAsync(string baseUrl)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = baseUrl,
            Locale = "nl-NL",
            TimezoneId = "Europe/Amsterdam",
            ViewportSize = new() { Width = 1280, Height = 800 },
        });
        context.SetDefaultTimeout(20_000);
        return context;
    }

    /// <summary>Everything the app wrote to stdout/stderr so far.</summary>
    public string Output => app?.Output ?? "";

    /// <summary>
    /// Fails the test at once, with the app's output, when the app is gone: a process stopped from outside
    /// (a broad <c>pkill</c> elsewhere on the machine) would otherwise show up as a connection refused.
    /// </summary>
    public void ThrowIfStopped()
    {
        if (app is { HasExited: true })
        {
            throw new InvalidOperationException(
                $"Kcc.Workbench is no longer running (exit code {app.ExitCode}); it was stopped during the run.\n--- app output ---\n{Output}");
        }
    }

    public async ValueTask InitializeAsync()
    {
        // The app (migrations + seeding) and the browser start side by side.
        // A 2-core CI machine that also builds is slow: give assertions room before calling a failure.
        Assertions.SetDefaultExpectTimeout(15_000);
        dataFolder = Directory.CreateTempSubdirectory("kcc-e2e-");
        var starting = AppProcess.StartAsync(dataFolder.FullName);
        var chromium = StartBrowserAsync();
        await Task.WhenAll(starting, chromium);
        app = await starting;
    }

    public async ValueTask DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.CloseAsync();
        }

        playwright?.Dispose();
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        try
        {
            dataFolder?.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    internal static string RepositoryRoot() => AppProcess.RepositoryRoot();

    private async Task StartBrowserAsync()
    {
        const string chromiumPath = "/usr/bin/chromium";
        if (!File.Exists(chromiumPath))
        {
            throw new InvalidOperationException(
                $"{chromiumPath} is missing. Install Debian's Chromium (apt-get install -y chromium fonts-liberation) or run ./test.sh, which does. Never 'playwright install'.");
        }

        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
    }
}
