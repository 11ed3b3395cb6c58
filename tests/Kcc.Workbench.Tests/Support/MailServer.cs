using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kcc.Workbench.Tests.Support;

/// <summary>
/// A real SMTP and IMAP server for the e-mail tests: the smtp4dev dotnet tool (in the repository's tool manifest,
/// restored by test.sh) on free loopback ports, with an in-memory store. Every message sent to it, to anyone, is in
/// the INBOX of its IMAP server.
/// </summary>
public sealed class MailServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly string folder;

    private MailServer(Process process, string folder, int smtpPort, int imapPort)
    {
        this.process = process;
        this.folder = folder;
        SmtpPort = smtpPort;
        ImapPort = imapPort;
    }

    public int SmtpPort { get; }

    public int ImapPort { get; }

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

    /// <summary>The Kanalen:Email settings that point the workbench at this server.</summary>
    public Dictionary<string, string?> Settings(string prefix = "Kanalen:Email:") => new()
    {
        [prefix + "Address"] = "kcc@gemeente.example",
        [prefix + "Imap:Host"] = "127.0.0.1",
        [prefix + "Imap:Port"] = ImapPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [prefix + "Imap:Security"] = "None",
        [prefix + "Imap:UserName"] = "kcc",
        [prefix + "Imap:Password"] = "geheim",
        [prefix + "Imap:PollInterval"] = "00:00:01",
        [prefix + "Smtp:Host"] = "127.0.0.1",
        [prefix + "Smtp:Port"] = SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [prefix + "Smtp:Security"] = "None",
    };

    public static async Task<MailServer> StartAsync()
    {
        var smtpPort = FreePort();
        var imapPort = FreePort();
        var webPort = FreePort();
        var folder = Directory.CreateTempSubdirectory("kcc-smtp4dev-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "tool", "run", "smtp4dev", "--", "--smtpport=" + smtpPort, "--imapport=" + imapPort, "--pop3port=", "--db=",
                     "--urls=http://127.0.0.1:" + webPort, "--nousersettings", "--baseappdatapath=" + folder, "--hostname=localhost",
                     "--tlsmode=None", "--messagestokeep=1000", "--maxmessagesize=60000000",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var server = new MailServer(process, folder, smtpPort, imapPort);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!(await ListensAsync(smtpPort) && await ListensAsync(imapPort)))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException("smtp4dev did not start (run 'dotnet tool restore' in the repository).\n" + server.Output);
            }

            await Task.Delay(200);
        }

        return server;
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

    private static async Task<bool> ListensAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Kcc.Workbench.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Repository root (Kcc.Workbench.sln) not found.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }
    }
}
