using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.KnowledgeBase;

public sealed record VersionListItem(int Id, int Number, DateTime CreatedAt, string CreatedByName, string Summary);

public sealed record VersionComparison(int From, int To, IReadOnlyList<ArticleDiff.FieldChange> Changes);

/// <summary>An article's versions, the difference between two of them, and putting an old one back (as a new version).</summary>
public static class ArticleHistory
{
    [AllowedFor(Roles.Kennisbeheerder)]
    public sealed record ListVersions(int ArticleId) : IRequest<IReadOnlyList<VersionListItem>>;

    [AllowedFor(Roles.Kennisbeheerder)]
    public sealed record Compare(int ArticleId, int FromNumber, int ToNumber) : IRequest<VersionComparison?>;

    /// <summary>Puts the content of version <see cref="Number"/> back as a new version; the status stays as it is now.</summary>
    [AllowedFor(Roles.Kennisbeheerder)]
    public sealed record Restore(int ArticleId, int Number, int ExpectedVersion) : IRequest<Result<SavedArticle>>;

    internal sealed class Handlers(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, ArticleStore store)
        : IRequestHandler<ListVersions, IReadOnlyList<VersionListItem>>, IRequestHandler<Compare, VersionComparison?>, IRequestHandler<Restore, Result<SavedArticle>>
    {
        public async Task<IReadOnlyList<VersionListItem>> Handle(ListVersions request, CancellationToken cancellationToken)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            return await db.ArticleVersions.AsNoTracking()
                .Where(v => v.ArticleId == request.ArticleId)
                .OrderByDescending(v => v.Number)
                .Select(v => new VersionListItem(v.Id, v.Number, v.CreatedAt, v.CreatedByName, v.Summary))
                .ToListAsync(cancellationToken);
        }

        public async Task<VersionComparison?> Handle(Compare request, CancellationToken cancellationToken)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var numbers = new[] { request.FromNumber, request.ToNumber };
            var versions = await db.ArticleVersions.AsNoTracking()
                .Where(v => v.ArticleId == request.ArticleId && numbers.Contains(v.Number))
                .ToDictionaryAsync(v => v.Number, cancellationToken);
            if (!versions.TryGetValue(request.FromNumber, out var from) || !versions.TryGetValue(request.ToNumber, out var to))
            {
                return null;
            }

            var topics = await db.Topics.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
            var teams = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
            var changes = ArticleDiff.Compare(from.Content(), to.Content(),
                id => topics.GetValueOrDefault(id) ?? "?", id => id is { } t ? teams.GetValueOrDefault(t) ?? "?" : "");
            return new VersionComparison(request.FromNumber, request.ToNumber, changes);
        }

        public async Task<Result<SavedArticle>> Handle(Restore request, CancellationToken cancellationToken)
        {
            var user = await currentUser.GetPrincipalAsync();
            var actor = new Actor(user.RequireUserId(), user.DisplayName());
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var article = await db.Articles.FirstOrDefaultAsync(a => a.Id == request.ArticleId, cancellationToken);
            var version = await db.ArticleVersions.AsNoTracking().FirstOrDefaultAsync(v => v.ArticleId == request.ArticleId && v.Number == request.Number, cancellationToken);
            if (article is null || version is null)
            {
                return Result<SavedArticle>.Fail("", "Deze versie bestaat niet.");
            }

            if (article.Version != request.ExpectedVersion)
            {
                return Result<SavedArticle>.Fail("Version", SaveArticle.ConcurrencyMessage);
            }

            var content = version.Content() with { Status = article.Status };
            if (await SaveArticle.CheckReferencesAsync(db, content, cancellationToken) is { } failed)
            {
                return failed;
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            try
            {
                await store.UpdateAsync(db, article, content, actor, $"Teruggezet naar versie {request.Number}", cancellationToken, restoredFrom: request.Number);
                await transaction.CommitAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Result<SavedArticle>.Fail("Version", SaveArticle.ConcurrencyMessage);
            }

            return Result<SavedArticle>.Ok(new SavedArticle(article.Id, article.Version, true));
        }
    }
}
