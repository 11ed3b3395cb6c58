using System.Text;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Audit;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Infrastructure;

namespace Kcc.Workbench.Tests.Features.Audit;

public class SearchAuditLogTests
{
    [Fact]
    public async Task A_beheerder_finds_who_viewed_a_party_by_employee_party_and_period_and_exports_it()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice, "fatima", "Fatima Ouali");
        var jansen = (await app.SendAsync(new CreateParty.Command { LastName = "Jansen", Bsn = "111222333" })).Value;
        var visser = (await app.SendAsync(new CreateParty.Command { LastName = "Visser" })).Value;
        await app.SendAsync(new RecordPartyView.Command(jansen));
        await app.SendAsync(new RevealBsn.Query(jansen));
        await app.SignInAsAsync(Roles.Teamleider, "tessa", "Tessa Lammers");
        await app.SendAsync(new RecordPartyView.Command(visser));
        await app.SignInAsAsync(Roles.Beheerder, "bea", "Bea Heerkens");

        var aboutJansen = await app.SendAsync(new SearchAuditLog.Query { PartyId = jansen });
        var byTessa = await app.SendAsync(new SearchAuditLog.Query { Employee = "Tessa" });
        var lastYear = await app.SendAsync(new SearchAuditLog.Query { From = new DateOnly(2025, 1, 1), To = new DateOnly(2025, 12, 31) });

        Assert.Equal(["bsn.getoond", "betrokkene.bekeken", "betrokkene.aangemaakt"], aboutJansen.Select(r => r.Action));
        Assert.All(aboutJansen, r => Assert.Equal("Fatima Ouali", r.ActorName));
        Assert.Equal(visser.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(byTessa).EntityId);
        Assert.Empty(lastYear);

        var csv = SearchAuditLog.ToCsv(aboutJansen);
        Assert.Equal(Encoding.UTF8.GetPreamble(), csv[..3]);
        var text = Encoding.UTF8.GetString(csv[3..]);
        Assert.StartsWith("Tijd;Medewerker;Handeling;Over;Soort;Id;Details\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\"Fatima Ouali\";\"BSN getoond\";\"Inwoner Jansen\";\"Party\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_cells_cannot_start_a_spreadsheet_formula()
    {
        var csv = Encoding.UTF8.GetString(SearchAuditLog.ToCsv([new AuditRow(1, TestApp.DefaultNow.UtcDateTime, "=HYPERLINK(\"x\")", "a", "b", "c", "d")]));

        Assert.Contains("\"'=HYPERLINK(\"\"x\"\")\"", csv, StringComparison.Ordinal);
    }
}
