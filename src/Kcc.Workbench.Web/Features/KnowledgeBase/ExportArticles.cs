using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.KnowledgeBase;

public enum ExportFormat
{
    Json,
    Csv,
}

public sealed record ExportedFile(string FileName, string ContentType, byte[] Content);

/// <summary>Every article in the import format, so an export can be edited and imported again (or moved to another municipality).</summary>
public static class ExportArticles
{
    [AllowedFor(Roles.Kennisbeheerder)]
    public sealed record Query(ExportFormat Format) : IRequest<ExportedFile>;

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, TimeProvider clock) : IRequestHandler<Query, ExportedFile>
    {
        public async Task<ExportedFile> Handle(Query request, CancellationToken cancellationToken)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var articles = await db.Articles.AsNoTracking().Include(a => a.Topic).Include(a => a.Team).OrderBy(a => a.ExternalId).ToListAsync(cancellationToken);
            var records = articles.Select(ToRecord).ToList();
            var stamp = DutchFormat.ToLocal(clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd", DutchFormat.Culture);
            return request.Format == ExportFormat.Csv
                ? new ExportedFile($"kennisbank-{stamp}.csv", "text/csv; charset=utf-8", ArticleFile.WriteCsv(records))
                : new ExportedFile($"kennisbank-{stamp}.json", "application/json", ArticleFile.WriteJson(records));
        }
    }

    internal static ArticleFile.Record ToRecord(Article a) => new()
    {
        ExternalId = a.ExternalId,
        Title = a.Title,
        UplUri = a.Topic?.Uri,
        Team = a.Team?.Name,
        Status = ArticleFile.StatusName(a.Status),
        ReviewBefore = a.ReviewBefore?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        QuestionVariants = a.QuestionVariants,
        Keywords = a.Keywords,
        Sections = new ArticleFile.Sections
        {
            WatIsHet = a.WatIsHet,
            Voorwaarden = a.Voorwaarden,
            WatNeemtUMee = a.WatNeemtUMee,
            Kosten = a.Kosten,
            HoeLangDuurtHet = a.HoeLangDuurtHet,
            Aanvragen = a.Aanvragen,
        },
        ShortAnswer = a.ShortAnswer,
        EmailText = a.EmailText,
        InternalNote = a.InternalNote,
        Links = a.Links.Select(l => new ArticleFile.Link { Title = l.Title, Url = l.Url }).ToList(),
    };
}
