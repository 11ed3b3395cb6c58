using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace Kcc.Workbench.EndToEnd.Support;

/// <summary>
/// One real Kcc.Workbench process from its own build output, on a free loopback port and a data folder the
/// caller owns (so a second process can start on the same database after the first was killed).
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    // Generous: the whole suite runs five apps and a browser at once on two cores; a start that hangs still fails.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private readonly StringBuilder output = new();
    private readonly Process process;

    private AppProcess(Process process, string baseUrl)
    {
        this.process = process;
        BaseUrl = baseUrl;
    }

    /// <summary>The app's address, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public string BaseUrl { get; }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

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

    public static async Task<AppProcess> StartAsync(string dataFolder, IDictionary<string, string?>? settings = null, IReadOnlyList<string>? arguments = null)
    {
        var app = Launch(dataFolder, settings, arguments);
        await app.WaitUntilReadyAsync();
        return app;
    }

    /// <summary>Starts the app and waits until it ends on its own (a start-up fault, a command-line task).</summary>
    public static async Task<AppProcess> RunToExitAsync(string dataFolder, IDictionary<string, string?>? settings = null, IReadOnlyList<string>? arguments = null)
    {
        var app = Launch(dataFolder, settings, arguments);
        try
        {
            await app.process.WaitForExitAsync().WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            await app.DisposeAsync();
            throw new TimeoutException($"Kcc.Workbench did not stop within {StartTimeout.TotalSeconds:0} s.\n--- app output ---\n{app.Output}");
        }

        app.process.WaitForExit(); // drains the redirected output
        return app;
    }

    private static AppProcess Launch(string dataFolder, IDictionary<string, string?>? settings, IReadOnlyList<string>? arguments)
    {
        var webDll = FindWebAppDll();
        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = Path.GetDirectoryName(webDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(webDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseUrl);
        foreach (var argument in arguments ?? [])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development"; // serves static web assets from the build output
        start.Environment["ASPNETCORE_URLS"] = null;
        start.Environment["ConnectionStrings__Kcc"] = $"Data Source={Path.Combine(dataFolder, "kcc.db")}";
        start.Environment["DataProtection__KeysFolder"] = Path.Combine(dataFolder, "keys");
        start.Environment["Kcc__Backup__Folder"] = Path.Combine(dataFolder, "backups");
        start.Environment["Demo__Seed"] = "true";
        start.Environment["Demo__Contacts"] = "300";
        start.Environment["Kcc__Inloggen__PogingenPerMinuut"] = "1000"; // every test signs in from 127.0.0.1
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        var app = new AppProcess(new Process { StartInfo = start, EnableRaisingEvents = true }, baseUrl);
        app.process.OutputDataReceived += (_, e) => app.Append(e.Data);
        app.process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        app.process.Exited += (_, _) => app.Append($"[{DateTime.Now:HH:mm:ss.fff}] Kcc.Workbench process exited with code {app.process.ExitCode}");
        if (!app.process.Start())
        {
            throw new InvalidOperationException($"Could not start {start.FileName} {webDll}");
        }

        app.process.BeginOutputReadLine();
        app.process.BeginErrorReadLine();
        return app;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing; what a power cut or an OOM kill does to the process.</summary>
    public async Task KillHardAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillHardAsync();
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            // Already gone or refusing to die; nothing more a test run can do.
        }

        process.Dispose();
    }

    private async Task WaitUntilReadyAsync()
    {
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
                using var response = await http.GetAsync(new Uri($"{BaseUrl}/health/ready"));
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

        throw new TimeoutException($"Kcc.Workbench did not become ready on {BaseUrl} within {StartTimeout.TotalSeconds:0} s.\n--- app output ---\n{Output}");
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
        var relative = typeof(AppProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
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

    /// <summary>A loopback port nobody listens on right now.</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
