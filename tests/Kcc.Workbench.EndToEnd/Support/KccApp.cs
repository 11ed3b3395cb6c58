using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(Kcc.Workbench.EndToEnd.Support.KccApp))]

namespace Kcc.Workbench.EndToEnd.Support;

/// <summary>
/// One real Kcc.Workbench process (its own build output, Development, a fresh SQLite file with demo data)
/// and one headless Debian Chromium for the whole test run. Tests open a new browser context each.
/// </summary>
public sealed class KccApp : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly StringBuilder output = new();
    private Process? process;
    private DirectoryInfo? dataFolder;
    private IPlaywright? playwright;
    private IBrowser? browser;

    /// <summary>The app's address, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public string BaseUrl { get; private set; } = "";

    public IBrowser Browser => browser ?? throw new InvalidOperationException("The browser has not been started.");

    /// <summary>Everything the app wrote to stdout/stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>
    /// Fails the test at once, with the app's output, when the app is gone: a process stopped from outside
    /// (a broad <c>pkill</c> elsewhere on the machine) would otherwise show up as a connection refused.
    /// </summary>
    public void ThrowIfStopped()
    {
        if (process is { HasExited: true })
        {
            throw new InvalidOperationException(
                $"Kcc.Workbench is no longer running (exit code {process.ExitCode}); it was stopped during the run.\n--- app output ---\n{Output}");
        }
    }

    public async ValueTask InitializeAsync()
    {
        // The app (migrations + seeding) and the browser start side by side.
        var app = StartAppAsync();
        var chromium = StartBrowserAsync();
        await Task.WhenAll(app, chromium);
    }

    public async ValueTask DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.CloseAsync();
        }

        playwright?.Dispose();

        if (process is not null)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
            {
                // Already gone or refusing to die; nothing more a test run can do.
            }

            process.Dispose();
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

    private async Task StartAppAsync()
    {
        var webDll = FindWebAppDll();
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        dataFolder = Directory.CreateTempSubdirectory("kcc-e2e-");

        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = Path.GetDirectoryName(webDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(webDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(BaseUrl);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development"; // serves static web assets from the build output
        start.Environment["ASPNETCORE_URLS"] = null;
        start.Environment["ConnectionStrings__Kcc"] = $"Data Source={Path.Combine(dataFolder.FullName, "kcc.db")}";
        start.Environment["Demo__Seed"] = "true";
        start.Environment["Demo__Contacts"] = "300";

        process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Exited += (_, _) => Append($"[{DateTime.Now:HH:mm:ss.fff}] Kcc.Workbench process exited with code {process.ExitCode}");
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {start.FileName} {webDll}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException(
                    $"Kcc.Workbench stopped with exit code {process.ExitCode} before it answered on {BaseUrl}.\n--- app output ---\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"{BaseUrl}/inloggen"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet (migrating and seeding come first).
            }

            await Task.Delay(250);
        }

        throw new TimeoutException(
            $"Kcc.Workbench did not answer on {BaseUrl}/inloggen within {StartTimeout.TotalSeconds:0} s.\n--- app output ---\n{Output}");
    }

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

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    /// <summary>
    /// The web app's build output of the same configuration as this test assembly (Debug for <c>dotnet test</c>,
    /// Release for <c>./test.sh</c>); the relative path is written into the assembly at build time.
    /// </summary>
    private static string FindWebAppDll()
    {
        var relative = typeof(KccApp).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "KccWebAppDll").Value!;
        var dll = Path.GetFullPath(Path.Combine(RepositoryRoot(), relative));
        return File.Exists(dll)
            ? dll
            : throw new FileNotFoundException($"The web app is not built: {dll} is missing. Build the solution first.", dll);
    }

    /// <summary>The folder holding Kcc.Workbench.sln, above this test assembly's build output.</summary>
    internal static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Kcc.Workbench.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Kcc.Workbench.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>The muxer that runs these tests (the CLI passes it on), else <c>dotnet</c> from PATH.</summary>
    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
