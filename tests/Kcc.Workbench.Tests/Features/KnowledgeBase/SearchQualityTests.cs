using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.KnowledgeBase;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kcc.Workbench.Tests.Features.KnowledgeBase;

/// <summary>
/// Questions the way residents ask them (and agents type them, typos included) against a fixed set of fifteen articles
/// (zoektest-artikelen.json): the expected article must come first. The evaluation over the whole demo kennisbank is
/// <see cref="SearchEvaluationTests"/>.
/// </summary>
public sealed class SearchQualityTests : IAsyncLifetime
{
    private TestApp app = default!;
    private Dictionary<int, string> externalIds = [];

    public async ValueTask InitializeAsync()
    {
        app = await TestApp.CreateAsync();
        await KnowledgeBaseData.ImportAsync(app);
        await app.SignInAsAsync(Roles.Frontoffice);
        await using var db = await app.CreateDbContextAsync();
        externalIds = await db.Articles.ToDictionaryAsync(a => a.Id, a => a.ExternalId);
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
    }

    private async Task<List<string>> SearchAsync(string text, Channel? channel = null) =>
        (await app.SendAsync(new SearchArticles.Query(text, channel))).Select(h => externalIds[h.ArticleId]).ToList();

    [Theory]
    // Resident-style questions, stop words and all.
    [InlineData("hoe vraag ik een paspoort aan", "paspoort-aanvragen")]
    [InlineData("Ik ben mijn paspoort kwijt!", "paspoort-kwijt")]
    [InlineData("mijn paspoort is gestolen", "paspoort-kwijt")]
    [InlineData("wat kost een identiteitskaart", "identiteitskaart-aanvragen")]
    [InlineData("rijbewijs verlengen", "rijbewijs-verlengen")]
    [InlineData("ik ga verhuizen", "verhuizing-doorgeven")]
    [InlineData("hoe raak ik mijn oude bank kwijt", "grofvuil-ophalen")]
    [InlineData("matras laten ophalen", "grofvuil-ophalen")]
    [InlineData("onze container is kapot", "container-kapot")]
    [InlineData("mag ik voor de deur parkeren", "parkeervergunning")]
    [InlineData("ik kan mijn belasting niet betalen", "kwijtschelding")]
    [InlineData("mijn kind is geboren", "geboorteaangifte")]
    [InlineData("bijstand aanvragen", "bijstand")]
    // Inflections: stemming makes plural and verb forms meet.
    [InlineData("paspoorten aanvragen", "paspoort-aanvragen")]
    [InlineData("bomen kappen", "boom-kappen")]
    [InlineData("verhuisd", "verhuizing-doorgeven")]
    // Synonyms and keywords.
    [InlineData("id-kaart", "identiteitskaart-aanvragen")]
    [InlineData("identiteitsbewijs", "identiteitskaart-aanvragen")]
    [InlineData("kliko weg", "container-kapot")]
    [InlineData("adreswijziging", "verhuizing-doorgeven")]
    [InlineData("uitkering", "bijstand")]
    [InlineData("baby", "geboorteaangifte")]
    // Diacritics folded either way.
    [InlineData("reunie", "evenement")]
    [InlineData("reünie organiseren", "evenement")]
    // Typos: one edit in words of five letters or more.
    [InlineData("pasport aanvragen", "paspoort-aanvragen")]
    [InlineData("identiteitskart", "identiteitskaart-aanvragen")]
    [InlineData("grofvuill", "grofvuil-ophalen")]
    [InlineData("hondebelasting", "hondenbelasting")]
    [InlineData("parkeervegrunning", "parkeervergunning")]
    // Typing: the last word is a prefix.
    [InlineData("parkeerv", "parkeervergunning")]
    [InlineData("grofv", "grofvuil-ophalen")]
    [InlineData("paspoort aanvra", "paspoort-aanvragen")]
    [InlineData("hondenbel", "hondenbelasting")]
    public async Task The_expected_article_comes_first(string query, string expected)
    {
        var results = await SearchAsync(query);

        Assert.True(results.Count > 0 && results[0] == expected, $"'{query}': expected {expected} first, got [{string.Join(", ", results)}]");
    }

