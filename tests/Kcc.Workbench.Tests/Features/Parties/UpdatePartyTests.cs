using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Features.Privacy;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Tests.Features.Parties;

public class UpdatePartyTests
{
    private static async Task<(TestApp App, int PartyId)> ResidentAsync()
    {
        var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);
        var created = await app.SendAsync(new CreateParty.Command
        {
            FirstNames = "Anna", LastName = "Jansen", Bsn = "111222333", Street = "Dorpsstraat", HouseNumber = 1, Postcode = "1234AB", City = "Demodorp",
            PhoneNumbers = ["06 1234 5678"], EmailAddresses = ["anna@voorbeeld.nl"],
        });
        return (app, created.Value);
    }

    private static UpdateParty.Command Edit(PartyForEdit party) => new()
    {
        PartyId = party.Id, ExpectedVersion = party.Version, Kind = party.Kind, FirstNames = party.FirstNames, Prefix = party.Prefix, LastName = party.LastName,
        Street = party.Street, HouseNumber = party.HouseNumber, HouseNumberAddition = party.HouseNumberAddition, Postcode = party.Postcode, City = party.City,
        PhoneNumbers = party.PhoneNumbers, EmailAddresses = party.EmailAddresses,
    };

    [Fact]
    public async Task Corrects_name_address_and_contact_details_so_search_finds_the_new_ones()
    {
        var (app, partyId) = await ResidentAsync();
        await using var _ = app;
        var loaded = (await app.SendAsync(new UpdateParty.Query(partyId)))!;

        var result = await app.SendAsync(Edit(loaded) with
        {
            LastName = "de Vries", Postcode = "5678 cd", HouseNumber = 12, Street = "Kerkstraat", PhoneNumbers = ["+31 20 123 4567"], EmailAddresses = ["anna@voorbeeld.nl", "a.devries@voorbeeld.nl"],
        });

        Assert.True(result.Succeeded, result.AllErrors);
        Assert.Equal(2, result.Value);
        var profile = (await app.SendAsync(new GetPartyProfile.Query(partyId)))!;
        Assert.Equal("Anna de Vries", profile.DisplayName);
        Assert.Equal("Kerkstraat 12, 5678 CD Demodorp", profile.Address);
        Assert.Equal(["+31 20 123 4567"], profile.PhoneNumbers);
        Assert.Equal(["anna@voorbeeld.nl", "a.devries@voorbeeld.nl"], profile.EmailAddresses.Order(StringComparer.Ordinal).Reverse());
        Assert.Equal("•••••2333", profile.MaskedBsn);
        Assert.Contains((await app.SendAsync(new FindParties.Query("0201234567", 10))).Matches, m => m.Id == partyId);
        Assert.Contains((await app.SendAsync(new FindParties.Query("de vries", 10))).Matches, m => m.Id == partyId);
        Assert.DoesNotContain((await app.SendAsync(new FindParties.Query("0612345678", 10))).Matches, m => m.Id == partyId);
    }

    [Fact]
    public async Task Uses_the_same_rules_as_registering()
    {
        var (app, partyId) = await ResidentAsync();
        await using var _ = app;
        var loaded = (await app.SendAsync(new UpdateParty.Query(partyId)))!;

        var result = await app.SendAsync(Edit(loaded) with { LastName = "", Postcode = "1234 SA", PhoneNumbers = ["12345"], EmailAddresses = ["geen-adres"] });

        Assert.Equal("Vul de achternaam in.", result.ErrorFor("LastName"));
        Assert.StartsWith("Postcode klopt niet", result.ErrorFor("Postcode"), StringComparison.Ordinal);
        Assert.StartsWith("Telefoonnummer '12345' klopt niet", result.ErrorFor("PhoneNumbers[0]"), StringComparison.Ordinal);
        Assert.StartsWith("E-mailadres 'geen-adres' klopt niet", result.ErrorFor("EmailAddresses[0]"), StringComparison.Ordinal);
        Assert.Equal("Anna Jansen", (await app.SendAsync(new GetPartyProfile.Query(partyId)))!.DisplayName);
    }

    [Fact]
    public async Task The_second_of_two_editors_is_refused_and_the_first_ones_change_stays()
    {
        var (app, partyId) = await ResidentAsync();
        await using var _ = app;
        var first = (await app.SendAsync(new UpdateParty.Query(partyId)))!;
        var second = (await app.SendAsync(new UpdateParty.Query(partyId)))!;

        var saved = await app.SendAsync(Edit(first) with { LastName = "Jansen-Bakker" });
        var refused = await app.SendAsync(Edit(second) with { City = "Anderdorp" });

        Assert.True(saved.Succeeded);
        Assert.Equal(UpdateParty.ConcurrencyMessage, refused.ErrorFor("ExpectedVersion"));
        var now = (await app.SendAsync(new UpdateParty.Query(partyId)))!;
        Assert.Equal(("Jansen-Bakker", "Demodorp", 2), (now.LastName, now.City, now.Version));
    }

    [Fact]
    public async Task A_save_racing_another_between_reading_and_writing_is_refused_by_the_database()
    {
        var (app, partyId) = await ResidentAsync();
        await using var _ = app;
        var loaded = (await app.SendAsync(new UpdateParty.Query(partyId)))!;
        // Someone else's save lands after this edit read the party but before its UPDATE: the audit entry, written in the
        // same save before the party row, raises the version under the edit's feet.
        await using (var db = await app.CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync(TestDatabase.IsPostgreSql
                ? "CREATE FUNCTION test_race() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN " +
                  "UPDATE \"Parties\" SET \"Version\" = \"Version\" + 1, \"City\" = 'Anderdorp' WHERE \"Id\" = CAST(NEW.\"EntityId\" AS integer); RETURN NEW; END $$; " +
                  "CREATE TRIGGER test_race AFTER INSERT ON \"AuditEntries\" FOR EACH ROW WHEN (NEW.\"Action\" = 'betrokkene.gewijzigd') EXECUTE FUNCTION test_race();"
                : "CREATE TRIGGER test_race AFTER INSERT ON AuditEntries WHEN NEW.Action = 'betrokkene.gewijzigd' " +
                  "BEGIN UPDATE Parties SET Version = Version + 1, City = 'Anderdorp' WHERE Id = CAST(NEW.EntityId AS INTEGER); END;");
        }

        var result = await app.SendAsync(Edit(loaded) with { LastName = "Jansen-Bakker", PhoneNumbers = ["020 123 4567"] });

        Assert.Equal(UpdateParty.ConcurrencyMessage, result.ErrorFor("ExpectedVersion"));
        await using var after = await app.CreateDbContextAsync();
        var party = await after.Parties.Include(p => p.ContactDetails).SingleAsync(p => p.Id == partyId);
        Assert.Equal(("Jansen", "0612345678"), (party.LastName, party.ContactDetails.Single(d => d.Kind == ContactDetailKind.Phone).NormalizedValue));
        Assert.Equal(0, await after.AuditEntries.CountAsync(a => a.Action == "betrokkene.gewijzigd"));
    }

    [Fact]
    public async Task An_anonymised_party_cannot_get_personal_data_back_and_the_kind_cannot_change()
    {
        var (app, partyId) = await ResidentAsync();
        await using var _ = app;
        var loaded = (await app.SendAsync(new UpdateParty.Query(partyId)))!;

        var kind = await app.SendAsync(Edit(loaded) with { Kind = PartyKind.Organisation, OrganisationName = "Jansen BV" });
        await app.SignInAsAsync(Roles.Beheerder, "beheer");
        await app.SendAsync(new EraseParty.Command(partyId, "Verzoek 2026-0042"));
        await app.SignInAsAsync(Roles.Frontoffice);
        var erased = (await app.SendAsync(new UpdateParty.Query(partyId)))!;
        var refilled = await app.SendAsync(Edit(erased) with { FirstNames = "Anna", LastName = "Jansen" });

        Assert.NotNull(kind.ErrorFor("Kind"));
        Assert.True(erased.Anonymised);
        Assert.Contains("geanonimiseerd", refilled.ErrorFor("PartyId"), StringComparison.Ordinal);
        await using var db = await app.CreateDbContextAsync();
        Assert.Equal("Geanonimiseerd", (await db.Parties.SingleAsync(p => p.Id == partyId)).LastName);
    }
}
