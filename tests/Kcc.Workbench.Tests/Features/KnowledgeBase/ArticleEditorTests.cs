using Bunit;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.KnowledgeBase;
using Kcc.Workbench.Web.Infrastructure;

namespace Kcc.Workbench.Tests.Features.KnowledgeBase;

public sealed class ArticleEditorTests : KccBunitContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    protected override string Role => Roles.Kennisbeheerder;

    private async Task<(IRenderedComponent<ArticleEditor> Editor, int Id)> RenderEditorAsync(string externalId = "paspoort-aanvragen")
    {
        await KnowledgeBaseData.ImportAsync(App);
        var id = await KnowledgeBaseData.ArticleIdAsync(App, externalId);
        var editor = Render<ArticleEditor>(p => p.Add(e => e.ArticleId, id));
        editor.WaitForAssertion(() => Assert.Contains("Versie 1", editor.Markup, StringComparison.Ordinal), Patience);
        return (editor, id);
    }

    private static AngleSharp.Dom.IElement Button(IRenderedComponent<ArticleEditor> editor, string text) =>
        editor.FindAll("button").First(b => b.TextContent.Trim().StartsWith(text, StringComparison.Ordinal));

    [Fact]
    public async Task Saving_adds_a_version_the_history_shows_and_the_difference_can_be_seen()
    {
        var (editor, _) = await RenderEditorAsync();

        await editor.InvokeAsync(() => editor.Find("#article-kosten").Change("Een paspoort kost € 90,00."));
        // Find and click in one dispatcher turn: the input may still re-render the form (slower on PostgreSQL).
        await editor.InvokeAsync(() => Button(editor, "Opslaan").Click());

        editor.WaitForAssertion(() => Assert.Contains("Opgeslagen als versie 2.", editor.Markup, StringComparison.Ordinal), Patience);
        Assert.Contains("Gewijzigd: Kosten", editor.Markup, StringComparison.Ordinal);
        await editor.InvokeAsync(() => editor.FindAll("button").First(b => b.GetAttribute("aria-label") == "Verschil tussen versie 1 en 2").Click());
        editor.WaitForAssertion(() => Assert.Contains("− Een paspoort kost € 84,70.", editor.Markup, StringComparison.Ordinal), Patience);
        Assert.Contains("+ Een paspoort kost € 90,00.", editor.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_someone_else_saved_first_the_editor_says_so_and_keeps_the_typed_text()
    {
        var (editor, id) = await RenderEditorAsync();
        var current = (await App.SendAsync(new GetArticle.Query(id)))!;
        await App.SendAsync(new SaveArticle.Command(id, current.Version, current.Content with { Kosten = "Iemand anders" }));

        await editor.InvokeAsync(() => editor.Find("#article-kosten").Change("Mijn versie"));
        await editor.InvokeAsync(() => Button(editor, "Opslaan").Click());

        editor.WaitForAssertion(() => Assert.Contains("Iemand anders heeft dit artikel opgeslagen", editor.Markup, StringComparison.Ordinal), Patience);
        // The typed text is still the editor's (the preview shows it); the field was not reset to the stored text.
        Assert.Contains("Mijn versie", editor.Find(".kcc-article").TextContent, StringComparison.Ordinal);
        Assert.NotEqual("Iemand anders", editor.Find("#article-kosten").GetAttribute("value"));
        Assert.Equal("Iemand anders", (await App.SendAsync(new GetArticle.Query(id)))!.Content.Kosten);
    }

    [Fact]
    public async Task Warns_when_the_resident_answer_is_above_b1_and_quotes_each_sentence_to_rewrite_with_its_reasons()
    {
        var (editor, _) = await RenderEditorAsync();
        Assert.DoesNotContain("Moeilijker dan B1.", editor.Markup, StringComparison.Ordinal);

        await editor.InvokeAsync(() => editor.Find("#article-watishet").Change(
            "Indien de belanghebbende voornemens is een aanvraag tot verlenging van de geldigheidsduur van het reisdocument in te dienen, " +
            "dient deze de daartoe vereiste identiteitsbewijzen alsmede de verschuldigde leges gelijktijdig met de aanvraag te overleggen."));

        editor.WaitForAssertion(() => Assert.Contains("Moeilijker dan B1.", editor.Markup, StringComparison.Ordinal), Patience);
        Assert.Contains("<mark class=\"kcc-long\">identiteitsbewijzen</mark>", editor.Markup, StringComparison.Ordinal);
        var flagged = Assert.Single(editor.FindAll(".kcc-rewrite > li"));
        Assert.StartsWith("Indien de belanghebbende voornemens is", flagged.QuerySelector("q")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(
            ["34 woorden (meer dan 20)", "‘indien’: schrijf ‘als’", "‘belanghebbende’: schrijf ‘u, de persoon om wie het gaat’", "‘voornemens’: schrijf ‘van plan’",
             "‘alsmede’: schrijf ‘en, ook’", "‘verschuldigde’: schrijf ‘te betalen’", "‘leges’: schrijf ‘kosten’"],
            flagged.QuerySelectorAll(".kcc-reasons li").Select(li => li.TextContent));
        // The long words read as a list with commas, so they wrap instead of stretching the editor.
        Assert.Contains("belanghebbende, ", editor.Find(".kcc-long-words").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_preview_never_renders_typed_script()
    {
        var (editor, _) = await RenderEditorAsync();

        await editor.InvokeAsync(() => editor.Find("#article-watishet").Change("<script>alert('x')</script> [klik](javascript:alert(1)) <img src=x onerror=alert(1)>"));

        editor.WaitForAssertion(() => Assert.Contains("&lt;script&gt;", editor.Markup, StringComparison.Ordinal), Patience);
        Assert.Empty(editor.FindAll(".kcc-article script, .kcc-article img, .kcc-article a[href^=javascript]"));
    }

    [Fact]
    public async Task Restoring_an_old_version_puts_its_text_back()
    {
        var (editor, id) = await RenderEditorAsync();
        await editor.InvokeAsync(() => editor.Find("#article-kosten").Change("Fout bedrag"));
        await editor.InvokeAsync(() => Button(editor, "Opslaan").Click());
        editor.WaitForAssertion(() => Assert.Contains("Opgeslagen als versie 2.", editor.Markup, StringComparison.Ordinal), Patience);

        await editor.InvokeAsync(() => editor.FindAll("button").First(b => b.GetAttribute("aria-label") == "Versie 1 terugzetten").Click());

        editor.WaitForAssertion(() => Assert.Contains("Versie 1 is teruggezet als versie 3.", editor.Markup, StringComparison.Ordinal), Patience);
        Assert.Equal("Een paspoort kost € 84,70.", (await App.SendAsync(new GetArticle.Query(id)))!.Content.Kosten);
    }

    [Fact]
    public async Task Every_text_field_keeps_its_keystrokes_in_the_browser_and_the_preview_follows_the_text_the_server_heard()
    {
        var (editor, _) = await RenderEditorAsync();

        // Free text fields are deferred (wwwroot/js/deferred.js): the server hears them after a pause, not per key.
        var fields = editor.FindAll("textarea, input[type=text]").Where(f => f.Id is not "article-topic").ToList();
        Assert.Equal(13, fields.Count); // title, variants, keywords, six answer sections, short answer, e-mail text, work instruction, links
        Assert.All(fields, f => Assert.NotNull(f.GetAttribute("data-kcc-deferred")));

        // After the pause the preview shows the text the server heard.
        await editor.InvokeAsync(() => editor.Find("#article-watishet").Change("Met een paspoort kunt u reizen."));
        editor.WaitForAssertion(() => Assert.Contains("Met een paspoort kunt u reizen.", editor.Find(".kcc-article").TextContent, StringComparison.Ordinal), Patience);
    }
}
