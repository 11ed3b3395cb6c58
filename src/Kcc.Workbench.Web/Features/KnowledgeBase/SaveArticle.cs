using FluentValidation;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.KnowledgeBase;

public sealed record SavedArticle(int Id, int Version, bool Changed);

/// <summary>
/// Creates an article or saves a new version of it. The editor sends the version it started from; when someone else
/// saved in between, nothing is overwritten and the editor says so.
/// </summary>
public static class SaveArticle
{
    public const string ConcurrencyMessage =
        "Iemand anders heeft dit artikel opgeslagen nadat u het opende. Uw wijzigingen zijn niet opgeslagen. " +
        "Kopieer wat u wilt bewaren, laad de nieuwste versie en voer uw wijziging opnieuw in.";

    [AllowedFor(Roles.Kennisbeheerder)]
    public sealed record Command(int? ArticleId, int ExpectedVersion, ArticleContent Content) : IRequest<Result<SavedArticle>>;

    internal sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Content).NotNull().WithMessage("Vul het artikel in: titel, onderwerp en tekst.").SetValidator(new ArticleContentValidator());
        }
    }

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, ArticleStore store)
        : IRequestHandler<Command, Result<SavedArticle>>
    {
        public async Task<Result<SavedArticle>> Handle(Command request, CancellationToken cancellationToken)
        {
            var user = await currentUser.GetPrincipalAsync();
            var actor = new Actor(user.RequireUserId(), user.DisplayName());
            var content = Clean(request.Content);
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            if (await CheckReferencesAsync(db, content, cancellationToken) is { } failed)
            {
                return failed;
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            try
            {
                if (request.ArticleId is not { } id)
                {
                    var externalId = await ArticleStore.NewExternalIdAsync(db, content.Title, cancellationToken);
                    var created = await store.CreateAsync(db, externalId, content, actor, "Nieuw artikel", cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                    return Result<SavedArticle>.Ok(new SavedArticle(created.Id, created.Version, true));
                }

                var article = await db.Articles.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
                if (article is null)
                {
                    return Result<SavedArticle>.Fail("", "Dit artikel bestaat niet meer.");
                }

                if (article.Version != request.ExpectedVersion)
                {
                    return Result<SavedArticle>.Fail("Version", ConcurrencyMessage);
                }

                if (article.ToContent().SameAs(content))
                {
                    return Result<SavedArticle>.Ok(new SavedArticle(article.Id, article.Version, false));
                }

                await store.UpdateAsync(db, article, content, actor, null, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return Result<SavedArticle>.Ok(new SavedArticle(article.Id, article.Version, true));
            }
            catch (DbUpdateConcurrencyException)
            {
                return Result<SavedArticle>.Fail("Version", ConcurrencyMessage);
            }
        }
    }

    internal static async Task<Result<SavedArticle>?> CheckReferencesAsync(KccDbContext db, ArticleContent content, CancellationToken cancellationToken)
    {
        if (!await db.Topics.AnyAsync(t => t.Id == content.TopicId, cancellationToken))
        {
            return Result<SavedArticle>.Fail("Content.TopicId", "Dit onderwerp bestaat niet. Kies een onderwerp uit de lijst.");
        }

        if (content.TeamId is { } teamId && !await db.Teams.AnyAsync(t => t.Id == teamId, cancellationToken))
        {
            return Result<SavedArticle>.Fail("Content.TeamId", "Dit team bestaat niet. Kies een team uit de lijst.");
        }

        return null;
    }

    /// <summary>Trims what people type around text and drops empty list entries, so "nothing changed" is honest.</summary>
    internal static ArticleContent Clean(ArticleContent content) => content with
    {
        Title = content.Title.Trim(),
        QuestionVariants = content.QuestionVariants.Select(v => v.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
        Keywords = content.Keywords.Select(v => v.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
        WatIsHet = NullIfEmpty(content.WatIsHet),
        Voorwaarden = NullIfEmpty(content.Voorwaarden),
        WatNeemtUMee = NullIfEmpty(content.WatNeemtUMee),
        Kosten = NullIfEmpty(content.Kosten),
        HoeLangDuurtHet = NullIfEmpty(content.HoeLangDuurtHet),
        Aanvragen = NullIfEmpty(content.Aanvragen),
        ShortAnswer = NullIfEmpty(content.ShortAnswer),
        EmailText = NullIfEmpty(content.EmailText),
        InternalNote = NullIfEmpty(content.InternalNote),
        Links = content.Links.Select(l => new ArticleLink(l.Title.Trim(), l.Url.Trim())).Where(l => l.Title.Length + l.Url.Length > 0).ToList(),
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim().Replace("\r\n", "\n", StringComparison.Ordinal);
}
