using Microsoft.Playwright;

namespace Kcc.Workbench.EndToEnd.Support;

/// <summary>
/// Base for browser tests: a fresh browser context (no cookies, Dutch locale) and page per test, on the one
/// app and browser of the run. A failed test leaves a screenshot in <c>TestResults/screenshots</c>.
/// </summary>
public abstract class BrowserTest(KccApp app) : IAsyncLifetime
{
    private IBrowserContext? context;
    private IPage? page;

    protected KccApp App { get; } = app;

    protected IBrowserContext Context => context ?? throw new InvalidOperationException("The test has not been initialised.");

    protected IPage Page => page ?? throw new InvalidOperationException("The test has not been initialised.");

    public virtual async ValueTask InitializeAsync()
    {
        App.ThrowIfStopped();
        context = await App.NewContextAsync(App.BaseUrl);
        page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                ConsoleErrors.Add(message.Text);
            }
        };
    }

    /// <summary>Errors the page wrote to the browser console, such as Content-Security-Policy violations.</summary>
    protected List<string> ConsoleErrors { get; } = [];

    public virtual async ValueTask DisposeAsync()
    {
        if (context is null)
        {
            return;
        }

        if (page is not null && TestContext.Current.TestState?.Result == TestResult.Failed)
        {
            await ScreenshotOnFailureAsync(page);
        }

        await context.CloseAsync();
        GC.SuppressFinalize(this);
    }

    private async Task ScreenshotOnFailureAsync(IPage failedPage)
    {
        try
        {
            var folder = Directory.CreateDirectory(Path.Combine(KccApp.RepositoryRoot(), "TestResults", "screenshots"));
            var name = string.Concat((TestContext.Current.Test?.TestDisplayName ?? "test").Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
            var path = Path.Combine(folder.FullName, $"{name}.png");
            await failedPage.ScreenshotAsync(new() { Path = path, FullPage = true });
            TestContext.Current.AddAttachment("screenshot", path);
            TestContext.Current.AddAttachment("app-output", App.Output);
        }
        catch (PlaywrightException)
        {
            // The page may be gone (crashed, closed); the failure itself is reported anyway.
        }
    }
}
