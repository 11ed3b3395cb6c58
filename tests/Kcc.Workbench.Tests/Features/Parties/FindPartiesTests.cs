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

    [Fact]
    public async Task A_name_typed_on_is_answered_from_the_names_found_before_for_half_a_minute()
    {
        var (app, janId, _, _) = await ArrangeAsync();
        await using var _ = app;
        var vries = await app.SendAsync(new FindParties.Query("vries", 10));
        Assert.Equal(janId, Assert.Single(vries.Matches).Id);

        // Added between two keys: the next key narrows the names read a moment ago, so it is not among them yet.
        await AddVriesAsync(app, "Jannie");
        var narrowed = await app.SendAsync(new FindParties.Query("vries ja", 10) { Previous = vries });
        Assert.Equal("naam", narrowed.SearchedOn);
        Assert.Equal([janId], narrowed.Matches.Select(m => m.Id));

        // The same text without an earlier answer asks the database and finds both.
        Assert.Equal(2, (await app.SendAsync(new FindParties.Query("vries ja", 10))).Matches.Count);

        // Half a minute later the earlier names are read again.
        app.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(2, (await app.SendAsync(new FindParties.Query("vries jan", 10) { Previous = narrowed })).Matches.Count);
    }

    [Fact]
    public async Task Narrowing_finds_what_the_database_finds_and_a_text_that_widens_asks_the_database()
    {
        var (app, janId, _, _) = await ArrangeAsync();
        await using var _ = app;
        var keesId = await AddVriesAsync(app, "Kees");

        var vries = await app.SendAsync(new FindParties.Query("vries", 10));
        Assert.Equal(2, vries.Matches.Count);
        foreach (var text in new[] { "vries k", "vries ke", "Vries Jan", "vries jan xyz" })
        {
            var fromEarlier = await app.SendAsync(new FindParties.Query(text, 10) { Previous = vries });
            var fromDatabase = await app.SendAsync(new FindParties.Query(text, 10));
            Assert.Equal(fromDatabase.Matches.Select(m => m.Id), fromEarlier.Matches.Select(m => m.Id));
            Assert.Equal(fromDatabase.Hint, fromEarlier.Hint);
        }

        // "vries d" finds Jan de Vries only; "vries de" drops the particle and so widens again to both.
        var withD = await app.SendAsync(new FindParties.Query("vries d", 10) { Previous = vries });
        Assert.Equal([janId], withD.Matches.Select(m => m.Id));
        var withDe = await app.SendAsync(new FindParties.Query("vries de", 10) { Previous = withD });
        Assert.Equal(new[] { janId, keesId }.Order(), withDe.Matches.Select(m => m.Id).Order());
    }

    [Fact]
    public async Task Typing_on_after_a_search_that_found_more_than_fifty_names_asks_the_database_again()
    {
        var (app, _, _, _) = await ArrangeAsync();
        await using var _ = app;
        for (var i = 0; i < 50; i++)
        {
            await AddVriesAsync(app, $"Piet{i:00}");
        }

        var vries = await app.SendAsync(new FindParties.Query("vries", 10)); // Jan de Vries and 50 Piets: 51 names
        Assert.Equal(10, vries.Matches.Count);
        Assert.Contains("Meer dan 10 gevonden", vries.Hint, StringComparison.Ordinal);

        // Not all names were read, so a resident added since is found on the next key.
        await AddVriesAsync(app, "Zeger");
        var zeger = await app.SendAsync(new FindParties.Query("vries zeger", 10) { Previous = vries });
        Assert.Equal("Zeger Vries", Assert.Single(zeger.Matches).DisplayName);
    }

    [Fact]
    public async Task Names_beyond_the_ones_shown_are_kept_for_narrowing()
    {
        var (app, _, _, _) = await ArrangeAsync();
        await using var _ = app;
        for (var i = 0; i < 3; i++)
        {
            await AddVriesAsync(app, $"Piet{i}");
        }

        var vries = await app.SendAsync(new FindParties.Query("vries", 2));
        Assert.Equal(2, vries.Matches.Count);
        Assert.Contains("Meer dan 2 gevonden", vries.Hint, StringComparison.Ordinal);

        // Piet2 was not among the two shown, yet typing on finds him from the names read (not the one added since).
        await AddVriesAsync(app, "Piet2b");
        var piet2 = await app.SendAsync(new FindParties.Query("vries piet2", 2) { Previous = vries });
        Assert.Equal("Piet2 Vries", Assert.Single(piet2.Matches).DisplayName);
        Assert.Equal(2, (await app.SendAsync(new FindParties.Query("vries piet2", 2))).Matches.Count);
    }

    /// <summary>Registers "{firstNames} Vries" and returns the new resident's id.</summary>
    private static async Task<int> AddVriesAsync(TestApp app, string firstNames)
    {
        var created = await app.SendAsync(new CreateParty.Command { FirstNames = firstNames, LastName = "Vries" });
        Assert.True(created.Succeeded, created.AllErrors);
        return created.Value;
    }
}
