using System.Diagnostics;
using System.Text.Json.Nodes;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Features.Registers;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Tests.Features.Registers;

/// <summary>BRP and KVK lookups against stub registers on a real port: what is asked, what the agent gets, what is kept.</summary>
public sealed class RegisterLookupTests : IAsyncLifetime
{
    private RegisterStub stub = null!;
    private TestApp app = null!;

    public async ValueTask InitializeAsync()
    {
        stub = await RegisterStub.StartAsync();
        stub.Persons["999993653"] = RegisterStub.Person("999993653", "Jan Pieter", "de", "Vries", "1980-03-12", "Keizersgracht 123 A", "1015 CJ  AMSTERDAM");
        stub.Persons["999990019"] = RegisterStub.Person("999990019", "Anna", null, "Geheim", "1975-01-02", "Verborgenstraat 1", "1015 CJ  AMSTERDAM", geheim: true);
        stub.Companies.Add(new JsonObject
        {
            ["kvkNummer"] = "69599084", ["vestigingsnummer"] = "000038509490", ["naam"] = "Test EMZ Dagobert", ["type"] = "hoofdvestiging",
            ["adres"] = new JsonObject { ["binnenlandsAdres"] = new JsonObject { ["type"] = "bezoekadres", ["straatnaam"] = "Abebe Bikilalaan", ["huisnummer"] = 17, ["postcode"] = "1019 HA", ["plaats"] = "Amsterdam" } },
        });
        app = await TestApp.CreateAsync(settings: new Dictionary<string, string?>
        {
            ["Brp:Url"] = stub.Url,
            ["Brp:ApiKey"] = "brp-sleutel",
            ["Brp:Headers:x-doelbinding"] = "KCC-dienstverlening",
            ["Brp:Headers:x-gebruiker"] = "{gebruiker}",
            ["Kvk:Url"] = stub.Url,
            ["Kvk:ApiKey"] = "kvk-sleutel",
        });
        await app.SignInAsAsync(Roles.Frontoffice, "fo.test", "Fatima Test");
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        await stub.DisposeAsync();
    }

