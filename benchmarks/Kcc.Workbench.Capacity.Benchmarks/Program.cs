using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;

// What one agent costs the server: N signed-in contact forms (and article editors) in headless Chromium against a real app process, typing
// in the form's fields. Server CPU is read from /proc/<pid>/stat (user + system), so the browser's own work is not
// counted. Figures: idle CPU per open form, CPU per keystroke per field (typing window minus the idle rate, including
// what the typing triggers: the deferred change, kennisbank search, draft), resident memory per circuit.
//
//   dotnet run -c Release --project benchmarks/Kcc.Workbench.Capacity.Benchmarks -- [--app path/to/Kcc.Workbench.Web.dll]
//       [--circuits 10,25,50] [--keys 40] [--delay 120] [--forms contact,article,inbox] [--renderer-limit 6]
//       [--fields #q0-text,#party-search] [--typing js] [--text 'what every field gets typed, \n clears the field']
var options = Options.Parse(args);
var culture = CultureInfo.InvariantCulture;
var data = Directory.CreateTempSubdirectory("kcc-capacity-");
await using var app = await App.StartAsync(options.AppDll, data.FullName);
Console.WriteLine($"# Capacity: {Path.GetFileName(options.AppDll)} ({File.GetLastWriteTime(options.AppDll):yyyy-MM-dd HH:mm}), {Environment.ProcessorCount} cores, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
Console.WriteLine();

// Start-up work (search warm-up, the dashboard's catch-up, the retention job's first run a minute in) is not an agent's.
await app.WaitUntilQuietAsync(TimeSpan.FromSeconds(100));

// What the process spends with no form open (Kestrel's heartbeat, background services): not any one form's cost.
var baselineMsPerSecond = await app.CpuMsDuringAsync(() => Task.Delay(TimeSpan.FromSeconds(10))) / 10.0;
Console.WriteLine(string.Create(culture, $"Process idle with no form open: {baselineMsPerSecond:0.0} ms CPU per second"));
Console.WriteLine();

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new()
{
    ExecutablePath = "/usr/bin/chromium",
    // Hundreds of background pages: without these Chromium throttles their timers (SignalR's keep-alive among them), the
    // server hears nothing for 30 s, drops the circuit and the page shows Blazor's reconnect dialog.
    Args =
    [
        "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-background-timer-throttling", "--disable-backgrounding-occluded-windows", "--disable-renderer-backgrounding",
        "--disable-features=IntensiveWakeUpThrottling,CalculateNativeWinOcclusion",
        // 300 pages at about 150 MB each do not fit in this machine's memory: a few renderer processes host them all.
        .. (options.RendererLimit > 0 ? new[] { $"--renderer-process-limit={options.RendererLimit}" } : []),
    ],
});

// Each form: the page agents (or editors) keep open, and the fields they type in.
var forms = new[]
{
    new Form("contact form", "fo.demo", "/contacten/nieuw", "#q0-text", ["#q0-text", "#q0-answer", "#party-search"]),
    new Form("article editor", "kb.demo", "/kennisbank/artikelen/1/bewerken", "#article-kosten", ["#article-kosten", "#article-title"]),
    // The reply to an e-mail or WhatsApp message: one conversation fo.demo took with "Volgende pakken", open in every circuit.
    new Form("inbox reply", "fo.demo", "", "#q0-answer", ["#q0-answer"]),
}.Where(f => options.Forms.Contains(f.Name.Split(' ')[0], StringComparer.Ordinal));

