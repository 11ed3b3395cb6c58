using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Inbox;
using Kcc.Workbench.Web.Features.Routing.ServiceNorms;
using Kcc.Workbench.Web.Infrastructure;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MimeKit;

// Inbox figures: (1) messages taken in per second through the intake every channel uses (dedupe, thread, party
// match, promise, live update), one sender and eight at once; (2) arrival to visible: from the moment an SMTP server
// accepted a mail until the inbox's live update fires (the /inbox page reloads on it), with the IMAP intake running
// against smtp4dev (IDLE when the server offers it, else polling every second).
//   dotnet tool restore && dotnet run -c Release --project benchmarks/Kcc.Workbench.Inbox.Benchmarks [-- --messages 2000 --mails 20]

var messageCount = Option(args, "--messages", 2000);
var mailCount = Option(args, "--mails", 20);
var folder = Directory.CreateTempSubdirectory("kcc-inbox-bench-");
var smtpPort = FreePort();
var imapPort = FreePort();
var configuration = new ConfigurationBuilder()
    .AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["ConnectionStrings:Kcc"] = $"Data Source={Path.Combine(folder.FullName, "kcc.db")}",
        ["Kanalen:Email:Imap:Host"] = "127.0.0.1",
        ["Kanalen:Email:Imap:Port"] = imapPort.ToString(CultureInfo.InvariantCulture),
        ["Kanalen:Email:Imap:Security"] = "None",
        ["Kanalen:Email:Imap:UserName"] = "kcc",
        ["Kanalen:Email:Imap:Password"] = "bench",
        ["Kanalen:Email:Imap:PollInterval"] = "00:00:01",
    })
    .Build();
var services = new ServiceCollection()
    .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole())
    .AddSingleton<IConfiguration>(configuration)
    .AddSingleton(TimeProvider.System)
    .AddKccDatabase(configuration, folder.FullName)
    .AddKccMediator(typeof(KccDbContext).Assembly)
    .AddKccFeatures(configuration)
    .BuildServiceProvider();
Process? smtp4dev = null;
try
{
    Console.WriteLine($"Kcc.Workbench inbox benchmark · .NET {Environment.Version} · {Environment.ProcessorCount} cores");
    await DatabaseSetup.MigrateAsync(services);
    await using (var db = await services.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync())
    {
        await NormKinds.EnsureDefaultsAsync(db, DateTime.UtcNow);
    }

    var intake = services.GetRequiredService<InboxIntake>();
    IncomingMessage WhatsApp(int i) => new()
    {
        Channel = Channel.WhatsApp,
        ExternalId = $"wamid.bench{i}",
        Address = "3161" + (i % 5000).ToString("D7", CultureInfo.InvariantCulture)[..7],
        Body = "Is mijn paspoort al klaar?",
        SentAt = DateTime.UtcNow,
    };

    var watch = Stopwatch.StartNew();
    for (var i = 0; i < messageCount; i++)
    {
        await intake.ReceiveAsync(WhatsApp(i), CancellationToken.None);
    }

    Console.WriteLine($"Intake, one sender:    {messageCount} messages in {watch.Elapsed.TotalSeconds:0.00} s = {messageCount / watch.Elapsed.TotalSeconds:0} messages/s");
    var next = messageCount;
    watch.Restart();
    await Parallel.ForAsync(0, messageCount, new ParallelOptions { MaxDegreeOfParallelism = 8 },
        async (i, ct) => await intake.ReceiveAsync(WhatsApp(next + i), ct));
    Console.WriteLine($"Intake, eight at once: {messageCount} messages in {watch.Elapsed.TotalSeconds:0.00} s = {messageCount / watch.Elapsed.TotalSeconds:0} messages/s");
    watch.Restart();
    for (var i = 0; i < messageCount; i++)
    {
        await intake.ReceiveAsync(WhatsApp(i), CancellationToken.None);
    }

    Console.WriteLine($"Replays (dedupe):      {messageCount} messages in {watch.Elapsed.TotalSeconds:0.00} s = {messageCount / watch.Elapsed.TotalSeconds:0} messages/s");

    smtp4dev = StartSmtp4dev(smtpPort, imapPort, folder.FullName);
    await WaitForPortAsync(smtpPort);
    await WaitForPortAsync(imapPort);
    var mailIntake = services.GetRequiredService<MailIntake>();
    await ((IHostedService)mailIntake).StartAsync(CancellationToken.None);
    var arrived = new ConcurrentQueue<long>();
    using var subscription = services.GetRequiredService<ILiveUpdates>().OnInboxChanged(() =>
    {
        arrived.Enqueue(Stopwatch.GetTimestamp());
        return Task.CompletedTask;
    });
    var latencies = new List<double>();
    await Task.Delay(2000); // the intake has connected and read the (empty) folder
    for (var i = 0; i < mailCount; i++)
    {
        arrived.Clear();
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Inwoner", $"inwoner{i}@voorbeeld.nl"));
        message.To.Add(new MailboxAddress("KCC", "kcc@gemeente.example"));
        message.Subject = $"Vraag {i}";
        message.Body = new TextPart("plain") { Text = "Hoe vraag ik een paspoort aan?" };
        using (var client = new SmtpClient())
        {
            await client.ConnectAsync("127.0.0.1", smtpPort, MailKit.Security.SecureSocketOptions.None);
            await client.SendAsync(message);
        }

        var sent = Stopwatch.GetTimestamp();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (arrived.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        if (arrived.TryPeek(out var at))
        {
            latencies.Add(Stopwatch.GetElapsedTime(sent, at).TotalMilliseconds);
        }

        await Task.Delay(300);
    }

    await ((IHostedService)mailIntake).StopAsync(CancellationToken.None);
    latencies.Sort();
    Console.WriteLine(latencies.Count == 0
        ? "Arrival to visible: no mail arrived"
        : $"Arrival to visible (IMAP, {mailCount} mails, {latencies.Count} seen): median {latencies[latencies.Count / 2]:0} ms, p90 {latencies[(int)Math.Ceiling(0.9 * latencies.Count) - 1]:0} ms, max {latencies[^1]:0} ms");
}
finally
{
    if (smtp4dev is { HasExited: false })
    {
        smtp4dev.Kill(entireProcessTree: true);
    }

    await services.DisposeAsync();
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    folder.Delete(recursive: true);
}

static Process StartSmtp4dev(int smtpPort, int imapPort, string folder)
{
    var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (var argument in new[]
             {
                 "tool", "run", "smtp4dev", "--", "--smtpport=" + smtpPort, "--imapport=" + imapPort, "--pop3port=", "--db=",
                 "--urls=http://127.0.0.1:" + FreePort(), "--nousersettings", "--baseappdatapath=" + folder, "--tlsmode=None",
             })
    {
        start.ArgumentList.Add(argument);
    }

    var process = Process.Start(start)!;
    process.OutputDataReceived += (_, _) => { };
    process.ErrorDataReceived += (_, _) => { };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    return process;
}

static async Task WaitForPortAsync(int port)
{
    for (var i = 0; i < 450; i++)
    {
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port);
            return;
        }
        catch (SocketException)
        {
            await Task.Delay(200);
        }
    }

    throw new InvalidOperationException("smtp4dev did not start; run 'dotnet tool restore' in the repository first.");
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static int Option(string[] args, string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
