using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Kcc.Workbench.EndToEnd.Support;

/// <summary>
/// Debian's nginx in front of several app servers, with the sticky-routing configuration the README gives municipalities:
/// a <c>kcc_route</c> cookie, hashed consistently onto one server, and WebSockets passed through for Blazor's circuits.
/// Each response names the server that answered (<c>X-Kcc-Server</c>) so a test can tell where a browser landed.
/// </summary>
public sealed class Nginx : IAsyncDisposable
{
    private const string Binary = "/usr/sbin/nginx";

    private readonly Process process;
    private readonly DirectoryInfo folder;
    private readonly StringBuilder output = new();

    private Nginx(Process process, DirectoryInfo folder, string baseUrl)
    {
        this.process = process;
        this.folder = folder;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output + ReadErrorLog();
            }
        }
    }

    /// <summary>The server block of the README's example, on a loopback port, with the given app servers behind it.</summary>
    public static string Configuration(string prefix, int port, IEnumerable<string> servers, bool asRoot) => $$"""
        {{(asRoot ? "user root;" : "")}}
        worker_processes 1;
        daemon off;
        pid {{prefix}}/nginx.pid;
        error_log {{prefix}}/error.log warn;
        events { worker_connections 512; }
        http {
            access_log off;
            client_body_temp_path {{prefix}}/body;
            proxy_temp_path {{prefix}}/proxy;
            fastcgi_temp_path {{prefix}}/fastcgi;
            uwsgi_temp_path {{prefix}}/uwsgi;
            scgi_temp_path {{prefix}}/scgi;

            # Sticky by a cookie nginx hands out itself (not ip_hash: behind one municipal NAT every agent has one address).
            map $cookie_kcc_route $kcc_route { "" $request_id; default $cookie_kcc_route; }
            map $http_upgrade $connection_upgrade { default upgrade; '' close; }
            upstream kcc {
                hash $kcc_route consistent;
        {{string.Concat(servers.Select(s => $"        server {s} max_fails=1 fail_timeout=30s;\n"))}}
            }
            server {
                listen 127.0.0.1:{{port}};
                location / {
                    proxy_pass http://kcc;
                    proxy_http_version 1.1;
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection $connection_upgrade;
                    proxy_set_header Host $http_host;
                    proxy_set_header X-Forwarded-Proto $scheme;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_read_timeout 1h;
                    add_header Set-Cookie "kcc_route=$kcc_route; Path=/; HttpOnly; SameSite=Lax" always;
                    add_header X-Kcc-Server $upstream_addr always;
                }
            }
        }
        """;

    public static async Task<Nginx> StartAsync(IEnumerable<string> servers)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing. Install Debian's nginx (apt-get install -y nginx-light or nginx) or run ./test.sh, which does.");
        }

        var folder = Directory.CreateTempSubdirectory("kcc-nginx-");
        var port = AppProcess.FreePort();
        var asRoot = Environment.UserName == "root";
        var config = Path.Combine(folder.FullName, "nginx.conf");
        await File.WriteAllTextAsync(config, Configuration(folder.FullName, port, servers, asRoot));
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-p", folder.FullName + "/", "-c", config, "-e", Path.Combine(folder.FullName, "error.log") })
        {
            start.ArgumentList.Add(argument);
        }

        var nginx = new Nginx(new Process { StartInfo = start }, folder, $"http://127.0.0.1:{port}");
        nginx.process.OutputDataReceived += (_, e) => nginx.Append(e.Data);
        nginx.process.ErrorDataReceived += (_, e) => nginx.Append(e.Data);
        nginx.process.Start();
        nginx.process.BeginOutputReadLine();
        nginx.process.BeginErrorReadLine();

        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (nginx.process.HasExited)
            {
                throw new InvalidOperationException($"nginx stopped with exit code {nginx.process.ExitCode}:\n{nginx.Output}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return nginx;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        await nginx.DisposeAsync();
        throw new TimeoutException($"nginx did not listen on {port} within 15 s:\n{nginx.Output}");
    }

    /// <summary>A <c>kcc_route</c> value that nginx's consistent hash sends to the server at <paramref name="server"/> (host:port).</summary>
    public async Task<string> RouteToAsync(string server)
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false });
        for (var i = 0; i < 200; i++)
        {
            var route = "test" + i.ToString(CultureInfo.InvariantCulture);
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{BaseUrl}/health/live");
            request.Headers.Add("Cookie", $"kcc_route={route}");
            using var response = await http.SendAsync(request);
            if (response.Headers.TryGetValues("X-Kcc-Server", out var values) && values.Single() == server)
            {
                return route;
            }
        }

        throw new InvalidOperationException($"No route of 200 tried lands on {server}.\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            // Already gone.
        }

        process.Dispose();
        try
        {
            folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A worker still holds a file; the temp folder is cleaned up with the machine.
        }
    }

    private string ReadErrorLog()
    {
        var log = Path.Combine(folder.FullName, "error.log");
        return File.Exists(log) ? "\n--- error.log ---\n" + File.ReadAllText(log) : "";
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
}
