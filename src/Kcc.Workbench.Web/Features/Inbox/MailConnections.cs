using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Kcc.Workbench.Web.Features.Inbox;

/// <summary>Connecting and signing in to the mail servers the same way for IMAP and SMTP.</summary>
internal static class MailConnections
{
    public static SecureSocketOptions Socket(MailSecurity security) => security switch
    {
        MailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        MailSecurity.StartTls => SecureSocketOptions.StartTls,
        MailSecurity.None => SecureSocketOptions.None,
        _ => SecureSocketOptions.Auto,
    };

    public static async Task SignInAsync(IMailService client, string? userName, string? password, string? accessToken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(userName))
        {
            return;
        }

        if (!string.IsNullOrWhiteSpace(accessToken))
        {
            await client.AuthenticateAsync(new SaslMechanismOAuth2(userName, accessToken), cancellationToken);
        }
        else
        {
            await client.AuthenticateAsync(userName, password ?? "", cancellationToken);
        }
    }

    public static async Task<ImapClient> OpenImapAsync(ImapOptions options, CancellationToken cancellationToken)
    {
        var client = new ImapClient();
        try
        {
            await client.ConnectAsync(options.Host ?? throw new InvalidOperationException("No mail server configured."), options.Port, Socket(options.Security), cancellationToken);
            await SignInAsync(client, options.UserName, options.Password, options.AccessToken, cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public static async Task<SmtpClient> OpenSmtpAsync(MailServerOptions options, CancellationToken cancellationToken)
    {
        var client = new SmtpClient();
        try
        {
            await client.ConnectAsync(options.Host ?? throw new InvalidOperationException("No mail server configured."), options.Port, Socket(options.Security), cancellationToken);
            await SignInAsync(client, options.UserName, options.Password, options.AccessToken, cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}
