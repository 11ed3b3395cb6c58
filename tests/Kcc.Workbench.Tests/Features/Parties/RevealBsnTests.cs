using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Tests.Features.Parties;

public class RevealBsnTests
{
    [Fact]
    public async Task The_bsn_stays_masked_until_shown_and_showing_or_viewing_it_is_audited()
    {
        await using var app = await TestApp.CreateAsync();
        var agent = await app.SignInAsAsync(Roles.Frontoffice, "fatima", "Fatima Ouali");
        var party = (await app.SendAsync(new CreateParty.Command { LastName = "Jansen", Bsn = "111222333" })).Value;

        var profile = await app.SendAsync(new GetPartyProfile.Query(party));
        await app.SendAsync(new RecordPartyView.Command(party));
        var bsn = await app.SendAsync(new RevealBsn.Query(party));

        Assert.Equal("•••••2333", profile!.MaskedBsn);
        Assert.Equal("111222333", bsn);
        await using var db = await app.CreateDbContextAsync();
        var entries = await db.AuditEntries.Where(a => a.EntityType == "Party" && a.EntityId == party.ToString(System.Globalization.CultureInfo.InvariantCulture)).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["betrokkene.aangemaakt", "betrokkene.bekeken", "bsn.getoond"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal(agent.Id, e.ActorId));
        Assert.All(entries, e => Assert.DoesNotContain("111222333", e.Summary, StringComparison.Ordinal));
    }
}
