using FluentValidation;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.KnowledgeBase;

public sealed record FeedbackItem(
    int Id, int ArticleId, string ArticleTitle, string? OwnerName, FeedbackKind Kind, string? Comment, string AgentName, DateTime CreatedAt,
    int? VersionNumber, DateTime? ClosedAt, string? ClosedByName, string? Reply);

/// <summary>
/// Agents tell the kennisbank what is wrong with an article in two clicks; the feedback lands in the list of the
/// kennisbeheerder who owns the article, who closes it with a reply the agent can read.
/// </summary>
public static class ArticleFeedbacks
{
    public const int CommentLength = 1000;

    [AllowedFor(Roles.Frontoffice, Roles.Backoffice, Roles.Teamleider)]
    public sealed record Give(int ArticleId, FeedbackKind Kind, string? Comment) : IRequest<Result<int>>;

    /// <param name="MineOnly">Only feedback on articles the signed-in kennisbeheerder owns.</param>
    [AllowedFor(Roles.Kennisbeheerder)]
    public sealed record List(bool OpenOnly = true, bool MineOnly = false, int? ArticleId = null) : IRequest<IReadOnlyList<FeedbackItem>>;

    [AllowedFor(Roles.Kennisbeheerder)]
    public sealed record Close(int FeedbackId, string? Reply) : IRequest<Result>;

    /// <summary>The agent's own feedback with the kennisbank's replies: the loop closes where it started.</summary>
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice, Roles.Teamleider)]
    public sealed record Mine(int Max = 20) : IRequest<IReadOnlyList<FeedbackItem>>;

    internal sealed class GiveValidator : AbstractValidator<Give>
    {
        public GiveValidator()
        {
            RuleFor(g => g.Kind).IsInEnum().WithMessage("Kies wat er mis is: klopt niet, verouderd, onduidelijk of mist iets.");
            RuleFor(g => g.Comment).MaximumLength(CommentLength).WithMessage($"De toelichting is te lang: hoogstens {CommentLength} tekens.");
        }
    }

    internal sealed class CloseValidator : AbstractValidator<Close>
    {
        public CloseValidator()
        {
            RuleFor(c => c.Reply).NotEmpty().WithMessage("Schrijf een kort antwoord aan de medewerker: wat heeft u gedaan?")
                .MaximumLength(CommentLength).WithMessage($"Het antwoord is te lang: hoogstens {CommentLength} tekens.");
        }
    }

    internal sealed class Handlers(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, TimeProvider clock, Audit.IAuditLog audit)
        : IRequestHandler<Give, Result<int>>, IRequestHandler<List, IReadOnlyList<FeedbackItem>>, IRequestHandler<Close, Result>,
          IRequestHandler<Mine, IReadOnlyList<FeedbackItem>>
    {
        public async Task<Result<int>> Handle(Give request, CancellationToken cancellationToken)
        {
            var user = await currentUser.GetPrincipalAsync();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var article = await db.Articles.AsNoTracking().Where(a => a.Id == request.ArticleId && a.Status == ArticleStatus.Gepubliceerd)
                .Select(a => new { a.Id, a.CurrentVersionId }).FirstOrDefaultAsync(cancellationToken);
            if (article is null)
            {
                return Result<int>.Fail(nameof(Give.ArticleId), "Dit artikel bestaat niet (meer).");
            }

            var feedback = new ArticleFeedback
            {
                ArticleId = article.Id,
                ArticleVersionId = article.CurrentVersionId,
                Kind = request.Kind,
                Comment = string.IsNullOrWhiteSpace(request.Comment) ? null : request.Comment.Trim(),
                AgentId = user.RequireUserId(),
                AgentName = user.DisplayName(),
                CreatedAt = clock.GetUtcNow().UtcDateTime,
            };
            db.ArticleFeedback.Add(feedback);
            // The audit entry names the feedback's id, so the feedback is saved first, in the same transaction.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            audit.Record(db, user, "feedback.gegeven", "ArticleFeedback", feedback.Id.ToString(DutchFormat.Culture),
                $"Artikel {article.Id.ToString(DutchFormat.Culture)}: {request.Kind.Label()}");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Result<int>.Ok(feedback.Id);
        }

        public async Task<IReadOnlyList<FeedbackItem>> Handle(List request, CancellationToken cancellationToken)
        {
            var userId = (await currentUser.GetPrincipalAsync()).RequireUserId();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var feedback = db.ArticleFeedback.AsNoTracking();
            if (request.OpenOnly)
            {
                feedback = feedback.Where(f => f.ClosedAt == null);
            }

            if (request.MineOnly)
            {
                feedback = feedback.Where(f => f.Article!.OwnerId == userId);
            }

            if (request.ArticleId is { } articleId)
            {
                feedback = feedback.Where(f => f.ArticleId == articleId);
            }

            return await ToItems(db, feedback, 500).ToListAsync(cancellationToken);
        }

        public async Task<IReadOnlyList<FeedbackItem>> Handle(Mine request, CancellationToken cancellationToken)
        {
            var userId = (await currentUser.GetPrincipalAsync()).RequireUserId();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            return await ToItems(db, db.ArticleFeedback.AsNoTracking().Where(f => f.AgentId == userId), Math.Clamp(request.Max, 1, 200)).ToListAsync(cancellationToken);
        }

        private static IQueryable<FeedbackItem> ToItems(KccDbContext db, IQueryable<ArticleFeedback> feedback, int max) =>
            feedback.OrderByDescending(f => f.CreatedAt).Take(max)
                .Select(f => new FeedbackItem(
                    f.Id, f.ArticleId, f.Article!.Title, f.Article.OwnerName, f.Kind, f.Comment, f.AgentName, f.CreatedAt,
                    db.ArticleVersions.Where(v => v.Id == f.ArticleVersionId).Select(v => (int?)v.Number).FirstOrDefault(),
                    f.ClosedAt, f.ClosedByName, f.Reply));

        public async Task<Result> Handle(Close request, CancellationToken cancellationToken)
        {
            var user = await currentUser.GetPrincipalAsync();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var feedback = await db.ArticleFeedback.FirstOrDefaultAsync(f => f.Id == request.FeedbackId, cancellationToken);
            if (feedback is null)
            {
                return Result.Fail(nameof(Close.FeedbackId), "Deze feedback bestaat niet.");
            }

            if (feedback.ClosedAt is not null)
            {
                return Result.Fail(nameof(Close.FeedbackId), $"Deze feedback is al afgesloten door {feedback.ClosedByName}.");
            }

            feedback.ClosedAt = clock.GetUtcNow().UtcDateTime;
            feedback.ClosedByName = user.DisplayName();
            feedback.Reply = request.Reply!.Trim();
            audit.Record(db, user, "feedback.afgesloten", "ArticleFeedback", feedback.Id.ToString(DutchFormat.Culture),
                $"Artikel {feedback.ArticleId.ToString(DutchFormat.Culture)}: afgesloten met antwoord");
            await db.SaveChangesAsync(cancellationToken);
            return Result.Ok();
        }
    }
}
