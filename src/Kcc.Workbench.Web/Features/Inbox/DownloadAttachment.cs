using System.Collections.Frozen;
using System.Text;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Audit;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Inbox;

/// <summary>
/// An attachment of a resident's e-mail, downloaded by the agent who reads the conversation. Always as a download,
/// never shown in the browser: the file comes from outside. Who downloaded which attachment is on record (AVG), as a
/// view of a klantbeeld is.
/// </summary>
public static class DownloadAttachment
{
    public const string Action = "bijlage.gedownload";

    /// <summary>Types sent as they are; anything else (HTML, SVG, scripts, unknown) goes as application/octet-stream.</summary>
    public static readonly FrozenSet<string> SafeContentTypes = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "application/pdf", "image/jpeg", "image/png", "image/gif", "image/heic", "text/plain",
        "application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document");

    public static string Path(long attachmentId) => $"/inbox/bijlagen/{attachmentId}";

    [AllowedFor(Roles.Frontoffice, Roles.Teamleider)]
    public sealed record Query(long AttachmentId) : IRequest<Download?>;

    public sealed record Download(string FileName, string ContentType, byte[] Content);

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, IAuditLog audit) : IRequestHandler<Query, Download?>
    {
        public async Task<Download?> Handle(Query request, CancellationToken cancellationToken)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var found = await db.Set<MessageAttachment>().AsNoTracking().Where(a => a.Id == request.AttachmentId)
                .Select(a => new
                {
                    a.FileName, a.ContentType, a.Content,
                    ConversationId = db.Set<ConversationMessage>().Where(m => m.Id == a.MessageId).Select(m => m.ConversationId).First(),
                })
                .FirstOrDefaultAsync(cancellationToken);
            if (found is null)
            {
                return null;
            }

            // The entry names the conversation and the attachment's id, not the file name (which may name the resident).
            audit.Record(db, await currentUser.GetPrincipalAsync(), Action, AuditSubjects.Conversation, found.ConversationId.ToString(DutchFormat.Culture),
                "Bijlage " + request.AttachmentId.ToString(DutchFormat.Culture));
            await db.SaveChangesAsync(cancellationToken);
            return new Download(SafeFileName(found.FileName, request.AttachmentId), SafeContentType(found.ContentType), found.Content);
        }
    }

    public static string SafeContentType(string stored)
    {
        var type = stored.Split(';', 2)[0].Trim();
        return SafeContentTypes.Contains(type) ? type.ToLowerInvariant() : "application/octet-stream";
    }

    /// <summary>
    /// The name the sender gave, without folders, control characters or characters Windows refuses, at most 150
    /// characters with its extension kept; "bijlage-{id}" when nothing is left.
    /// </summary>
    public static string SafeFileName(string fileName, long attachmentId)
    {
        var name = fileName.Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        var cleaned = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormC))
        {
            cleaned.Append(char.IsControl(c) || c is '<' or '>' or ':' or '"' or '|' or '?' or '*' ? '_' : c);
        }

        var safe = cleaned.ToString().Trim().Trim('.', ' ');
        if (safe.Length > 150)
        {
            var extension = System.IO.Path.GetExtension(safe);
            safe = extension.Length is > 0 and <= 10 ? safe[..(150 - extension.Length)] + extension : safe[..150];
        }

        return safe.Length == 0 ? $"bijlage-{attachmentId.ToString(DutchFormat.Culture)}" : safe;
    }

    public static IEndpointRouteBuilder MapAttachmentDownload(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/inbox/bijlagen/{attachmentId:long}", async (long attachmentId, IMediator mediator, HttpContext context, CancellationToken cancellationToken) =>
            {
                var download = await mediator.Send(new Query(attachmentId), cancellationToken);
                if (download is null)
                {
                    return Results.NotFound();
                }

                context.Response.Headers.XContentTypeOptions = "nosniff";
                context.Response.Headers.CacheControl = "no-store";
                // With a download name the result says "attachment": the browser saves the file and never renders it.
                return Results.File(download.Content, download.ContentType, download.FileName);
            })
            .RequireAuthorization(policy => policy.RequireRole(Roles.Frontoffice, Roles.Teamleider));
        return endpoints;
    }
}
