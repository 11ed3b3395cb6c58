using Bunit;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Topics;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;
using MudBlazor.Services;

namespace Kcc.Workbench.Tests.Features.Topics;

/// <summary>The beheer page with the real handlers on a SQLite test database.</summary>
public sealed class TopicsPageTests : BunitContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_beheerder_tries_the_file_first_and_then_imports_it()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Beheerder);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddFallbackServiceProvider(app.Services);
        Render<MudPopoverProvider>();
        var page = Render<TopicsPage>();
        page.WaitForAssertion(() => Assert.Contains("56 onderwerpen gevonden", page.Markup, StringComparison.Ordinal), Patience);
        Assert.Equal("UPL-bestand kiezen", page.Find("label[for=upl-bestand]").TextContent);
        Assert.True(Button(page, "Proefimport").HasAttribute("disabled"));

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(File.ReadAllBytes(SharedData.Path("upl-actueel.csv")), "upl-actueel.csv"));
        page.WaitForAssertion(() => Assert.Contains("Gekozen bestand", page.Markup, StringComparison.Ordinal), Patience);
        Button(page, "Proefimport").Click();

        page.WaitForAssertion(() => Assert.Contains("Verslag van de proefimport", page.Markup, StringComparison.Ordinal), Patience);
        Assert.Equal("456", SummaryValue(page, "Nieuw"));
        Assert.Equal("512", SummaryValue(page, "Producten van gemeenten"));
        Assert.Contains("er is niets opgeslagen", page.Markup, StringComparison.Ordinal);
        Assert.Contains("56 onderwerpen gevonden", page.Markup, StringComparison.Ordinal);

        Button(page, "Importeren").Click();

        page.WaitForAssertion(() => Assert.Contains("Verslag van de import", page.Markup, StringComparison.Ordinal), Patience);
        page.WaitForAssertion(() => Assert.Contains("512 onderwerpen gevonden", page.Markup, StringComparison.Ordinal), Patience);
        Assert.Equal("456", SummaryValue(page, "Nieuw"));
        Assert.Contains("De wijzigingen zijn opgeslagen.", page.Markup, StringComparison.Ordinal);
    }

    private static AngleSharp.Dom.IElement Button(IRenderedComponent<TopicsPage> page, string text) =>
        page.FindAll("button").Single(b => b.TextContent.Trim() == text);

    private static string SummaryValue(IRenderedComponent<TopicsPage> page, string label) =>
        page.FindAll(".kcc-summary tr").Single(r => r.QuerySelector("th")!.TextContent == label).QuerySelector("td")!.TextContent;
}