var latencies = new List<(int Circuits, List<double> Ms, string Load)>();
Console.WriteLine("| Form | Open forms | RSS per circuit (MB) | Idle CPU per form (ms/s) | Field | Keys | CPU per keystroke (ms) | Typing took |");
Console.WriteLine("|---|---:|---:|---:|---|---:|---:|---:|");
foreach (var form in forms)
{
    // Sign in once; every circuit reuses the cookie (as many tabs of agents would).
    var login = await browser.NewContextAsync(new() { BaseURL = app.BaseUrl });
    var loginPage = await login.NewPageAsync();
    await loginPage.GotoAsync("/inloggen");
    await loginPage.GetByLabel("Gebruikersnaam").FillAsync(form.User);
    await loginPage.GetByLabel("Wachtwoord").FillAsync("Demo!2026kcc");
    await loginPage.GetByRole(AriaRole.Button, new() { Name = "Inloggen", Exact = true }).ClickAsync();
    await loginPage.Locator("[data-interactive=true]").WaitForAsync();
    var state = await login.StorageStateAsync();
    var path = form.Path;
    if (path.Length == 0)
    {
        await loginPage.GotoAsync("/inbox");
        await loginPage.Locator("[data-interactive=true]").WaitForAsync();
        await loginPage.GetByRole(AriaRole.Button, new() { Name = "Volgende pakken" }).ClickAsync();
        await loginPage.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/inbox/[0-9]+$"));
        path = new Uri(loginPage.Url).AbsolutePath;
    }

    await login.CloseAsync();

    foreach (var circuits in options.Circuits)
    {
        var rssBefore = app.RssMb();
        var contexts = new List<IBrowserContext>();
        var pages = new List<IPage>();
        // With a renderer limit the pages share one context (renderers are never shared across contexts); it is one
        // agent's sign-in either way.
        var shared = options.RendererLimit > 0 ? await browser.NewContextAsync(new() { BaseURL = app.BaseUrl, StorageState = state, Locale = "nl-NL" }) : null;
        if (shared is not null)
        {
            contexts.Add(shared);
        }

        // Opened a few at a time: 300 pages one by one take many minutes.
        using (var opening = new SemaphoreSlim(8))
        {
            var opened = await Task.WhenAll(Enumerable.Range(0, circuits).Select(async _ =>
            {
                await opening.WaitAsync();
                try
                {
                    var context = shared ?? await browser.NewContextAsync(new() { BaseURL = app.BaseUrl, StorageState = state, Locale = "nl-NL" });
                    var page = await context.NewPageAsync();
                    await page.GotoAsync(path, new() { Timeout = 300_000 });
                    await page.Locator("[data-interactive=true]").WaitForAsync(new() { Timeout = 300_000 });
                    await page.Locator(form.Ready).WaitForAsync(new() { Timeout = 300_000 });
                    return (context, page);
                }
                finally
                {
                    opening.Release();
                }
            }));
            pages.AddRange(opened.Select(o => o.page));
            if (shared is null)
            {
                contexts.AddRange(opened.Select(o => o.context));
            }
        }

        var measured = form.Fields.Where(f => options.Fields.Length == 0 || options.Fields.Contains(f, StringComparer.Ordinal)).ToList();

        // A warm-up round in every field first, with the very text measured below: the runtime compiles hot code again,
        // optimised, in its first minutes (tiered compilation). A short text that found no one left the path of a
        // search with results to be compiled while it was measured (a perf profile: 12% of the server's CPU in the JIT).
        // Faster than the rhythm measured, but slower than the 300 ms pause, so that every key still reaches the server.
        var warmUp = options with { DelayMs = Math.Min(options.DelayMs, 400) };
        foreach (var field in measured)
        {
            await Task.WhenAll(pages.Select(page => TypeAsync(page, field, TextFor(field, options), warmUp)));
            await Task.Delay(2000);
            await Task.WhenAll(pages.Select(page => page.Locator(field).FillAsync("")));
        }

        await app.WaitUntilQuietAsync(TimeSpan.FromSeconds(30), circuits);
        var rssPerCircuit = (app.RssMb() - rssBefore) / circuits;
        // The quietest of three 5 s windows: one window that caught a background job (a retention run, a GC) made the
        // idle rate several times too high, and subtracting it made the keys look cheaper than they are.
        var idleWindow = TimeSpan.FromSeconds(5);
        var idleCpu = double.MaxValue;
        for (var window = 0; window < 3; window++)
        {
            idleCpu = Math.Min(idleCpu, await app.CpuMsDuringAsync(() => Task.Delay(idleWindow)));
        }

        var idlePerFormPerSecond = Math.Max(0, idleCpu / idleWindow.TotalSeconds - baselineMsPerSecond) / circuits;
        foreach (var field in measured)
        {
            var text = TextFor(field, options);
            Console.Error.WriteLine($"# typing in {field} on {circuits} pages"); // a marker for a profiler started from outside
            var window = Stopwatch.StartNew();
            var cpu = await app.CpuMsDuringAsync(async () =>
            {
                await Task.WhenAll(pages.Select(page => TypeAsync(page, field, text, options)));
                await Task.Delay(2000); // what the last keys trigger: the deferred change, the search, the draft, the preview
            });
            var net = cpu - (baselineMsPerSecond + idlePerFormPerSecond * circuits) * window.Elapsed.TotalSeconds;
            // A cleared field ('\n') counts as one key. A field whose keys cost less than the idle rate's noise comes out
            // at or below zero: printed as below the noise rather than as a negative cost.
            var perKey = net / (circuits * text.Length);
            // When the browser cannot keep the rhythm for all pages, keys arrive in bursts and the figure means little.
            var typing = window.Elapsed.TotalSeconds - 2;
            var planned = text.Length * options.DelayMs / 1000.0;
            Console.WriteLine(string.Create(culture, $"| {form.Name} | {circuits} | {rssPerCircuit:0.0} | {idlePerFormPerSecond:0.00} | `{field}` | {circuits * text.Length} | {(perKey < 0.05 ? "< 0.05 (below the noise)" : perKey.ToString("0.00", culture))} | {typing:0} s of {planned:0} s |"));
            await Task.WhenAll(pages.Select(page => page.Locator(field).FillAsync("")));
            await Task.Delay(2000);
        }

        var reconnecting = 0;
        foreach (var page in pages)
        {
            reconnecting += await page.EvaluateAsync<bool>("() => { const m = document.getElementById('components-reconnect-modal'); return !!m && (m.open === true || m.className.includes('components-reconnect-show')); }") ? 1 : 0;
        }

        if (reconnecting > 0)
        {
            Console.WriteLine(string.Create(culture, $"| {form.Name} | {circuits} | | | {reconnecting} pages showed the reconnect dialog | | | |"));
        }

        if (form.Name == "contact form")
        {
            // One agent searches for residents while every other agent types a question (a kennisbank search per word).
            var typing = TextFor("#q0-text", options);
            var others = Task.WhenAll(pages.Skip(1).Select(page => TypeAsync(page, "#q0-text", typing, options)));
            var searches = await SearchLatenciesAsync(pages[0], TimeSpan.FromMilliseconds(options.Keys * options.DelayMs));
            await others;
            latencies.Add((circuits, searches, File.ReadAllText("/proc/loadavg").Split(' ')[0]));
        }

        foreach (var context in contexts)
        {
            await context.CloseAsync();
        }

        await Task.Delay(3000);
    }
}

