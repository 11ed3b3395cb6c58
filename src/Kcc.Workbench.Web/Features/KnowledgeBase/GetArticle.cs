using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.KnowledgeBase;

public sealed record ArticleDetails(
    int Id,
    string ExternalId,
    int Version,
    int? CurrentVersionId,
    ArticleContent Content,
    string TopicName,
    string TopicUri,
    string? TeamName,
    string? OwnerName,
    DateTime UpdatedAt,
    string? UpdatedByName);

/// <summary>One article as it is now. Agents and team leads only see published articles; kennisbeheerders see every status.</summary>
public static class GetArticle
{
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice, Roles.Teamleider, Roles.Kennisbeheerder)]
    public sealed record Query(int ArticleId) : IRequest<ArticleDetails?>;

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser) : IRequestHandler<Query, ArticleDetails?>
    {
        public async Task<ArticleDetails?> Handle(Query request, CancellationToken cancellationToken)
        {
            var editor = (await currentUser.GetPrincipalAsync()).IsInRole(Roles.Kennisbeheerder);
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var article = await db.Articles.AsNoTracking().Include(a => a.Topic).Include(a => a.Team)
                .FirstOrDefaultAsync(a => a.Id == request.ArticleId && (editor || a.Status == ArticleStatus.Gepubliceerd), cancellationToken);
            return article is null ? null : ToDetails(article);
        }
    }

    internal static ArticleDetails ToDetails(Article article) => new(
        article.Id, article.ExternalId, article.Version, article.CurrentVersionId, article.ToContent(),
        article.Topic?.Name ?? "", article.Topic?.Uri ?? "", article.Team?.Name, article.OwnerName, article.UpdatedAt, article.UpdatedByName);
}
