using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Infrastructure;

namespace Kcc.Workbench.Tests.Features.Parties;

public class CreatePartyTests
{
    [Fact]
    public async Task Rejects_a_bsn_that_fails_the_elfproef()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);

        var result = await app.SendAsync(new CreateParty.Command { LastName = "Jansen", Bsn = "123456789" });

        Assert.Equal("BSN klopt niet (elfproef). Controleer de 9 cijfers.", result.ErrorFor("Bsn"));
    }

    [Fact]
    public async Task Refuses_a_second_resident_with_the_same_bsn()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);
        await app.SendAsync(new CreateParty.Command { LastName = "Jansen", Bsn = "111222333" });

        var second = await app.SendAsync(new CreateParty.Command { LastName = "Janssen", Bsn = "111 222 333" });

        Assert.Contains("Er is al een inwoner met dit BSN", second.ErrorFor("Bsn"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_agents_registering_the_same_bsn_at_the_same_moment_make_one_resident()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            Task.Run(() => app.SendAsync(new CreateParty.Command { LastName = "Gelijk" + i, Bsn = "111222333" }))));

        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Contains("Er is al een inwoner met dit BSN", r.ErrorFor("Bsn"), StringComparison.Ordinal));
        await using var db = await app.CreateDbContextAsync();
        Assert.Equal(1, db.Parties.Count(p => p.Bsn == "111222333"));
    }

    [Fact]
    public async Task Checks_organisation_numbers_postcode_phone_and_email()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);

        var result = await app.SendAsync(new CreateParty.Command
        {
            Kind = PartyKind.Organisation,
            OrganisationName = "",
            KvkNumber = "1234567",
            BranchNumber = "12345",
            Postcode = "1234 SA",
            PhoneNumbers = ["12345"],
            EmailAddresses = ["geen-adres"],
        });

        Assert.Equal("Vul de naam van de organisatie in.", result.ErrorFor("OrganisationName"));
        Assert.Equal("Een KVK-nummer heeft 8 cijfers.", result.ErrorFor("KvkNumber"));
        Assert.Equal("Een vestigingsnummer heeft 12 cijfers.", result.ErrorFor("BranchNumber"));
        Assert.StartsWith("Postcode klopt niet", result.ErrorFor("Postcode"), StringComparison.Ordinal);
        Assert.StartsWith("Telefoonnummer '12345' klopt niet", result.ErrorFor("PhoneNumbers[0]"), StringComparison.Ordinal);
        Assert.StartsWith("E-mailadres 'geen-adres' klopt niet", result.ErrorFor("EmailAddresses[0]"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_person_needs_a_last_name_and_a_birth_date_not_in_the_future()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);

        var result = await app.SendAsync(new CreateParty.Command { DateOfBirth = new DateOnly(2030, 1, 1) });

        Assert.Equal("Vul de achternaam in.", result.ErrorFor("LastName"));
        Assert.NotNull(result.ErrorFor("DateOfBirth"));
    }

    [Fact]
    public async Task Stores_normalized_identifiers_and_shows_them_on_the_profile()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);

        var created = await app.SendAsync(new CreateParty.Command
        {
            FirstNames = "Sanne", LastName = "Visser", Bsn = "1112.22.333", DateOfBirth = new DateOnly(1980, 5, 17),
            Street = "Kerkstraat", HouseNumber = 3, HouseNumberAddition = "a", Postcode = "1234ab", City = "Demodorp",
            PhoneNumbers = ["06 1234 5678", "020-1234567"], EmailAddresses = ["sanne@voorbeeld.nl"],
        });
        var profile = await app.SendAsync(new GetPartyProfile.Query(created.Value));

        Assert.NotNull(profile);
        Assert.Equal("Sanne Visser", profile.DisplayName);
        Assert.Equal("•••••2333", profile.MaskedBsn);
        Assert.Equal("Kerkstraat 3a, 1234 AB Demodorp", profile.Address);
        Assert.Equal(["06 1234 5678", "020-1234567"], profile.PhoneNumbers);
        Assert.Equal(["sanne@voorbeeld.nl"], profile.EmailAddresses);
    }
}
