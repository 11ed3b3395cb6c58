using Bunit;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.KnowledgeBase;
using Kcc.Workbench.Web.Features.Topics;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Tests.Features.KnowledgeBase;

/// <summary>The kennisbank panel inside the real contact form, on the search test set.</summary>
public sealed class KnowledgePanelTests : KccBunitContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private async Task<IRenderedComponent<ContactForm>> RenderFormAsync()
    {
        await KnowledgeBaseData.ImportAsync(App);
        var form = Render<ContactForm>();
        form.WaitForAssertion(() => Assert.NotEmpty(form.FindAll("#q0-text")), Patience);
        // The agent's draft is loaded (or a new contact started) before anything is typed: a slower database must not swallow input.
        form.WaitForAssertion(() => Assert.NotEmpty(form.FindAll("[data-loaded=true]")), Patience);
        return form;
    }

    private static AngleSharp.Dom.IElement Button(IRenderedComponent<ContactForm> form, string label) =>
        form.FindAll("button").First(b => b.GetAttribute("aria-label") == label || b.TextContent.Trim().StartsWith(label, StringComparison.Ordinal));

    [Fact]
    public async Task Follows_the_question_and_inserts_the_answer_with_the_article_version_which_the_saved_contact_keeps()
    {
        var form = await RenderFormAsync();

        form.Find("#q0-text").Change("Mijn paspoort is verlopen, hoe vraag ik een nieuwe aan?");
        form.WaitForAssertion(() => Assert.Contains("Invoegen: Paspoort aanvragen", form.Markup, StringComparison.Ordinal), Patience);
        Assert.Contains("Spoed: verbind door met Burgerzaken.", form.Markup, StringComparison.Ordinal);
        Button(form, "Invoegen: Paspoort aanvragen").Click();

        form.WaitForAssertion(() => Assert.Contains("Antwoord uit kennisbank: Paspoort aanvragen (versie 1 van 24 nov 2026)", form.Markup, StringComparison.Ordinal), Patience);
        Assert.Contains("Wat is het:", form.Find("#q0-answer").GetAttribute("value") ?? form.Find("#q0-answer").TextContent, StringComparison.Ordinal);
        Assert.Equal("paspoort", form.Find("#q0-topic").GetAttribute("value"));

        Button(form, "Contact opslaan").Click();

        form.WaitForAssertion(() => Assert.Contains("Contact opgeslagen", form.Markup, StringComparison.Ordinal), Patience);
        await using var db = await App.CreateDbContextAsync();
        var question = await db.Questions.SingleAsync();
        var version = await db.ArticleVersions.SingleAsync(v => v.Id == question.ArticleVersionId);
        Assert.Equal((question.ArticleId, 1), (version.ArticleId, version.Number));
        Assert.Empty(await db.KnowledgeGaps.ToListAsync());
    }

    [Fact]
    public async Task The_followed_questions_topic_ranks_its_articles_first_and_a_new_topic_ranks_again()
    {
        await KnowledgeBaseData.ImportAsync(App);
        var panel = Render<KnowledgePanel>();
        var question = new QuestionFormModel
        {
            Text = "Wat kost het en hoe lang duurt het voordat ik het heb?",
            Topic = new TopicOption(await App.TopicIdAsync("hondenbelasting"), "hondenbelasting", "http://standaarden.overheid.nl/owms/terms/hondenbelasting"),
        };

        await panel.InvokeAsync(() => panel.Instance.FollowAsync(0, question));
        panel.WaitForAssertion(() => Assert.Equal("Hondenbelasting", panel.FindAll("li.kcc-kb-hit h3")[0].TextContent), Patience);

        question.Topic = new TopicOption(await App.TopicIdAsync("rijbewijs verlengen"), "rijbewijs verlengen", "http://standaarden.overheid.nl/owms/terms/rijbVerlengen");
        await panel.InvokeAsync(() => panel.Instance.FollowAsync(0, question));
        panel.WaitForAssertion(() => Assert.Equal("Rijbewijs verlengen", panel.FindAll("li.kcc-kb-hit h3")[0].TextContent), Patience);
    }

    [Fact]
    public async Task A_topic_without_a_question_yet_lists_the_topics_articles()
    {
        await KnowledgeBaseData.ImportAsync(App);
        var panel = Render<KnowledgePanel>();
        var question = new QuestionFormModel { Topic = new TopicOption(await App.TopicIdAsync("paspoort"), "paspoort", "http://standaarden.overheid.nl/owms/terms/paspoort") };

        await panel.InvokeAsync(() => panel.Instance.FollowAsync(0, question));

        panel.WaitForAssertion(() => Assert.Equal(["Paspoort aanvragen", "Paspoort kwijt of gestolen"], panel.FindAll("li.kcc-kb-hit h3").Select(h => h.TextContent)), Patience);
    }

    [Fact]
    public async Task On_whatsapp_the_short_answer_is_inserted()
    {
        var form = await RenderFormAsync();
        form.FindAll("input[type=radio]").First(r => r.ParentElement!.ParentElement!.TextContent.Contains("WhatsApp", StringComparison.Ordinal)).Click();

        form.Find("#q0-text").Change("paspoort aanvragen");
        form.WaitForAssertion(() => Assert.Contains("Invoegen: Paspoort aanvragen", form.Markup, StringComparison.Ordinal), Patience);
        Button(form, "Invoegen: Paspoort aanvragen").Click();

        form.WaitForAssertion(() => Assert.Equal(
            "Maak een afspraak en neem een pasfoto mee. Het kost € 84,70.",
            form.Find("#q0-answer").GetAttribute("value") ?? form.Find("#q0-answer").TextContent), Patience);
    }

    [Fact]
    public async Task Choosing_another_channel_shows_that_channels_text()
    {
        var form = await RenderFormAsync();
        form.Find("#q0-text").Change("paspoort aanvragen");
        form.WaitForAssertion(() => Assert.Contains("Antwoord voor de inwoner: Paspoort aanvragen", form.Markup, StringComparison.Ordinal), Patience);

        form.FindAll("input[type=radio]").First(r => r.ParentElement!.ParentElement!.TextContent.Contains("E-mail", StringComparison.Ordinal)).Click();

        form.WaitForAssertion(() => Assert.Contains("E-mailtekst: Paspoort aanvragen", form.Markup, StringComparison.Ordinal), Patience);
        Assert.Contains("Beste inwoner, u vraagt een paspoort aan op het gemeentehuis.", form.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_question_whose_last_search_found_nothing_is_saved_as_a_knowledge_gap()
    {
        var form = await RenderFormAsync();
        var topic = await App.SendAsync(new Kcc.Workbench.Web.Features.Topics.SearchTopics.Query("paspo"));
        await form.InvokeAsync(() => form.FindComponents<MudBlazor.MudAutocomplete<Kcc.Workbench.Web.Features.Topics.TopicOption>>()[0].Instance.SelectOptionAsync(topic[0]));

        form.Find("#q0-text").Change("Mag mijn hamster mee in het vliegtuig");
        form.WaitForAssertion(() => Assert.Contains("Niets gevonden voor ‘Mag mijn hamster mee in het vliegtuig’", form.Markup, StringComparison.Ordinal), Patience);
        Button(form, "Contact opslaan").Click();

        form.WaitForAssertion(() => Assert.Contains("Contact opgeslagen", form.Markup, StringComparison.Ordinal), Patience);
        await using var db = await App.CreateDbContextAsync();
        var gap = await db.KnowledgeGaps.SingleAsync();
        Assert.Equal(("Mag mijn hamster mee in het vliegtuig", Channel.Telefoon), (gap.Query, gap.Channel!.Value));
    }

    [Fact]
    public async Task Feedback_takes_two_clicks()
    {
        var form = await RenderFormAsync();
        form.Find("#q0-text").Change("grofvuil");
        form.WaitForAssertion(() => Assert.Contains("Feedback op dit artikel", form.Markup, StringComparison.Ordinal), Patience);

        Button(form, "Feedback op dit artikel").Click();
        form.WaitForAssertion(() => Assert.Contains(form.FindAll("button"), b => b.TextContent.Trim() == "Verouderd"), Patience);
        Button(form, "Verouderd").Click();

        form.WaitForAssertion(() => Assert.Contains("Bedankt. Uw feedback (verouderd)", form.Markup, StringComparison.Ordinal), Patience);
        await using var db = await App.CreateDbContextAsync();
        var feedback = await db.ArticleFeedback.Include(f => f.Article).SingleAsync();
        Assert.Equal((FeedbackKind.Verouderd, "grofvuil-ophalen", Agent.Id), (feedback.Kind, feedback.Article!.ExternalId, feedback.AgentId));
    }
}
