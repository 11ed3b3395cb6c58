using System.Globalization;
using FluentValidation;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.KnowledgeBase;

public enum ImportAction
{
    Nieuw,
    Bijgewerkt,
    Ongewijzigd,
    Afgewezen,
}

/// <param name="Row">The article's number in a JSON file, the line number in a CSV file (the header is line 1).</param>
/// <param name="Notes">Why a row is rejected, or what was adjusted (an unknown team is left empty).</param>
public sealed record ImportRowReport(int Row, string? ExternalId, string? Title, ImportAction Action, IReadOnlyList<string> Notes);

public sealed record ArticleImportReport(bool DryRun, bool Written, IReadOnlyList<ImportRowReport> Rows)
{
    public int Count(ImportAction action) => Rows.Count(r => r.Action == action);
}

/// <summary>
/// Imports articles from the exchange format (JSON or CSV). A dry run reports per row what would be created, updated or
/// rejected and why. The real import writes everything in one transaction, and only when no row is rejected (unless the
/// kennisbeheerder chose to skip rejected rows): nothing is ever half-imported. Rows match on externalId.
/// </summary>
public static class ImportArticles
{
    public const int MaxFileBytes = 20 * 1024 * 1024;

    [AllowedFor(Roles.Kennisbeheerder)]
    public sealed record Command(byte[] Content, string? FileName, bool DryRun, bool SkipRejected = false) : IRequest<Result<ArticleImportReport>>;

    internal sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Content).NotEmpty().WithMessage("Het bestand is leeg.")
                .Must(c => c is null || c.Length <= MaxFileBytes).WithMessage($"Het bestand is te groot: hoogstens {MaxFileBytes / (1024 * 1024)} MB.");
        }
    }

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, ArticleImporter importer)
        : IRequestHandler<Command, Result<ArticleImportReport>>
    {
        public async Task<Result<ArticleImportReport>> Handle(Command request, CancellationToken cancellationToken)
        {
            var parsed = ArticleFile.Read(request.Content, request.FileName);
            if (parsed.Error is not null)
            {
                return Result<ArticleImportReport>.Fail(nameof(Command.Content), parsed.Error);
            }

            var user = await currentUser.GetPrincipalAsync();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var report = await importer.ImportAsync(db, parsed.Rows, new Actor(user.RequireUserId(), user.DisplayName()), request.DryRun, request.SkipRejected, cancellationToken);
            return Result<ArticleImportReport>.Ok(report);
        }
    }
}

/// <summary>The import itself, also used by the demo seeder (which has no signed-in user).</summary>
internal sealed class ArticleImporter(ArticleStore store, ILogger<ArticleImporter> logger)
{
    private static readonly ArticleContentValidator ContentValidator = new();

    public async Task<ArticleImportReport> ImportAsync(
        KccDbContext db, IReadOnlyList<ArticleFile.Row> rows, Actor actor, bool dryRun, bool skipRejected, CancellationToken cancellationToken)
    {
        var topics = await db.Topics.AsNoTracking().ToDictionaryAsync(t => t.Uri, t => t.Id, StringComparer.Ordinal, cancellationToken);
        var teams = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Name, t => t.Id, StringComparer.OrdinalIgnoreCase, cancellationToken);
        var existing = await db.Articles.ToDictionaryAsync(a => a.ExternalId, StringComparer.OrdinalIgnoreCase, cancellationToken);
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var plan = new List<(ImportRowReport Report, ArticleContent? Content)>();