    [Fact]
    public async Task A_bsn_asks_the_brp_for_only_the_kcc_fields_with_the_purpose_headers_and_is_audited_without_the_bsn()
    {
        var found = await app.SendAsync(new SearchRegisters.Query("999993653"));

        var person = Assert.Single(found.Matches);
        Assert.Equal(("BRP", "Jan Pieter de Vries", new DateOnly(1980, 3, 12)), (person.Source, person.DisplayName, person.DateOfBirth));
        Assert.Equal(("Keizersgracht", 123, "A", "1015CJ", "Amsterdam"), (person.Street, person.HouseNumber, person.HouseNumberAddition, person.Postcode, person.City));
        var request = Assert.Single(stub.Requests);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("RaadpleegMetBurgerservicenummer", body["type"]!.GetValue<string>());
        Assert.Equal(7, body["fields"]!.AsArray().Count);
        Assert.Equal("KCC-dienstverlening", request.Headers["x-doelbinding"]);
        Assert.Equal("fo.test", request.Headers["x-gebruiker"]);
        Assert.Equal("brp-sleutel", request.Headers["x-api-key"]);
        await using var db = await app.CreateDbContextAsync();
        var entry = await db.AuditEntries.SingleAsync(a => a.Action == "brp.bevraagd");
        Assert.Equal("Fatima Test", entry.ActorName);
        Assert.Contains("RaadpleegMetBurgerservicenummer", entry.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("999993653", entry.Summary + entry.EntityId, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1015 CJ 123", "ZoekMetPostcodeEnHuisnummer", 2)]
    [InlineData("de Vries 12-03-1980", "ZoekMetGeslachtsnaamEnGeboortedatum", 1)]
    public async Task Postcode_with_huisnummer_and_name_with_birth_date_are_brp_searches(string text, string type, int persons)
    {
        var found = await app.SendAsync(new SearchRegisters.Query(text));

        Assert.Equal(persons, found.Matches.Count(m => m.Source == RegisterMatch.Brp));
        var body = JsonNode.Parse(Assert.Single(stub.Requests, r => r.Path == "/personen").Body)!;
        Assert.Equal(type, body["type"]!.GetValue<string>());
        if (type == "ZoekMetGeslachtsnaamEnGeboortedatum")
        {
            Assert.Equal(("Vries", "de", "1980-03-12"), (body["geslachtsnaam"]!.GetValue<string>(), body["voorvoegsel"]!.GetValue<string>(), body["geboortedatum"]!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task A_kvk_number_asks_the_basisprofiel_with_the_apikey_and_gives_the_hoofdvestigings_visiting_address()
    {
        var found = await app.SendAsync(new SearchRegisters.Query("69599084"));

        var company = Assert.Single(found.Matches);
        Assert.Equal(("Handelsregister", "Test EMZ Dagobert", "69599084", "000038509490"), (company.Source, company.DisplayName, company.KvkNumber, company.BranchNumber));
        // The stub lists a postbus correspondentieadres first: the agent needs where the company is.
        Assert.Equal(("Abebe Bikilalaan", 17, "1019HA", "Amsterdam"), (company.Street, company.HouseNumber, company.Postcode, company.City));
        var request = Assert.Single(stub.Requests);
        Assert.Equal("/v1/basisprofielen/69599084", request.Path);
        Assert.Equal("kvk-sleutel", request.Headers["apikey"]);
    }

    [Fact]
    public async Task An_unknown_kvk_number_is_no_match_and_no_outage()
    {
        var found = await app.SendAsync(new SearchRegisters.Query("90004760"));

        Assert.Empty(found.Matches);
        Assert.Empty(found.Notices);
        Assert.Equal("/v1/basisprofielen/90004760", Assert.Single(stub.Requests).Path);
    }

    [Fact]
    public async Task A_vestigingsnummer_or_a_name_searches_the_handelsregister()
    {
        var byBranch = await app.SendAsync(new SearchRegisters.Query("000038509490"));

        Assert.Equal("Test EMZ Dagobert", Assert.Single(byBranch.Matches).DisplayName);
        Assert.StartsWith("/v2/zoeken", Assert.Single(stub.Requests).Path, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StubBehaviour.ServerError)]
    [InlineData(StubBehaviour.Garbage)]
    public async Task A_failing_basisprofiel_gives_the_kvk_notice(StubBehaviour behaviour)
    {
        stub.Behaviour = behaviour;

        var found = await app.SendAsync(new SearchRegisters.Query("69599084"));

        Assert.Empty(found.Matches);
        Assert.Contains(SearchRegisters.KvkDown, found.Notices);
    }

    [Fact]
    public async Task Choosing_a_brp_result_creates_the_party_once_and_refreshes_it_with_source_and_date()
    {
        var match = (await app.SendAsync(new SearchRegisters.Query("999993653"))).Matches.Single();

        var first = await app.SendAsync(new TakeFromRegister.Command(match));
        app.Clock.Advance(TimeSpan.FromDays(3));
        var second = await app.SendAsync(new TakeFromRegister.Command(match with { Street = "Herengracht", HouseNumber = 1, HouseNumberAddition = null }));

        Assert.True(first.Succeeded, first.AllErrors);
        Assert.Equal(first.Value, second.Value);
        await using var db = await app.CreateDbContextAsync();
        var party = await db.Parties.SingleAsync(p => p.Bsn == "999993653");
        Assert.Equal(("BRP", "Herengracht", TestApp.DefaultNow.UtcDateTime.AddDays(3)), (party.RegisterSource, party.Street, party.RegisterCheckedAt));
        Assert.Equal(["betrokkene.aangemaakt", "betrokkene.bijgewerkt"], await db.AuditEntries.Where(a => a.EntityType == "Party" && a.EntityId == party.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
    }

    [Fact]
    public async Task Under_geheimhouding_the_agent_is_warned_and_the_address_is_not_kept()
    {
        var match = (await app.SendAsync(new SearchRegisters.Query("999990019"))).Matches.Single();

        Assert.True(match.IsSecret);
        Assert.Null(match.AddressLine);
        var taken = await app.SendAsync(new TakeFromRegister.Command(match));
        await using var db = await app.CreateDbContextAsync();
        var party = await db.Parties.SingleAsync(p => p.Id == taken.Value);
        Assert.Equal("Geheim", party.LastName);
        Assert.Null(party.Street);
        Assert.Null(party.Postcode);
    }

    [Theory]
    [InlineData(StubBehaviour.Slow)]
    [InlineData(StubBehaviour.ServerError)]
    [InlineData(StubBehaviour.Garbage)]
    public async Task A_slow_failing_or_garbled_register_gives_a_dutch_notice_in_seconds_and_local_search_still_works(StubBehaviour behaviour)
    {
        stub.Behaviour = behaviour;
        var clock = Stopwatch.StartNew();

        var found = await app.SendAsync(new SearchRegisters.Query("999993653"));

        Assert.Empty(found.Matches);
        Assert.Equal([SearchRegisters.BrpDown], found.Notices);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(9), $"took {clock.Elapsed}");
        var local = await app.SendAsync(new FindParties.Query("999993653"));
        Assert.Equal("BSN", local.SearchedOn);
    }

    [Fact]
    public async Task Registers_are_off_unless_configured()
    {
        await using var offline = await TestApp.CreateAsync();
        await offline.SignInAsAsync(Roles.Frontoffice);

        var found = await offline.SendAsync(new SearchRegisters.Query("999993653"));

        Assert.Empty(found.Matches);
        Assert.Empty(found.Notices);
        Assert.Empty(stub.Requests);
    }
}
