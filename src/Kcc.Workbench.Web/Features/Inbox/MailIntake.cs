using Kcc.Workbench.Web.Data;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Kcc.Workbench.Web.Features.Inbox;

/// <summary>
/// Reads the KCC mailbox over IMAP: new messages since the last one read (by UID, remembered in the database), then
/// IDLE when the server offers it (a new mail is seen within a second) or polling otherwise. Each message is stored
/// once by its Message-ID, also after a restart or a mailbox whose UIDs were renumbered. A message too big or too
/// broken to read is stored with what its headers say and flagged: it never blocks the messages after it.
/// </summary>
public sealed class MailIntake(
    IDbContextFactory<KccDbContext> dbFactory, InboxIntake intake, IOptionsMonitor<InboxOptions> options, TimeProvider clock, ILogger<MailIntake> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var imap = options.CurrentValue.Email.Imap;
            if (!imap.IsConfigured)
            {
                return; // no mailbox: the inbox holds WhatsApp and demo messages only
            }

            try
            {
                using var client = await MailConnections.OpenImapAsync(imap, stoppingToken);
                var folder = await client.GetFolderAsync(imap.Folder, stoppingToken);
                await folder.OpenAsync(FolderAccess.ReadOnly, stoppingToken);
                failures = 0;
                while (!stoppingToken.IsCancellationRequested && client.IsConnected)
                {
                    await ReadNewAsync(folder, imap, stoppingToken);
                    await WaitForNewAsync(client, folder, imap, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // A dropped connection or a server restart: reconnect with a growing pause (at most a minute).
                failures++;
                logger.LogWarning("IMAP intake interrupted ({Error}); reconnecting", exception.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(60, 2 * failures)), clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Connects, reads what is new and disconnects: for tests and the benchmark.</summary>
    public async Task<int> ReadOnceAsync(CancellationToken cancellationToken)
    {
        var imap = options.CurrentValue.Email.Imap;
        using var client = await MailConnections.OpenImapAsync(imap, cancellationToken);
        var folder = await client.GetFolderAsync(imap.Folder, cancellationToken);
        await folder.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
        var stored = await ReadNewAsync(folder, imap, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
        return stored;
    }

    private async Task WaitForNewAsync(ImapClient client, IMailFolder folder, ImapOptions imap, CancellationToken stoppingToken)
    {
        if (!client.Capabilities.HasFlag(ImapCapabilities.Idle))
        {
            await Task.Delay(imap.PollInterval, clock, stoppingToken);
            await client.NoOpAsync(stoppingToken);
            return;
        }

        using var done = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        // Also a safety net: some servers offer IDLE but never report new mail (smtp4dev is one); those are still read
        // every PollInterval.
        done.CancelAfter(imap.IdleRenewal < imap.PollInterval ? imap.IdleRenewal : imap.PollInterval);
        void Arrived(object? sender, EventArgs e) => done.Cancel();
        folder.CountChanged += Arrived;
        try
        {
            await client.IdleAsync(done.Token, stoppingToken);
        }
        finally
        {
            folder.CountChanged -= Arrived;
        }
    }

    private async Task<int> ReadNewAsync(IMailFolder folder, ImapOptions imap, CancellationToken cancellationToken)
    {
        var mailbox = $"{imap.UserName}@{imap.Host}/{imap.Folder}";
        if (mailbox.Length > 300)
        {
            mailbox = mailbox[..300];
        }

        var settings = options.CurrentValue.Email;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var cursor = await db.Set<MailboxCursor>().FirstOrDefaultAsync(c => c.Mailbox == mailbox, cancellationToken);
        if (cursor is null)
        {
            cursor = new MailboxCursor { Mailbox = mailbox };
            db.Add(cursor);
        }

        if (cursor.UidValidity != folder.UidValidity)
        {
            // A renumbered folder: read it all again; Message-IDs keep what was stored from coming in twice.
            cursor.UidValidity = folder.UidValidity;
            cursor.LastUid = 0;
        }

        var range = new UniqueIdRange(new UniqueId((uint)Math.Min(uint.MaxValue - 1, cursor.LastUid + 1)), UniqueId.MaxValue);
        var summaries = await folder.FetchAsync(range, MessageSummaryItems.UniqueId | MessageSummaryItems.Size, cancellationToken);
        var stored = 0;
        foreach (var summary in summaries.Where(s => s.UniqueId.Id > cursor.LastUid).OrderBy(s => s.UniqueId.Id))
        {
            var message = await ReadAsync(folder, summary, settings, folder.UidValidity, cancellationToken);
            var result = await intake.ReceiveAsync(message, cancellationToken);
            stored += result.Outcome == IntakeOutcome.Stored ? 1 : 0;
            cursor.LastUid = summary.UniqueId.Id;
            cursor.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(cancellationToken);
        }

        if (db.Entry(cursor).State == EntityState.Added)
        {
            cursor.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(cancellationToken);
        }

        return stored;
    }

    private async Task<IncomingMessage> ReadAsync(IMailFolder folder, IMessageSummary summary, EmailOptions settings, uint uidValidity, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var fallbackId = $"imap-{uidValidity}-{summary.UniqueId.Id}@{settings.Imap.Host}";
        if (summary.Size is { } size && size > settings.MaxMessageBytes)
        {
            var headers = await TryHeadersAsync(folder, summary.UniqueId, cancellationToken);
            return MailReader.FromHeaders(headers, fallbackId, now,
                $"Het bericht is te groot ({size / (1024 * 1024)} MB, grens {settings.MaxMessageBytes / (1024 * 1024)} MB): alleen afzender en onderwerp zijn gelezen. Vraag de inwoner om kleinere bijlagen.");
        }

        try
        {
            var message = await folder.GetMessageAsync(summary.UniqueId, cancellationToken);
            return MailReader.Read(message, settings, fallbackId, now);
        }
        catch (Exception exception) when (exception is FormatException or ParseException or InvalidOperationException or NotSupportedException)
        {
            logger.LogWarning("E-mail {Uid} could not be parsed: {Error}", summary.UniqueId.Id, exception.GetType().Name);
            var headers = await TryHeadersAsync(folder, summary.UniqueId, cancellationToken);
            return MailReader.FromHeaders(headers, fallbackId, now, "Het bericht is beschadigd: alleen de kopregels konden worden gelezen.");
        }
    }

    private async Task<HeaderList?> TryHeadersAsync(IMailFolder folder, UniqueId uid, CancellationToken cancellationToken)
    {
        try
        {
            return await folder.GetHeadersAsync(uid, cancellationToken);
        }
        catch (Exception exception) when (exception is FormatException or ParseException or ImapCommandException)
        {
            logger.LogWarning("Headers of e-mail {Uid} could not be read: {Error}", uid.Id, exception.GetType().Name);
            return null;
        }
    }
}