if (latencies.Count > 0)
{
    Console.WriteLine();
    Console.WriteLine("Resident search while the other N-1 agents type a question at the same rhythm: the server's answer to one");
    Console.WriteLine("search, from the text reaching the server (the debounce skipped with kccDeferred.flush) to the results on screen,");
    Console.WriteLine("timed in the browser.");
    Console.WriteLine();
    Console.WriteLine("| Open forms | Searches | p50 (ms) | p95 (ms) | max (ms) | load |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
    foreach (var (circuits, ms, load) in latencies)
    {
        ms.Sort();
        Console.WriteLine(string.Create(culture, $"| {circuits} | {ms.Count} | {Percentile(ms, 50):0.0} | {Percentile(ms, 95):0.0} | {ms[^1]:0.0} | {load} |"));
    }
}

return 0;

// What an agent types in a field: a question, or in the resident search names as an agent looks residents up (a last
// name and a first name, then the field cleared, '\n', for the next resident). --text replaces both.
static string TextFor(string field, Options options)
{
    var text = options.Text ?? (field == "#party-search" ? "Jansen Piet\nde Vries Emma\nBakker Sanne\nvan Dijk Tim\n" : "Mijn paspoort verloopt binnenkort wat moet ik doen ");
    return string.Concat(Enumerable.Repeat(text, options.Keys / text.Length + 1))[..options.Keys];
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

// Types text into a field at the rhythm asked for: with Playwright's keyboard (real key events, one DevTools call per
// key), or with --typing js from a script in the page (the same keydown, input and keyup events, with no DevTools traffic),
// so that one Chromium can keep the rhythm for hundreds of pages.
static async Task TypeAsync(IPage page, string field, string text, Options options)
{
    if (options.JsTyping)
    {
        const string script = """
            async ([selector, text, delay]) => {
                const el = document.querySelector(selector);
                el.focus();
                el.setSelectionRange(el.value.length, el.value.length);
                for (const ch of text) {
                    await new Promise(r => setTimeout(r, delay));
                    if (ch === '\n') {
                        el.value = '';
                        el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'deleteContentBackward' }));
                        continue;
                    }

                    el.dispatchEvent(new KeyboardEvent('keydown', { key: ch, bubbles: true }));
                    el.setRangeText(ch, el.selectionStart, el.selectionEnd, 'end');
                    el.dispatchEvent(new InputEvent('input', { bubbles: true, data: ch, inputType: 'insertText' }));
                    el.dispatchEvent(new KeyboardEvent('keyup', { key: ch, bubbles: true }));
                }
            }
            """;
        await page.EvaluateAsync(script, new object[] { field, text, options.DelayMs });
        return;
    }

    await page.Locator(field).ClickAsync(new() { Timeout = 120_000 });
    await page.Keyboard.PressAsync("End");
    foreach (var (part, i) in text.Split('\n').Select((part, i) => (part, i)))
    {
        if (i > 0)
        {
            // Clear the field for the next resident: select all (no input) and delete, one key of the rhythm.
            await page.Keyboard.PressAsync("Control+a");
            await page.Keyboard.PressAsync("Backspace", new() { Delay = options.DelayMs });
        }

        await page.Keyboard.TypeAsync(part, new() { Delay = options.DelayMs });
    }
}

// Alternates a name with matches and one without, so every answer changes the screen; a search every 500 ms for as long
// as the others type, the first 4 not counted.
static async Task<List<double>> SearchLatenciesAsync(IPage page, TimeSpan during)
{
    const string script = """
        async (value) => {
            const el = document.querySelector('#party-search');
            const shown = () => (document.querySelector('[aria-live=polite]')?.textContent ?? '') + '|' + (document.querySelector('.kcc-results')?.textContent ?? '');
            const before = shown();
            el.focus();
            el.value = value;
            el.dispatchEvent(new Event('input', { bubbles: true }));
            const started = performance.now();
            const done = new Promise(resolve => {
                const observer = new MutationObserver(() => { if (shown() !== before) { observer.disconnect(); resolve(performance.now() - started); } });
                observer.observe(document.body, { subtree: true, childList: true, characterData: true });
                setTimeout(() => { observer.disconnect(); resolve(-1); }, 10000);
            });
            kccDeferred.flush();
            return await done;
        }
        """;
    var result = new List<double>();
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < 8 || watch.Elapsed < during; i++)
    {
        var ms = await page.EvaluateAsync<double>(script, i % 2 == 0 ? "Vries" : "Qxzy");
        if (i >= 4 && ms >= 0)
        {
            result.Add(ms);
        }

        await Task.Delay(500);
    }

    return result;
}

internal sealed record Form(string Name, string User, string Path, string Ready, string[] Fields);

internal sealed record Options(string AppDll, int[] Circuits, int Keys, int DelayMs, string[] Forms, int RendererLimit, string[] Fields, bool JsTyping, string? Text)
{
    public static Options Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Kcc.Workbench.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Kcc.Workbench.sln not found above the benchmark.");
        }

        return new Options(
            Path.GetFullPath(Value("--app") ?? Path.Combine(root, "src/Kcc.Workbench.Web/bin/Release/net10.0/Kcc.Workbench.Web.dll")),
            (Value("--circuits") ?? "10,25").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray(),
            int.Parse(Value("--keys") ?? "40", CultureInfo.InvariantCulture),
            int.Parse(Value("--delay") ?? "120", CultureInfo.InvariantCulture),
            (Value("--forms") ?? "contact,article,inbox").Split(','),
            int.Parse(Value("--renderer-limit") ?? "0", CultureInfo.InvariantCulture),
            Value("--fields")?.Split(',') ?? [],
            Value("--typing") == "js",
            Value("--text")?.Replace("\\n", "\n", StringComparison.Ordinal));
    }
}