        foreach (var row in rows)
        {
            var record = row.Record;
            if (record is null)
            {
                plan.Add((new ImportRowReport(row.Number, null, null, ImportAction.Afgewezen, [row.Error ?? "De rij kon niet worden gelezen."]), null));
                continue;
            }

            var notes = new List<string>();
            var externalId = record.ExternalId?.Trim();
            if (string.IsNullOrEmpty(externalId))
            {
                notes.Add("externalId ontbreekt.");
            }
            else if (externalId.Length > ArticleLimits.ExternalId)
            {
                notes.Add($"externalId is te lang: hoogstens {ArticleLimits.ExternalId} tekens.");
            }
            else if (seen.TryGetValue(externalId, out var earlier))
            {
                notes.Add($"externalId '{externalId}' staat ook op rij {earlier}.");
            }
            else
            {
                seen[externalId] = row.Number;
            }

            var topicId = 0;
            if (string.IsNullOrWhiteSpace(record.UplUri))
            {
                notes.Add("uplUri ontbreekt.");
            }
            else if (!topics.TryGetValue(record.UplUri.Trim(), out topicId))
            {
                notes.Add($"Onderwerp onbekend: {record.UplUri.Trim()} staat niet in de onderwerpen. Importeer eerst de UPL.");
            }

            var status = ArticleFile.ParseStatus(record.Status);
            if (status is null)
            {
                notes.Add($"Status '{record.Status}' bestaat niet: gebruik concept, gepubliceerd of gearchiveerd.");
            }

            DateOnly? reviewBefore = null;
            if (!string.IsNullOrWhiteSpace(record.ReviewBefore))
            {
                if (DateOnly.TryParseExact(record.ReviewBefore.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    reviewBefore = date;
                }
                else
                {
                    notes.Add($"reviewBefore '{record.ReviewBefore}' is geen datum als 2027-06-30.");
                }
            }

            int? teamId = null;
            var teamNote = (string?)null;
            if (!string.IsNullOrWhiteSpace(record.Team))
            {
                if (teams.TryGetValue(record.Team.Trim(), out var id))
                {
                    teamId = id;
                }
                else
                {
                    teamNote = $"Team '{record.Team.Trim()}' bestaat niet; het artikel krijgt geen team.";
                }
            }

            var content = SaveArticle.Clean(new ArticleContent
            {
                Title = record.Title?.Trim() ?? "",
                TopicId = topicId,
                TeamId = teamId,
                Status = status ?? ArticleStatus.Concept,
                ReviewBefore = reviewBefore,
                QuestionVariants = record.QuestionVariants ?? [],
                Keywords = record.Keywords ?? [],
                WatIsHet = record.Sections?.WatIsHet,
                Voorwaarden = record.Sections?.Voorwaarden,
                WatNeemtUMee = record.Sections?.WatNeemtUMee,
                Kosten = record.Sections?.Kosten,
                HoeLangDuurtHet = record.Sections?.HoeLangDuurtHet,
                Aanvragen = record.Sections?.Aanvragen,
                ShortAnswer = record.ShortAnswer,
                EmailText = record.EmailText,
                InternalNote = record.InternalNote,
                Links = (record.Links ?? []).Select(l => new ArticleLink(l.Title ?? "", l.Url ?? "")).ToList(),
            });
            if (notes.Count == 0)
            {
                var validation = await ContentValidator.ValidateAsync(content, cancellationToken);
                notes.AddRange(validation.Errors.Where(e => e.PropertyName != nameof(ArticleContent.TopicId)).Select(e => e.ErrorMessage).Distinct());
            }

            if (notes.Count > 0)
            {
                plan.Add((new ImportRowReport(row.Number, externalId, record.Title, ImportAction.Afgewezen, notes), null));
                continue;
            }

            var action = !existing.TryGetValue(externalId!, out var article) ? ImportAction.Nieuw
                : article.ToContent().SameAs(content) ? ImportAction.Ongewijzigd : ImportAction.Bijgewerkt;
            plan.Add((new ImportRowReport(row.Number, externalId, content.Title, action, teamNote is null ? [] : [teamNote]), content));
        }

        var rejected = plan.Count(p => p.Report.Action == ImportAction.Afgewezen);
        var write = !dryRun && (rejected == 0 || skipRejected) && plan.Any(p => p.Report.Action is ImportAction.Nieuw or ImportAction.Bijgewerkt);
        if (write)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var (report, content) in plan.Where(p => p.Report.Action is ImportAction.Nieuw or ImportAction.Bijgewerkt))
            {
                if (report.Action == ImportAction.Nieuw)
                {
                    var created = await store.CreateAsync(db, report.ExternalId!, content!, actor, "Geïmporteerd", cancellationToken);
                    existing[created.ExternalId] = created;
                }
                else
                {
                    var article = existing[report.ExternalId!];
                    var before = article.ToContent();
                    await store.UpdateAsync(db, article, content!, actor, "Import: " + ArticleDiff.Summary(before, content!), cancellationToken);
                }
            }

            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Kennisbank import by {Actor}: {Created} created, {Updated} updated, {Rejected} rejected",
                actor.Name, plan.Count(p => p.Report.Action == ImportAction.Nieuw), plan.Count(p => p.Report.Action == ImportAction.Bijgewerkt), rejected);
        }

        return new ArticleImportReport(dryRun, write, plan.Select(p => p.Report).ToList());
    }
}