    [Fact]
    public async Task A_word_in_the_title_ranks_above_the_same_word_in_the_body()
    {
        var results = await SearchAsync("kwijtschelding ");

        Assert.Equal(["kwijtschelding", "hondenbelasting"], results.Take(2));
    }

    [Fact]
    public async Task Articles_matching_every_word_come_before_articles_matching_some()
    {
        var results = await SearchAsync("pasfoto rijbewijs ");

        Assert.Equal("rijbewijs-verlengen", results[0]);
        Assert.Contains("paspoort-aanvragen", results);
    }

    [Theory]
    [InlineData("hoe kan ik")]
    [InlineData("xyzzy qwerty")]
    [InlineData("a")]
    [InlineData("hont ")]
    [InlineData("mag mijn hamster mee in het vliegtuig")]
    [InlineData("\"paspoort\" OR *")]
    public async Task Stop_words_nonsense_short_typos_one_common_word_and_query_syntax_find_nothing_and_do_not_fail(string query)
    {
        var results = await SearchAsync(query);

        if (query.Contains("paspoort", StringComparison.Ordinal))
        {
            // FTS5 syntax typed by an agent is just text.
            Assert.Contains("paspoort-aanvragen", results);
        }
        else
        {
            Assert.Empty(results);
        }
    }

    [Fact]
    public async Task Agents_find_only_published_articles_and_kennisbeheerders_find_concepts_too()
    {
        Assert.DoesNotContain("paspoort-spoed", await SearchAsync("spoedaanvraag"));

        await app.SignInAsAsync(Roles.Kennisbeheerder, "kb", "Koen Bakker");

        Assert.Equal("paspoort-spoed", (await SearchAsync("spoedaanvraag"))[0]);
    }

    [Theory]
    [InlineData(Channel.WhatsApp, "Maak een afspraak en neem een pasfoto mee. Het kost € 84,70.")]
    [InlineData(Channel.Chat, "Maak een afspraak en neem een pasfoto mee. Het kost € 84,70.")]
    [InlineData(Channel.Email, "Beste inwoner, u vraagt een paspoort aan op het gemeentehuis.")]
    [InlineData(Channel.Telefoon, "Wat is het:\nMet een paspoort reist u buiten Europa.")]
    [InlineData(Channel.Balie, "Kosten:\nEen paspoort kost € 84,70.")]
    public async Task A_result_carries_the_text_for_the_contacts_channel_and_the_werkinstructie(Channel channel, string expected)
    {
        var hit = (await app.SendAsync(new SearchArticles.Query("paspoort aanvragen", channel)))[0];

        Assert.Contains(expected, hit.ChannelText.Text, StringComparison.Ordinal);
        Assert.Equal("Spoed: verbind door met Burgerzaken.", hit.InternalNote);
        Assert.Equal(1, hit.VersionNumber);
        Assert.Equal("paspoort", hit.TopicName);
    }

    [Fact]
    public async Task The_snippet_is_the_sentence_that_matches_the_question()
    {
        var hit = (await app.SendAsync(new SearchArticles.Query("wat kost een paspoort")))[0];

        Assert.Equal("Een paspoort kost € 84,70.", hit.Snippet);
    }

    [Fact]
    public async Task A_new_version_is_found_on_its_new_words_and_no_longer_on_the_old_ones()
    {
        await app.SignInAsAsync(Roles.Kennisbeheerder, "kb", "Koen Bakker");
        var id = await KnowledgeBaseData.ArticleIdAsync(app, "hondenbelasting");
        var article = (await app.SendAsync(new GetArticle.Query(id)))!;
        var saved = await app.SendAsync(new SaveArticle.Command(id, article.Version, article.Content with { Keywords = ["hond", "kat"], QuestionVariants = [] }));
        Assert.True(saved.Succeeded, saved.AllErrors);
        await app.SignInAsAsync(Roles.Frontoffice);

        Assert.Equal("hondenbelasting", (await SearchAsync("kat "))[0]);
        Assert.DoesNotContain("hondenbelasting", await SearchAsync("puppy "));
    }
}