/// <summary>The web app as a separate process, so its CPU time is its own.</summary>
internal sealed class App : IAsyncDisposable
{
    private readonly Process process;

    private App(Process process, string baseUrl)
    {
        this.process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public static async Task<App> StartAsync(string webDll, string dataFolder)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var baseUrl = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        listener.Stop();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(webDll)!, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(webDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseUrl);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development"; // static web assets from the build output
        start.Environment["ConnectionStrings__Kcc"] = $"Data Source={Path.Combine(dataFolder, "kcc.db")}";
        start.Environment["DataProtection__KeysFolder"] = Path.Combine(dataFolder, "keys");
        start.Environment["Demo__Seed"] = "true";
        start.Environment["Demo__Contacts"] = "2000";
        start.Environment["Kcc__Inloggen__PogingenPerMinuut"] = "1000";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the app.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var waited = Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromMinutes(3); await Task.Delay(500))
        {
            try
            {
                if ((await http.GetAsync(new Uri(baseUrl + "/health/ready"))).IsSuccessStatusCode)
                {
                    return new App(process, baseUrl);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Still migrating and seeding.
            }
        }

        process.Kill(true);
        throw new TimeoutException("The app did not become ready within 3 minutes.");
    }

    /// <summary>Waits until two seconds pass with less than 20 ms CPU (plus 2 ms per open form), or <paramref name="limit"/>.</summary>
    public async Task WaitUntilQuietAsync(TimeSpan limit, int openForms = 0)
    {
        for (var waited = Stopwatch.StartNew(); waited.Elapsed < limit;)
        {
            if (await CpuMsDuringAsync(() => Task.Delay(2000)) < 20 + 2 * openForms)
            {
                return;
            }
        }
    }

    /// <summary>User + system CPU of the app process, in ms, while <paramref name="work"/> runs.</summary>
    public async Task<double> CpuMsDuringAsync(Func<Task> work)
    {
        var before = CpuMs();
        await work();
        return CpuMs() - before;
    }

    private double CpuMs()
    {
        // /proc/<pid>/stat: fields 14 and 15 are utime and stime in clock ticks (100 per second on Linux).
        var stat = File.ReadAllText($"/proc/{process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    public double RssMb()
    {
        var line = File.ReadAllLines($"/proc/{process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
