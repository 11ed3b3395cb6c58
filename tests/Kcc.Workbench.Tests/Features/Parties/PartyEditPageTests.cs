using Bunit;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Parties;

namespace Kcc.Workbench.Tests.Features.Parties;

/// <summary>The "Gegevens wijzigen" page: saves a correction, and when a colleague saved first keeps what was typed and shows both.</summary>
public sealed class PartyEditPageTests : KccBunitContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private async Task<int> ResidentAsync() => (await App.SendAsync(new CreateParty.Command
    {
        FirstNames = "Anna", LastName = "Jansen", Street = "Dorpsstraat", HouseNumber = 1, Postcode = "1234AB", City = "Demodorp", PhoneNumbers = ["0612345678"],
    })).Value;

    private IRenderedComponent<PartyEditPage> Open(int partyId)
    {
        var page = Render<PartyEditPage>(p => p.Add(x => x.PartyId, partyId));
        page.WaitForAssertion(() => Assert.Equal("Gegevens wijzigen: Anna Jansen", page.Find("h1").TextContent), Patience);
        return page;
    }

    [Fact]
    public async Task Saves_the_correction_and_says_so()
    {
        var partyId = await ResidentAsync();
        var page = Open(partyId);
        Assert.Equal("1234 AB", page.Find("#pe-postcode").GetAttribute("value"));

        page.Find("#pe-last").Input("de Vries");
        page.Find("#pe-phone").Input("0612345678, 020 123 4567");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Contains("Gegevens opgeslagen.", page.Find("[role=status]").TextContent, StringComparison.Ordinal), Patience);
        Assert.Equal("Gegevens wijzigen: Anna de Vries", page.Find("h1").TextContent);
        var profile = (await App.SendAsync(new GetPartyProfile.Query(partyId)))!;
        Assert.Equal(["0612345678", "020 123 4567"], profile.PhoneNumbers);
    }

    [Fact]
    public async Task Shows_the_rules_message_next_to_the_field()
    {
        var page = Open(await ResidentAsync());

        page.Find("#pe-postcode").Input("0000 XX");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Contains("Postcode klopt niet", page.Markup, StringComparison.Ordinal), Patience);
        Assert.DoesNotContain("Gegevens opgeslagen.", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_colleague_saved_first_the_page_says_so_keeps_the_input_and_lets_the_user_choose()
    {
        var partyId = await ResidentAsync();
        var page = Open(partyId);
        page.Find("#pe-city").Input("Mijnstad");
        var colleague = (await App.SendAsync(new UpdateParty.Query(partyId)))!;
        Assert.True((await App.SendAsync(new UpdateParty.Command
        {
            PartyId = partyId, ExpectedVersion = colleague.Version, FirstNames = "Anna", LastName = "Jansen", Street = "Dorpsstraat", HouseNumber = 1,
            Postcode = "1234AB", City = "Collegastad", PhoneNumbers = ["0612345678"],
        })).Succeeded);

        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Contains(UpdateParty.ConcurrencyMessage, page.Find("[role=alert]").TextContent, StringComparison.Ordinal), Patience);
        Assert.Contains("Collegastad", page.Find("[role=alert]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Mijnstad", page.Find("#pe-city").GetAttribute("value"));

        page.FindAll("button").First(b => b.TextContent.Trim() == "Mijn wijzigingen houden").Click();
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Contains("Gegevens opgeslagen.", page.Find("[role=status]").TextContent, StringComparison.Ordinal), Patience);
        Assert.Contains("Mijnstad", (await App.SendAsync(new GetPartyProfile.Query(partyId)))!.Address, StringComparison.Ordinal);
    }
}
