using Bunit;
using Kcc.Workbench.Tests.Features.Routing;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Dashboard;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using static Kcc.Workbench.Tests.Features.Dashboard.DashboardTestKit;

namespace Kcc.Workbench.Tests.Features.Dashboard;

/// <summary>The dashboard's tiles and filters as a team lead sees and uses them, on the real handlers and SQLite.</summary>
public class DashboardPageTests : KccBunitContext
{
    protected override string Role => Roles.Teamleider;

    private async Task<IRenderedComponent<DashboardPage>> OpenAsync(string query)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/dashboard" + query);
        var page = Render<DashboardPage>();
        await page.WaitForStateAsync(() => page.Markup.Contains("Berekend op", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        return page;
    }

    private static AngleSharp.Dom.IElement Tile(IRenderedComponent<DashboardPage> page, string title) =>
        page.FindAll("article.kcc-tile").Single(t => t.QuerySelector("h3")!.TextContent == title);

    [Fact]
    public async Task Tiles_show_the_figure_its_norm_and_the_change_against_the_previous_period_in_words_and_link_to_the_list_behind_it()
    {
        var agent = await App.EmployeeAsync("fo", "Sara de Jong", Roles.Frontoffice, "KCC");
        var first = await App.ResidentAsync("Een");
        var second = await App.ResidentAsync("Twee");
        // October: one of one right. November: one right, one routed.
        await App.AnsweredAsync(agent, Local(10, 12, 10), first);
        await App.AnsweredAsync(agent, Local(11, 2, 10), second);
        await App.LogAsync(agent, Local(11, 3, 10), first, Channel.Telefoon,
            new Asked("paspoort", Outcome.DoorgezetNaarBackoffice, RoutingTestKit.Handle(await App.TeamIdAsync("Burgerzaken"))));

        var page = await OpenAsync("?van=2026-11-01&tot=2026-11-30");

        var ftr = Tile(page, "In één keer goed");
        Assert.Equal("50,0%", ftr.QuerySelector(".kcc-tile-value")!.TextContent);
        // Two verifiable questions: a figure with its count, but no verdict against the norm.
        Assert.Contains("van 2 te verifiëren vragen", ftr.TextContent, StringComparison.Ordinal);
        Assert.Contains("Te weinig gegevens om met de norm te vergelijken", ftr.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Onder de norm", ftr.TextContent, StringComparison.Ordinal);
        Assert.Contains("▼ 50,0 procentpunt lager dan vorige periode", ftr.TextContent, StringComparison.Ordinal);
        Assert.Equal("/dashboard/vragen?van=2026-11-01&tot=2026-11-30&set=NietGoed", ftr.QuerySelector("a")!.GetAttribute("href"));
        var contacts = Tile(page, "Contacten");
        Assert.Equal("2", contacts.QuerySelector(".kcc-tile-value")!.TextContent);
        Assert.Contains("▲ 100% meer dan vorige periode", contacts.TextContent, StringComparison.Ordinal);
        Assert.Equal("1", Tile(page, "Doorgezet").QuerySelector(".kcc-tile-value")!.TextContent);
        Assert.Contains("1 nov 2026 t/m 30 nov 2026, vergeleken met 1 okt 2026 t/m 24 okt 2026", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_day_with_too_few_verifiable_questions_shows_te_weinig_gegevens_and_a_gap_never_a_percentage()
    {
        var agent = await App.EmployeeAsync("fo", "Sara de Jong", Roles.Frontoffice, "KCC");
        var resident = await App.ResidentAsync("Een");
        // Tuesday 3 November: 2 verifiable questions, one of them routed. Wednesday 4 November: 20, all answered.
        await App.AnsweredAsync(agent, Local(11, 3, 9), resident);
        await App.LogAsync(agent, Local(11, 3, 10), resident, Channel.Telefoon,
            new Asked("rijbewijs", Outcome.DoorgezetNaarBackoffice, RoutingTestKit.Handle(await App.TeamIdAsync("Burgerzaken"))));
        for (var i = 0; i < 20; i++)
        {
            await App.AnsweredAsync(agent, Local(11, 4, 8, i * 2), await App.ResidentAsync("Bewoner" + i));
        }

        var page = await OpenAsync("?van=2026-11-01&tot=2026-11-30");

        var rows = page.FindAll("details.kcc-details tbody tr").Where(r => r.QuerySelector("th")!.TextContent is "3 nov" or "4 nov").ToList();
        Assert.Equal(["te weinig gegevens (n=2)", "te weinig gegevens (n=2)"], rows[0].QuerySelectorAll("td").Skip(1).Take(2).Select(td => td.TextContent));
        Assert.Equal("100,0% (van 20)", rows[1].QuerySelectorAll("td")[2].TextContent);
        // The chart: no point for 3 November (a gap with a shaded band), a point for 4 November.
        Assert.Empty(page.FindAll("circle[data-series=geverifieerd][data-x='3 nov']"));
        Assert.Contains("te weinig gegevens (n=2)", page.Find("rect.kcc-chart-missing[data-x='3 nov']").TextContent, StringComparison.Ordinal);
        Assert.Single(page.FindAll("circle[data-series=geverifieerd][data-x='4 nov']"));
        Assert.DoesNotContain(page.FindAll("circle[data-series=geverifieerd]"), c => c.GetAttribute("data-x") != "4 nov");
        // The tile says how many questions its percentage is of.
        Assert.Contains("van 22 te verifiëren vragen", Tile(page, "In één keer goed").TextContent, StringComparison.Ordinal);
        Assert.Contains("Op of boven de norm van 80%", Tile(page, "In één keer goed").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_running_month_ends_its_axes_today_with_no_points_after_it()
    {
        var agent = await App.EmployeeAsync("fo", "Sara de Jong", Roles.Frontoffice, "KCC");
        await App.AnsweredAsync(agent, Local(11, 2, 10), null, channel: Channel.Balie);

        // The test clock stands at 24 November 2026.
        var page = await OpenAsync("?van=2026-11-01&tot=2026-11-30");

        var trendPoints = page.FindAll("circle[data-series=Balie]").Select(c => c.GetAttribute("data-x")).ToList();
        Assert.Equal(24, trendPoints.Count);
        Assert.Equal("24 nov", trendPoints[^1]);
        Assert.DoesNotContain("25 nov", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("30 nov", page.Markup.Replace("t/m 30 nov 2026", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_channel_has_one_colour_in_every_chart_and_the_previous_period_is_its_lighter_shade()
    {
        var agent = await App.EmployeeAsync("fo", "Sara de Jong", Roles.Frontoffice, "KCC");
        await App.AnsweredAsync(agent, Local(10, 6, 10), null, channel: Channel.Telefoon);
        await App.AnsweredAsync(agent, Local(11, 2, 10), null, channel: Channel.Telefoon);
        await App.AnsweredAsync(agent, Local(11, 3, 10), null, channel: Channel.Balie);

        var page = await OpenAsync("?van=2026-11-01&tot=2026-11-30");

        foreach (var channel in new[] { Channel.Telefoon, Channel.Balie })
        {
            var colour = ChartPalette.Of(channel);
            var thisPeriod = page.Find($"rect[data-series={channel}][data-period=deze]");
            var previous = page.Find($"rect[data-series={channel}][data-period=vorige]");
            Assert.Equal(colour, thisPeriod.GetAttribute("fill"));
            Assert.Equal(colour, previous.GetAttribute("fill"));
            Assert.NotNull(previous.GetAttribute("fill-opacity"));
            Assert.Null(thisPeriod.GetAttribute("fill-opacity"));
            Assert.All(page.FindAll($"path[data-series={channel}]"), line => Assert.Equal(colour, line.GetAttribute("stroke")));
            Assert.NotEmpty(page.FindAll($"path[data-series={channel}]"));
        }

        Assert.NotEqual(ChartPalette.Of(Channel.Telefoon), ChartPalette.Of(Channel.Balie));
        // First time right is not a channel: its lines use none of the channels' colours.
        var channelColours = Enum.GetValues<Channel>().Select(ChartPalette.Of).ToHashSet();
        Assert.All(page.FindAll("path[data-series=geverifieerd], path[data-series=geregistreerd], path[data-series=norm]"),
            line => Assert.DoesNotContain(line.GetAttribute("stroke")!, channelColours));
        Assert.Contains("Vorige periode (licht)", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_heatmap_shades_from_white_for_no_contacts_to_darkest_for_the_busiest_hour()
    {
        var agent = await App.EmployeeAsync("fo", "Sara de Jong", Roles.Frontoffice, "KCC");
        // Monday 2 November: three contacts at 9, one at 10.
        foreach (var minute in new[] { 0, 10, 20 })
        {
            await App.AnsweredAsync(agent, Local(11, 2, 9, minute), null);
        }

        await App.AnsweredAsync(agent, Local(11, 2, 10, 5), null);

        var page = await OpenAsync("?van=2026-11-01&tot=2026-11-30");

        var cells = page.FindAll("table.kcc-heatmap td");
        string Background(string count) => cells.First(td => td.GetAttribute("data-count") == count).GetAttribute("style")!.Split(';')[0];
        Assert.Equal("background-color:#FFFFFF", Background("0"));
        Assert.Equal("background-color:#1F2D3D", Background("3"));
        Assert.Equal(ChartPalette.Heat(1, 3).Background, Background("1")[^7..]);
        Assert.Equal("#FFFFFF", ChartPalette.Heat(3, 3).Text);
        Assert.Equal("#000000", ChartPalette.Heat(0, 3).Text);
    }

    [Fact]
    public async Task The_service_norm_table_gives_lead_times_in_one_unit_named_in_the_header()
    {
        var agent = await App.EmployeeAsync("fo", "Sara de Jong", Roles.Frontoffice, "KCC");
        var backOffice = await App.EmployeeAsync("bo", "Bram Oosterhuis", Roles.Backoffice, "Burgerzaken");
        var burgerzaken = await App.TeamIdAsync("Burgerzaken");
        // Two callbacks routed on Tuesday 1 December at 10:00: one done 5 hours later, one 78 hours later.
        App.Clock.SetUtcNow(Local(12, 1, 10));
        var quick = await App.RouteAsync(agent, RoutingTestKit.Callback(burgerzaken));
        var slow = await App.RouteAsync(agent, RoutingTestKit.Callback(burgerzaken));
        App.Clock.SetUtcNow(Local(12, 1, 15));
        await DashboardFiguresTests.CompleteAsync(App, backOffice, quick);
        App.Clock.SetUtcNow(Local(12, 4, 16));
        await DashboardFiguresTests.CompleteAsync(App, backOffice, slow);
        App.Clock.SetUtcNow(Local(12, 21, 11));

        var page = await OpenAsync("?van=2026-12-01&tot=2026-12-31");

        var table = page.FindAll("table").Single(t => t.QuerySelector("caption")?.TextContent == "Servicenormen per team en soort");
        var headers = table.QuerySelectorAll("thead th").Select(th => th.TextContent).ToList();
        Assert.Equal("Gemiddelde doorlooptijd (dagen)", headers[4]);
        Assert.Equal("90% binnen (dagen)", headers[5]);
        var cells = table.QuerySelectorAll("tbody tr")[0].QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        // 41,5 and 78 hours on the clock: both in days, not "41,5 uur" next to "3,3 dagen".
        Assert.Equal(["1,7", "3,3"], cells.Skip(3).Take(2));
        Assert.StartsWith("50,0% (van 2)", cells[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Choosing_a_channel_or_a_period_puts_the_filter_in_the_address()
    {
        var page = await OpenAsync("?van=2026-11-01&tot=2026-11-30");
        var navigation = Services.GetRequiredService<NavigationManager>();

        var channel = page.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == "Kanaal");
        await page.InvokeAsync(() => channel.Instance.ValueChanged.InvokeAsync(nameof(Channel.Telefoon)));
        Assert.EndsWith("/dashboard?van=2026-11-01&tot=2026-11-30&kanaal=Telefoon", navigation.Uri, StringComparison.Ordinal);

        var period = page.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == "Periode");
        await page.InvokeAsync(() => period.Instance.ValueChanged.InvokeAsync("vorige-maand"));
        Assert.Contains("van=2026-10-01&tot=2026-10-31", navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_own_period_that_ends_before_it_starts_gets_a_Dutch_message_and_is_not_applied()
    {
        var page = await OpenAsync("?van=2026-11-01&tot=2026-11-30");
        var navigation = Services.GetRequiredService<NavigationManager>();
        var before = navigation.Uri;

        var period = page.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == "Periode");
        await page.InvokeAsync(() => period.Instance.ValueChanged.InvokeAsync("aangepast"));
        page.Find("input[type=date]").Change("2026-11-20");
        page.FindAll("input[type=date]")[1].Change("2026-11-10");
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.Contains("Periode toepassen", StringComparison.Ordinal)).Click());

        page.WaitForAssertion(() => Assert.Contains("De einddatum ligt vóór de begindatum", page.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Equal(before, navigation.Uri);
    }

    [Fact]
    public async Task Team_leads_see_figures_per_agent()
    {
        var agent = await App.EmployeeAsync("fo", "Sara de Jong", Roles.Frontoffice, "KCC");
        await App.AnsweredAsync(agent, Local(11, 2, 10), null);

        var page = await OpenAsync("?van=2026-11-01&tot=2026-11-30");

        Assert.Contains(page.FindComponents<MudTabPanel>(), p => p.Instance.Text == "Per medewerker");
        Assert.Contains(page.FindComponents<MudSelect<string>>(), s => s.Instance.Label == "Medewerker");
    }
}

/// <summary>Beheerders see the dashboard without figures per agent.</summary>
public class DashboardPageForBeheerderTests : KccBunitContext
{
    protected override string Role => Roles.Beheerder;

    [Fact]
    public async Task A_beheerder_gets_no_figures_or_filter_per_agent()
    {
        var agent = await App.EmployeeAsync("fo", "Sara de Jong", Roles.Frontoffice, "KCC");
        await App.AnsweredAsync(agent, Local(11, 2, 10), null);
        await App.LogAsync(agent, Local(11, 3, 10), null, Channel.Balie, new Asked("paspoort", Outcome.Beantwoord, UnansweredSearch: "paspoort van Jan Jansen"));
        Services.GetRequiredService<NavigationManager>().NavigateTo("/dashboard?van=2026-11-01&tot=2026-11-30");

        var page = Render<DashboardPage>();
        await page.WaitForStateAsync(() => page.Markup.Contains("Berekend op", StringComparison.Ordinal), TimeSpan.FromSeconds(10));

        Assert.DoesNotContain(page.FindComponents<MudTabPanel>(), p => p.Instance.Text == "Per medewerker");
        Assert.DoesNotContain(page.FindComponents<MudSelect<string>>(), s => s.Instance.Label == "Medewerker");
        Assert.DoesNotContain("Sara de Jong", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Jan Jansen", page.Markup, StringComparison.Ordinal);
        Assert.Contains("Wat medewerkers zochten, ziet u als teamleider of kennisbeheerder", page.Markup, StringComparison.Ordinal);
    }
}

/// <summary>The split tables sort with buttons in the column headers, so the keyboard and screen readers can sort too.</summary>
public class FtrSplitTableTests : KccBunitContext
{
    private static FtrSplit Split(string label, int questions, int verifiedRight) =>
        new(label, label, new FtrFigures(questions, questions, questions, verifiedRight, 0, 0, 0, 0, 0));

    [Fact]
    public void Headers_are_buttons_that_sort_and_say_how_the_column_is_sorted()
    {
        var table = Render<FtrSplitTable>(p => p
            .Add(t => t.Caption, "In één keer goed per kanaal")
            .Add(t => t.Dimension, "Kanaal")
            .Add(t => t.Splits, [Split("Balie", 10, 9), Split("Telefoon", 30, 15), Split("E-mail", 20, 19)])
            .Add(t => t.NormPercent, 80)
            .Add(t => t.FilterLink, key => "/f/" + key)
            .Add(t => t.DrillLink, key => "/d/" + key));
        string[] Order() => table.FindAll("tbody th").Select(th => th.TextContent.Trim()).ToArray();

        Assert.Equal(["Telefoon", "E-mail", "Balie"], Order());
        Assert.Equal("descending", table.FindAll("thead th")[1].GetAttribute("aria-sort"));

        table.FindAll("thead button").Single(b => b.TextContent.Contains("Geverifieerd goed", StringComparison.Ordinal)).Click();
        Assert.Equal(["E-mail", "Balie", "Telefoon"], Order());
        Assert.Equal("descending", table.FindAll("thead th")[3].GetAttribute("aria-sort"));
        Assert.Equal("none", table.FindAll("thead th")[1].GetAttribute("aria-sort"));

        table.FindAll("thead button")[3].Click();
        Assert.Equal(["Telefoon", "Balie", "E-mail"], Order());
        Assert.Equal("ascending", table.FindAll("thead th")[3].GetAttribute("aria-sort"));
        Assert.Contains("(onder norm)", table.FindAll("tbody tr")[0].TextContent, StringComparison.Ordinal);

        table.FindAll("thead button")[0].Click();
        Assert.Equal(["Balie", "E-mail", "Telefoon"], Order());
    }
}
