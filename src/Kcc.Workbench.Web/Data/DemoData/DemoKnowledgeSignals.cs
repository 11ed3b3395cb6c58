using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.KnowledgeBase;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Data.DemoData;

/// <summary>
/// What agents ran into in the demo kennisbank over the last two months: searches that found nothing and open
/// feedback on a few articles, so "waar de kennisbank tekortschiet" on the dashboard has something to act on.
/// Only when there are no gaps and no feedback yet; fixed random seed.
/// </summary>
internal static class DemoKnowledgeSignals
{
    private static readonly (string Query, string? Topic, int Weight)[] Searches =
    [
        ("kwijtschelding hondenbelasting", "hondenbelasting", 9),
        ("subsidie zonnepanelen", null, 7),
        ("paspoort kwijt in het buitenland", "paspoort", 6),
        ("parkeervergunning tweede auto", "parkeervergunning", 5),
        ("boom kappen eigen tuin", "omgevingsvergunning", 4),
        ("grofvuil matras ophalen kosten", "afvalinzameling grofvuil", 4),
        ("verhuizen naar buitenland doorgeven", "aangifte vertrek buitenland", 3),
        ("energietoeslag aanvragen", null, 3),
        ("rijbewijs verlopen tijdens vakantie", "rijbewijs verlengen", 2),
    ];

    private static readonly (FeedbackKind Kind, string Comment)[] Feedback =
    [
        (FeedbackKind.Verouderd, "De tarieven zijn per 1 januari veranderd."),
        (FeedbackKind.MistIets, "Wat als de inwoner geen DigiD heeft?"),
        (FeedbackKind.Onduidelijk, "Inwoners snappen het woord 'legesverordening' niet."),
        (FeedbackKind.KloptNiet, "De openingstijden van de balie kloppen niet meer."),
    ];

    public static async Task SeedAsync(IDbContextFactory<KccDbContext> factory, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (await db.KnowledgeGaps.AnyAsync(cancellationToken) || await db.ArticleFeedback.AnyAsync(cancellationToken))
        {
            return;
        }

        var agent = await db.Users.Where(u => u.UserName == "fo.demo").Select(u => new { u.Id, u.DisplayName }).FirstOrDefaultAsync(cancellationToken);
        if (agent is null)
        {
            return;
        }

        var random = new Random(20261126);
        var now = clock.GetUtcNow().UtcDateTime;
        var topics = await db.Topics.ToDictionaryAsync(t => t.Name, t => t.Id, cancellationToken);
        var channels = new[] { Channel.Telefoon, Channel.Telefoon, Channel.Balie, Channel.Email, Channel.WhatsApp };
        foreach (var (query, topic, weight) in Searches)
        {
            for (var i = 0; i < weight * 2; i++)
            {
                db.KnowledgeGaps.Add(new KnowledgeGap
                {
                    Query = i % 3 == 1 ? char.ToUpperInvariant(query[0]) + query[1..] : query,
                    AgentId = agent.Id,
                    Channel = channels[random.Next(channels.Length)],
                    TopicId = topic is null ? null : topics.GetValueOrDefault(topic),
                    CreatedAt = now.AddDays(-random.Next(60)).AddMinutes(-random.Next(480)),
                });
            }
        }

        var articles = await db.Articles.Where(a => a.Status == ArticleStatus.Gepubliceerd).OrderBy(a => a.Id).Select(a => a.Id).Take(12).ToListAsync(cancellationToken);
        for (var i = 0; i < articles.Count; i += 3)
        {
            var (kind, comment) = Feedback[i / 3 % Feedback.Length];
            for (var n = 0; n <= i % 4; n++)
            {
                db.ArticleFeedback.Add(new ArticleFeedback
                {
                    ArticleId = articles[i],
                    Kind = kind,
                    Comment = comment,
                    AgentId = agent.Id,
                    AgentName = agent.DisplayName,
                    CreatedAt = now.AddDays(-random.Next(20)),
                });
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
