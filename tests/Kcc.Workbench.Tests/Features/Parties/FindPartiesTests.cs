using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Infrastructure;

namespace Kcc.Workbench.Tests.Features.Parties;

public class FindPartiesTests
{
    private static async Task<(TestApp App, int JanId, int FatimaId, int OrganisationId)> ArrangeAsync()
    {
        var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);
        var jan = await app.SendAsync(new CreateParty.Command
        {
            FirstNames = "Jan", Prefix = "de", LastName = "Vries", Bsn = "111222333", Postcode = "1234 ab", HouseNumber = 12, Street = "Dorpsstraat", City = "Demodorp",
            PhoneNumbers = ["06-12345678"], EmailAddresses = ["Jan.de.Vries@Voorbeeld.nl"],
        });
        var fatima = await app.SendAsync(new CreateParty.Command { FirstNames = "Fatima", LastName = "Öztürk-El Amrani", Postcode = "1234AB", HouseNumber = 14 });
        var organisation = await app.SendAsync(new CreateParty.Command { Kind = PartyKind.Organisation, OrganisationName = "Bakkerij Het Zoete Leven", KvkNumber = "12345678", BranchNumber = "000012345678" });
        Assert.True(jan.Succeeded && fatima.Succeeded && organisation.Succeeded, jan.AllErrors + fatima.AllErrors + organisation.AllErrors);
        return (app, jan.Value, fatima.Value, organisation.Value);
    }

    [Theory]
    [InlineData("111222333", "BSN")]
    [InlineData("1112.22.333", "BSN")]
    [InlineData("06 1234 5678", "telefoonnummer")]
    [InlineData("+31612345678", "telefoonnummer")]
    [InlineData("jan.de.vries@voorbeeld.nl", "e-mailadres")]
    [InlineData("1234AB 12", "postcode en huisnummer")]
    [InlineData("1234 ab, 12", "postcode en huisnummer")]
    [InlineData("Vries", "naam")]
    [InlineData("jan de vries", "naam")]
    public async Task Finds_a_resident_by_every_identifier(string text, string searchedOn)
    {
        var (app, janId, _, _) = await ArrangeAsync();
        await using var _ = app;

        var response = await app.SendAsync(new FindParties.Query(text));

        Assert.Equal(searchedOn, response.SearchedOn);
        var match = Assert.Single(response.Matches);
        Assert.Equal(janId, match.Id);
        Assert.Equal("Jan de Vries", match.DisplayName);
        Assert.Equal("•••••2333", match.MaskedBsn);
    }

    [Fact]
    public async Task A_postcode_alone_finds_everyone_at_that_postcode()
    {
        var (app, janId, fatimaId, _) = await ArrangeAsync();
        await using var _ = app;

        var response = await app.SendAsync(new FindParties.Query("1234 AB"));

        Assert.Equal("postcode", response.SearchedOn);
        Assert.Equal(new[] { janId, fatimaId }.Order(), response.Matches.Select(m => m.Id).Order());
    }

    [Fact]
    public async Task Name_search_ignores_diacritics_and_case()
    {
        var (app, _, fatimaId, _) = await ArrangeAsync();
        await using var _ = app;

        var response = await app.SendAsync(new FindParties.Query("ozturk"));

        Assert.Equal(fatimaId, Assert.Single(response.Matches).Id);
    }

    [Fact]
    public async Task Finds_an_organisation_by_kvk_and_vestigingsnummer()
    {
        var (app, _, _, organisationId) = await ArrangeAsync();
        await using var _ = app;

        Assert.Equal(organisationId, Assert.Single((await app.SendAsync(new FindParties.Query("12345678"))).Matches).Id);
        Assert.Equal("vestigingsnummer", (await app.SendAsync(new FindParties.Query("1234 5678 9012"))).SearchedOn);
    }

    [Fact]
    public async Task A_bsn_that_fails_the_elfproef_gets_a_dutch_hint_and_no_search()
    {
        var (app, _, _, _) = await ArrangeAsync();
        await using var _ = app;

        var response = await app.SendAsync(new FindParties.Query("111222334"));

        Assert.Empty(response.Matches);
        Assert.Equal("Dit BSN klopt niet (elfproef). Controleer de 9 cijfers.", response.Hint);
    }

    [Fact]
    public async Task Nobody_found_suggests_registering_a_new_resident()
    {
        var (app, _, _, _) = await ArrangeAsync();
        await using var _ = app;

        var response = await app.SendAsync(new FindParties.Query("Pietersen"));

        Assert.Empty(response.Matches);
        Assert.Contains("Maak een nieuwe inwoner", response.Hint, StringComparison.Ordinal);
    }
}
