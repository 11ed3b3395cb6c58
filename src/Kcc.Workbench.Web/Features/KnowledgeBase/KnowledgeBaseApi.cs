using System.Globalization;
using System.Threading.RateLimiting;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.KnowledgeBase;

public sealed class KnowledgeBaseApiOptions
{
    /// <summary>Requests per client IP address per window.</summary>
    public int PermitLimit { get; set; } = 60;

    public int WindowSeconds { get; set; } = 60;
}

/// <summary>A published article in the public API. Never carries the internal werkinstructie.</summary>
/// <param name="Answer">The resident answer (all sections) as sanitized HTML.</param>
/// <param name="Url">Where this article's full record is in the API.</param>
public sealed record PublicArticleHit(int Id, string Title, string UplUri, string UplName, string Answer, string? ShortAnswer, string Url, double Score);

public sealed record PublicSection(string Key, string Heading, string Html);

public sealed record PublicLink(string Title, string Url);

public sealed record PublicArticle(
    int Id, string Title, string UplUri, string UplName, string Answer, string? ShortAnswer, string? EmailText,
    IReadOnlyList<PublicSection> Sections, IReadOnlyList<PublicLink> Links, IReadOnlyList<string> QuestionVariants, int Version, DateTime UpdatedAt, string Url);

/// <summary>
/// The kennisbank for other channels (the municipality's website, the chat bot): the very answers agents give, read-only,
/// published articles only, anonymous and rate limited per client. Deliberately outside the mediator: the pipeline serves
/// signed-in employees, and this is the one anonymous reader; it can only ever see published articles.
/// </summary>
public static class KnowledgeBaseApi
{
    public const string RateLimitPolicy = "kennisbank-api";
    public const string DocumentName = "kennisbank";
    public const string BasePath = "/api/v1/kennisbank";

    public static IServiceCollection AddKnowledgeBaseApi(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("Kcc:Kennisbank:Api").Get<KnowledgeBaseApiOptions>() ?? new KnowledgeBaseApiOptions();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(RateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "onbekend",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = Math.Max(1, options.PermitLimit),
                    Window = TimeSpan.FromSeconds(Math.Max(1, options.WindowSeconds)),
                    QueueLimit = 0,
                }));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(options.WindowSeconds);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                if (!context.HttpContext.Request.Path.StartsWithSegments("/api"))
                {
                    // The sign-in limit (Features/Account/SignInRateLimit): a person reads this, not a program.
                    context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                    await context.HttpContext.Response.WriteAsync("Te veel inlogpogingen vanaf dit apparaat. Wacht een minuut en probeer het opnieuw.", cancellationToken);
                    return;
                }

                await context.HttpContext.Response.WriteAsJsonAsync(
                    new ProblemDetails { Status = 429, Title = "Te veel verzoeken", Detail = "Probeer het na de tijd in de kop Retry-After opnieuw." }, cancellationToken);
            };
        });
        services.AddOpenApi(DocumentName, openApi =>
        {
            openApi.ShouldInclude = description => description.GroupName == DocumentName;
            openApi.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Kennisbank API van de KCC Werkplek";
                document.Info.Version = "v1";
                document.Info.Description =
                    "Dezelfde antwoorden als de medewerkers van het KCC geven, voor de website en de chat. Alleen gepubliceerde artikelen; " +
                    $"geen interne werkinstructies. Zonder inloggen, met een limiet per client ({options.PermitLimit} verzoeken per {options.WindowSeconds} s; daarboven 429 met Retry-After).";
                return Task.CompletedTask;
            });
        });
        services.AddTransient<PublicArticles>();
        return services;
    }

    public static WebApplication MapKnowledgeBaseApi(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();

        var api = app.MapGroup(BasePath).WithGroupName(DocumentName).WithTags("Kennisbank").AllowAnonymous().RequireRateLimiting(RateLimitPolicy);
        api.MapGet("/zoeken", async Task<Results<Ok<IReadOnlyList<PublicArticleHit>>, BadRequest<ProblemDetails>>> (
                [FromQuery] string? q, [FromQuery] int? top, [FromQuery] string? onderwerp, PublicArticles articles, HttpContext http, CancellationToken cancellationToken) =>
            {
                if (string.IsNullOrWhiteSpace(q) || q.Trim().Length < SearchArticles.MinLength || q.Length > 500)
                {
                    return TypedResults.BadRequest(new ProblemDetails { Status = 400, Title = "Zoekvraag ontbreekt", Detail = "Geef met q een zoekvraag van 2 tot 500 tekens." });
                }

                if (onderwerp?.Length > 400)
                {
                    return TypedResults.BadRequest(new ProblemDetails { Status = 400, Title = "Onderwerp te lang", Detail = "Geef met onderwerp een UPL-naam of UPL-URI van hooguit 400 tekens." });
                }

                var hits = await articles.SearchAsync(q, Math.Clamp(top ?? 5, 1, 20), onderwerp, BaseUrl(http), cancellationToken);
                return hits is null
                    ? TypedResults.BadRequest(new ProblemDetails { Status = 400, Title = "Onbekend onderwerp", Detail = $"Er is geen onderwerp met de UPL-naam of UPL-URI ‘{onderwerp}’." })
                    : TypedResults.Ok(hits);
            })
            .WithName("ZoekArtikelen")
            .WithSummary("Zoek gepubliceerde kennisartikelen")
            .WithDescription("Nederlandstalig zoeken (zonder accenten, met stamvormen, synoniemen en één tikfout per woord van vijf letters of meer); " +
                "een artikel dat een deel van de woorden bevat telt ook mee, het artikel dat de hele vraag beantwoordt komt eerst. top: 1 tot 20, standaard 5. " +
                "onderwerp (mag leeg): het onderwerp van de vraag als UPL-naam (paspoort) of UPL-URI (http://standaarden.overheid.nl/owms/terms/paspoort); " +
                "de artikelen van dat onderwerp komen dan eerst, behalve als de vraag duidelijk een ander product noemt.")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        // A 404 with a body: the app's status code pages would otherwise replace an empty 404 with the workbench's HTML page.
        api.MapGet("/artikelen/{id:int}", async Task<Results<Ok<PublicArticle>, ProblemHttpResult>> (int id, PublicArticles articles, HttpContext http, CancellationToken cancellationToken) =>
                await articles.GetAsync(id, BaseUrl(http), cancellationToken) is { } article
                    ? TypedResults.Ok(article)
                    : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Artikel niet gevonden", detail: "Er is geen gepubliceerd artikel met dit nummer."))
            .WithName("LeesArtikel")
            .WithSummary("Eén gepubliceerd kennisartikel")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        // The kennisbeheerder's export: a file download, so an HTTP endpoint rather than a component.
        app.MapGet("/kennisbank/export", async ([FromQuery(Name = "formaat")] string? format, IMediator mediator, CancellationToken cancellationToken) =>
            {
                var file = await mediator.Send(new ExportArticles.Query(string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase) ? ExportFormat.Csv : ExportFormat.Json), cancellationToken);
                return TypedResults.File(file.Content, file.ContentType, file.FileName);
            })
            .RequireAuthorization(new AuthorizeAttribute { Roles = Roles.Kennisbeheerder })
            .ExcludeFromDescription();
        return app;
    }

    private static string BaseUrl(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{BasePath}";
}

