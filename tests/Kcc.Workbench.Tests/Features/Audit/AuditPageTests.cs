using Bunit;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Audit;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Infrastructure;
using static Kcc.Workbench.Tests.Features.Routing.RoutingTestKit;

namespace Kcc.Workbench.Tests.Features.Audit;

/// <summary>The audit page in the words an agent uses, with links to what the beheerder may open, filtered by a resident's postcode, name or BSN.</summary>
public sealed class AuditPageTests : KccBunitContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    protected override string Role => Roles.Beheerder;

    [Fact]
    public async Task Actions_and_subjects_read_as_words_and_the_resident_filter_takes_a_postcode()
    {
        var agent = await App.EmployeeAsync("fo", "Fatima Ouali", Roles.Frontoffice, "KCC");
        var devries = await App.ResidentAsync();
        var other = await App.ResidentAsync("Jansen", withAddress: false);
        await App.SendAsAsync(agent, new RecordPartyView.Command(devries));
        await App.SendAsAsync(agent, new RecordPartyView.Command(other));
        var task = await App.RouteAsync(agent, Callback(await App.TeamIdAsync("Burgerzaken")), partyId: devries);
        var page = Render<AuditPage>();
        page.WaitForAssertion(() => Assert.Contains("Fatima Ouali", page.Markup, StringComparison.Ordinal), Patience);

        page.Find("#audit-resident").Change("1234 ab");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Contains("over Jan de Vries", page.Markup, StringComparison.Ordinal), Patience);
        var rows = page.FindAll("tbody tr").Select(r => r.TextContent).ToList();
        Assert.Contains(rows, r => r.Contains("Klantbeeld bekeken", StringComparison.Ordinal) && r.Contains("Inwoner J. de Vries", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("Vraag doorgezet naar backoffice", StringComparison.Ordinal) && r.Contains($"Taak {task} (Burgerzaken)", StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => r.Contains("Jansen", StringComparison.Ordinal));
        Assert.Equal($"/betrokkenen/{devries}", page.FindAll("tbody a").First(a => a.TextContent == "Inwoner J. de Vries").GetAttribute("href"));
        // A beheerder does not work tasks, so the task is named but not linked.
        Assert.DoesNotContain(page.FindAll("tbody a"), a => a.TextContent.StartsWith("Taak", StringComparison.Ordinal));
        Assert.DoesNotContain("betrokkene.bekeken", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("InterneTaak", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain($"Party {devries}", page.Markup, StringComparison.Ordinal);
        Assert.Contains($"betrokkene={devries}", page.Find("a[href^='/beheer/audit.csv']").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_that_fits_several_residents_asks_which_one()
    {
        var agent = await App.EmployeeAsync("fo", "Fatima Ouali", Roles.Frontoffice, "KCC");
        await App.ResidentAsync();
        var second = await App.ResidentAsync();
        await App.SendAsAsync(agent, new RecordPartyView.Command(second));
        var page = Render<AuditPage>();
        page.WaitForAssertion(() => Assert.Contains("Fatima Ouali", page.Markup, StringComparison.Ordinal), Patience);

        page.Find("#audit-resident").Change("de Vries");
        page.Find("form").Submit();
        page.WaitForAssertion(() => Assert.Contains("Kies wie u bedoelt", page.Markup, StringComparison.Ordinal), Patience);
        page.FindAll("[role=group] button")[1].Click();

        page.WaitForAssertion(() => Assert.Contains("over Jan de Vries", page.Markup, StringComparison.Ordinal), Patience);
        Assert.Single(page.FindAll("tbody tr"));
    }

    [Theory]
    [InlineData("artikel.gewijzigd", "", "Artikel gewijzigd")]
    [InlineData("betrokkene.bekeken", "Gegevens geopend om te wijzigen", "Gegevens van inwoner geopend om te wijzigen")]
    [InlineData("taak.nietbereikt", "", "Inwoner niet bereikt")]
    [InlineData("iets.nieuws", "", "Iets nieuws")]
    public void Action_codes_read_as_dutch_words(string code, string summary, string words) =>
        Assert.Equal(words, AuditWords.Action(code, summary));
}
