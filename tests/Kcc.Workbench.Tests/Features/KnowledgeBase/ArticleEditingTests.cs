using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.KnowledgeBase;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Tests.Features.KnowledgeBase;

/// <summary>Saving, versions, differences, restoring, concurrent editors, feedback and knowledge gaps.</summary>
public class ArticleEditingTests
{
    private static async Task<(TestApp App, int TopicId)> StartAsync()
    {
        var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Kennisbeheerder, "kb", "Koen Bakker");
        return (app, await app.TopicIdAsync("paspoort"));
    }

    private static ArticleContent Content(int topicId, string kosten = "€ 84,70", ArticleStatus status = ArticleStatus.Gepubliceerd) => new()
    {
        Title = "Paspoort aanvragen",
        TopicId = topicId,
        Status = status,
        QuestionVariants = ["Hoe vraag ik een paspoort aan?"],
        WatIsHet = "Met een paspoort reist u.",
        Kosten = kosten,
        ShortAnswer = "Maak een afspraak.",
        InternalNote = "Spoed: doorverbinden.",
    };

    [Fact]
    public async Task Every_save_adds_a_version_with_who_when_and_what_changed()
    {
        var (app, topicId) = await StartAsync();
        await using var _ = app;

        var created = await app.SendAsync(new SaveArticle.Command(null, 0, Content(topicId)));
        app.Clock.Advance(TimeSpan.FromHours(1));
        var updated = await app.SendAsync(new SaveArticle.Command(created.Value!.Id, 1, Content(topicId, "€ 90,00")));

        Assert.True(updated.Succeeded, updated.AllErrors);
        Assert.Equal(2, updated.Value!.Version);
        var versions = await app.SendAsync(new ArticleHistory.ListVersions(created.Value.Id));
        Assert.Equal([2, 1], versions.Select(v => v.Number));
        Assert.Equal("Gewijzigd: Kosten", versions[0].Summary);
        Assert.Equal("Nieuw artikel", versions[1].Summary);
        Assert.Equal("Koen Bakker", versions[0].CreatedByName);
        Assert.Equal(TestApp.DefaultNow.UtcDateTime.AddHours(1), versions[0].CreatedAt);
        await using var db = await app.CreateDbContextAsync();
        Assert.Equal("paspoort-aanvragen", (await db.Articles.SingleAsync()).ExternalId);
    }

    [Fact]
    public async Task Saving_without_changes_adds_no_version()
    {
        var (app, topicId) = await StartAsync();
        await using var _ = app;
        var created = await app.SendAsync(new SaveArticle.Command(null, 0, Content(topicId)));

        var again = await app.SendAsync(new SaveArticle.Command(created.Value!.Id, 1, Content(topicId) with { Title = "  Paspoort aanvragen " }));

        Assert.False(again.Value!.Changed);
        Assert.Single(await app.SendAsync(new ArticleHistory.ListVersions(created.Value.Id)));
    }

    [Fact]
    public async Task The_second_editor_who_saves_an_old_version_is_told_and_overwrites_nothing()
    {
        var (app, topicId) = await StartAsync();
        await using var _ = app;
        var created = await app.SendAsync(new SaveArticle.Command(null, 0, Content(topicId)));
        await app.SendAsync(new SaveArticle.Command(created.Value!.Id, 1, Content(topicId, "€ 90,00")));

        var late = await app.SendAsync(new SaveArticle.Command(created.Value.Id, 1, Content(topicId, "€ 70,00")));

        Assert.False(late.Succeeded);
        Assert.Contains("Iemand anders heeft dit artikel opgeslagen", late.ErrorFor("Version"), StringComparison.Ordinal);
        Assert.Equal("€ 90,00", (await app.SendAsync(new GetArticle.Query(created.Value.Id)))!.Content.Kosten);
    }

    [Fact]
    public async Task Shows_the_difference_between_two_versions_per_field_as_lines()
    {
        var (app, topicId) = await StartAsync();
        await using var _ = app;
        var created = await app.SendAsync(new SaveArticle.Command(null, 0, Content(topicId, "- 18 jaar en ouder: € 84,70\n- Jonger: € 63,20")));
        await app.SendAsync(new SaveArticle.Command(created.Value!.Id, 1, Content(topicId, "- 18 jaar en ouder: € 90,00\n- Jonger: € 63,20") with { Status = ArticleStatus.Gearchiveerd }));

        var comparison = (await app.SendAsync(new ArticleHistory.Compare(created.Value.Id, 1, 2)))!;

        Assert.Equal(["Status", "Kosten"], comparison.Changes.Select(c => c.Field));
        var kosten = comparison.Changes.Single(c => c.Field == "Kosten").Lines;
        Assert.Equal(
            [(ArticleDiff.LineKind.Removed, "- 18 jaar en ouder: € 84,70"), (ArticleDiff.LineKind.Added, "- 18 jaar en ouder: € 90,00"), (ArticleDiff.LineKind.Same, "- Jonger: € 63,20")],
            kosten.Select(l => (l.Kind, l.Text)));
    }

    [Fact]
    public async Task Restoring_an_old_version_adds_a_new_version_with_the_old_text()
    {
        var (app, topicId) = await StartAsync();
        await using var _ = app;
        var created = await app.SendAsync(new SaveArticle.Command(null, 0, Content(topicId)));
        await app.SendAsync(new SaveArticle.Command(created.Value!.Id, 1, Content(topicId, "€ 999 (fout)")));

        var restored = await app.SendAsync(new ArticleHistory.Restore(created.Value.Id, 1, ExpectedVersion: 2));

        Assert.True(restored.Succeeded, restored.AllErrors);
        Assert.Equal(3, restored.Value!.Version);
        Assert.Equal("€ 84,70", (await app.SendAsync(new GetArticle.Query(created.Value.Id)))!.Content.Kosten);
        Assert.Equal("Teruggezet naar versie 1", (await app.SendAsync(new ArticleHistory.ListVersions(created.Value.Id)))[0].Summary);
    }

    [Theory]
    [InlineData("", "Content.Title", "Vul een titel in.")]
    [InlineData("kort", "Content.ShortAnswer", "Het korte antwoord is te lang")]
    [InlineData("link", "Content.Links[0].Url", "Een link moet beginnen met https://")]
    [InlineData("leeg", "Content.WatIsHet", "Een gepubliceerd artikel heeft een antwoord voor de inwoner")]
    public async Task Refuses_invalid_content_with_dutch_messages(string what, string field, string message)
    {
        var (app, topicId) = await StartAsync();
        await using var _ = app;
        var content = what switch
        {
            "" => Content(topicId) with { Title = " " },
            "kort" => Content(topicId) with { ShortAnswer = new string('x', 501) },
            "link" => Content(topicId) with { Links = [new ArticleLink("Klik", "javascript:alert(1)")] },
            _ => Content(topicId) with { WatIsHet = null, Kosten = null },
        };

        var result = await app.SendAsync(new SaveArticle.Command(null, 0, content));

        Assert.False(result.Succeeded);
        Assert.Contains(message, result.ErrorFor(field), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_contact_records_the_article_version_the_agent_used_and_the_contact_shows_it()
    {
        var (app, topicId) = await StartAsync();
        await using var _ = app;
        var created = await app.SendAsync(new SaveArticle.Command(null, 0, Content(topicId)));
        await app.SignInAsAsync(Roles.Frontoffice);
        var hit = (await app.SendAsync(new SearchArticles.Query("paspoort aanvragen", Channel.WhatsApp)))[0];

        var logged = await app.SendAsync(new LogContact.Command
        {
            Channel = Channel.WhatsApp,
            StartedAt = app.Clock.GetUtcNow().UtcDateTime,
            Questions = [new() { TopicId = topicId, Text = "Paspoort?", Answer = hit.ChannelText.Text, Outcome = Outcome.Beantwoord, ArticleId = hit.ArticleId, ArticleVersionId = hit.VersionId }],
        });

        Assert.True(logged.Succeeded, logged.AllErrors);
        var contact = (await app.SendAsync(new GetContact.Query(logged.Value)))!;
        var use = contact.Questions[0].Article!;
        Assert.Equal((created.Value!.Id, 1, "Paspoort aanvragen"), (use.ArticleId, use.VersionNumber, use.Title));
        Assert.Equal("Paspoort aanvragen (versie 1 van 24 nov 2026)", use.Describe());
    }

    [Fact]
    public async Task A_contact_cannot_claim_a_version_of_another_article()
    {
        var (app, topicId) = await StartAsync();
        await using var _ = app;
        var first = await app.SendAsync(new SaveArticle.Command(null, 0, Content(topicId)));
        var second = await app.SendAsync(new SaveArticle.Command(null, 0, Content(topicId) with { Title = "Ander artikel" }));
        await using var db = await app.CreateDbContextAsync();
        var versionOfSecond = await db.ArticleVersions.Where(v => v.ArticleId == second.Value!.Id).Select(v => v.Id).SingleAsync();
        await app.SignInAsAsync(Roles.Frontoffice);

        var logged = await app.SendAsync(new LogContact.Command
        {
            StartedAt = app.Clock.GetUtcNow().UtcDateTime,
            Questions = [new() { TopicId = topicId, Text = "Paspoort?", Outcome = Outcome.Beantwoord, ArticleId = first.Value!.Id, ArticleVersionId = versionOfSecond }],
        });

        Assert.False(logged.Succeeded);
        Assert.NotNull(logged.ErrorFor("Questions[0].ArticleId"));
    }

    [Fact]
    public async Task A_question_saved_after_a_search_that_found_nothing_is_a_knowledge_gap_and_one_with_an_article_is_not()
    {
        var (app, topicId) = await StartAsync();
        await using var _ = app;
        var created = await app.SendAsync(new SaveArticle.Command(null, 0, Content(topicId)));
        await using var db0 = await app.CreateDbContextAsync();
        var versionId = await db0.ArticleVersions.Select(v => v.Id).SingleAsync();
        await app.SignInAsAsync(Roles.Frontoffice);

        await app.SendAsync(new LogContact.Command
        {
            Channel = Channel.Telefoon,
            StartedAt = app.Clock.GetUtcNow().UtcDateTime,
            Questions =
            [
                new() { TopicId = topicId, Text = "Paspoort voor mijn kat?", Outcome = Outcome.NietAfgehandeld, UnansweredSearch = "paspoort voor huisdier" },
                new() { TopicId = topicId, Text = "Paspoort", Outcome = Outcome.Beantwoord, ArticleId = created.Value!.Id, ArticleVersionId = versionId, UnansweredSearch = "ignored" },
                new() { TopicId = topicId, Text = "Iets", Outcome = Outcome.Beantwoord },
            ],
        });

        await using var db = await app.CreateDbContextAsync();
        var gap = await db.KnowledgeGaps.SingleAsync();
        Assert.Equal(("paspoort voor huisdier", Channel.Telefoon, topicId), (gap.Query, gap.Channel, gap.TopicId!.Value));
        await app.SignInAsAsync(Roles.Teamleider);
        var listed = await app.SendAsync(new KnowledgeGaps.List());
        Assert.Equal(("paspoort voor huisdier", 1, "paspoort"), (listed[0].Query, listed[0].Count, listed[0].TopicName));
    }

    [Fact]
    public async Task Agent_feedback_lands_in_the_owners_list_and_is_closed_with_a_reply()
    {
        var (app, topicId) = await StartAsync();
        await using var _ = app;
        var created = await app.SendAsync(new SaveArticle.Command(null, 0, Content(topicId)));
        await app.SignInAsAsync(Roles.Frontoffice, "fo", "Fatima Ouali");

        var given = await app.SendAsync(new ArticleFeedbacks.Give(created.Value!.Id, FeedbackKind.Verouderd, "Tarief is per 1 januari € 90"));

        Assert.True(given.Succeeded, given.AllErrors);
        await app.SignInAsAsync(Roles.Kennisbeheerder, "kb", "Koen Bakker");
        var mine = await app.SendAsync(new ArticleFeedbacks.List(MineOnly: true));
        var item = Assert.Single(mine);
        Assert.Equal((FeedbackKind.Verouderd, "Fatima Ouali", 1), (item.Kind, item.AgentName, item.VersionNumber!.Value));
        await app.SignInAsAsync(Roles.Kennisbeheerder, "kb2", "Andere Beheerder");
        Assert.Empty(await app.SendAsync(new ArticleFeedbacks.List(MineOnly: true)));

        var empty = await app.SendAsync(new ArticleFeedbacks.Close(item.Id, " "));
        Assert.NotNull(empty.ErrorFor("Reply"));
        var closed = await app.SendAsync(new ArticleFeedbacks.Close(item.Id, "Tarief aangepast, dank!"));
        Assert.True(closed.Succeeded);
        Assert.Empty(await app.SendAsync(new ArticleFeedbacks.List()));
        var all = await app.SendAsync(new ArticleFeedbacks.List(OpenOnly: false));
        Assert.Equal(("Tarief aangepast, dank!", "Andere Beheerder"), (all[0].Reply, all[0].ClosedByName));
        await app.SignInAsAsync(Roles.Frontoffice, "fo", "Fatima Ouali");
        var reply = Assert.Single(await app.SendAsync(new ArticleFeedbacks.Mine()));
        Assert.Equal("Tarief aangepast, dank!", reply.Reply);
    }

    [Fact]
    public async Task Agents_cannot_read_or_give_feedback_on_concept_articles()
    {
        var (app, topicId) = await StartAsync();
        await using var _ = app;
        var created = await app.SendAsync(new SaveArticle.Command(null, 0, Content(topicId, status: ArticleStatus.Concept)));
        await app.SignInAsAsync(Roles.Frontoffice);

        Assert.Null(await app.SendAsync(new GetArticle.Query(created.Value!.Id)));
        Assert.False((await app.SendAsync(new ArticleFeedbacks.Give(created.Value.Id, FeedbackKind.KloptNiet, null))).Succeeded);
    }

    [Fact]
    public async Task The_list_filters_on_status_team_and_overdue_review()
    {
        var (app, topicId) = await StartAsync();
        await using var _ = app;
        await using var db = await app.CreateDbContextAsync();
        var burgerzaken = await db.Teams.Where(t => t.Name == "Burgerzaken").Select(t => t.Id).SingleAsync();
        await app.SendAsync(new SaveArticle.Command(null, 0, Content(topicId) with { Title = "Te laat", TeamId = burgerzaken, ReviewBefore = new DateOnly(2026, 11, 1) }));
        await app.SendAsync(new SaveArticle.Command(null, 0, Content(topicId) with { Title = "Op tijd", ReviewBefore = new DateOnly(2027, 1, 1) }));
        await app.SendAsync(new SaveArticle.Command(null, 0, Content(topicId, status: ArticleStatus.Concept) with { Title = "Concept" }));

        Assert.Equal(["Te laat"], (await app.SendAsync(new ListArticles.Query(ReviewOverdueOnly: true))).Select(a => a.Title));
        Assert.Equal(["Te laat"], (await app.SendAsync(new ListArticles.Query(TeamId: burgerzaken))).Select(a => a.Title));
        Assert.Equal(["Concept"], (await app.SendAsync(new ListArticles.Query(Status: ArticleStatus.Concept))).Select(a => a.Title));
        Assert.Equal(["Op tijd"], (await app.SendAsync(new ListArticles.Query(Text: "tijd"))).Select(a => a.Title));
    }
}