/// <summary>Published articles for the public API, through the same search engine as the agents' panel.</summary>
internal sealed class PublicArticles(IDbContextFactory<KccDbContext> dbFactory, ISearchEngine engine)
{
    private static readonly ArticleStatus[] Published = [ArticleStatus.Gepubliceerd];

    /// <summary>Null when <paramref name="topic"/> is given but names no known topic.</summary>
    public async Task<IReadOnlyList<PublicArticleHit>?> SearchAsync(string query, int top, string? topic, string baseUrl, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        IReadOnlyCollection<int>? topicArticles = null;
        if (!string.IsNullOrWhiteSpace(topic))
        {
            var wanted = topic.Trim();
            var folded = Parties.Identifiers.FoldForSearch(wanted);
            var topicId = await db.Topics.AsNoTracking().Where(t => t.Uri == wanted || t.SearchName == folded).OrderBy(t => t.Uri == wanted ? 0 : 1).Select(t => (int?)t.Id)
                .FirstOrDefaultAsync(cancellationToken);
            if (topicId is null)
            {
                return null;
            }

            topicArticles = await SearchArticles.TopicArticlesAsync(db, topicId, Published, cancellationToken);
        }

        var hits = await engine.SearchAsync(db, new SearchQuery(query, Published, top, topicArticles), cancellationToken);
        var ids = hits.Select(h => h.ArticleId).ToList();
        var articles = await db.Articles.AsNoTracking().Include(a => a.Topic)
            .Where(a => ids.Contains(a.Id) && a.Status == ArticleStatus.Gepubliceerd)
            .ToDictionaryAsync(a => a.Id, cancellationToken);
        return hits.Where(h => articles.ContainsKey(h.ArticleId)).Select(h =>
        {
            var a = articles[h.ArticleId];
            return new PublicArticleHit(a.Id, a.Title, a.Topic!.Uri, a.Topic.Name, ArticleText.ResidentAnswerHtml(a.ToContent()), a.ShortAnswer,
                $"{baseUrl}/artikelen/{a.Id}", Math.Round(h.Score, 3));
        }).ToList();
    }

    public async Task<PublicArticle?> GetAsync(int id, string baseUrl, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var a = await db.Articles.AsNoTracking().Include(x => x.Topic).FirstOrDefaultAsync(x => x.Id == id && x.Status == ArticleStatus.Gepubliceerd, cancellationToken);
        if (a is null)
        {
            return null;
        }

        var content = a.ToContent();
        return new PublicArticle(
            a.Id, a.Title, a.Topic!.Uri, a.Topic.Name, ArticleText.ResidentAnswerHtml(content), a.ShortAnswer, a.EmailText,
            ArticleSections.All.Where(s => !string.IsNullOrWhiteSpace(s.Get(content))).Select(s => new PublicSection(s.Key, s.Heading, ArticleText.ToHtml(s.Get(content)))).ToList(),
            a.Links.Where(l => ArticleContentValidator.IsSafeUrl(l.Url)).Select(l => new PublicLink(l.Title, l.Url)).ToList(),
            a.QuestionVariants, a.Version, a.UpdatedAt, $"{baseUrl}/artikelen/{a.Id}");
    }
}
