using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Infrastructure;

namespace Kcc.Workbench.Tests.Features.Contacts;

public class ContactDraftsTests
{
    [Fact]
    public async Task Each_agent_gets_back_only_their_own_latest_draft()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice, "fatima");
        await app.SendAsync(new ContactDrafts.Save("{\"v\":1}"));
        await app.SendAsync(new ContactDrafts.Save("{\"v\":2}"));
        await app.SignInAsAsync(Roles.Frontoffice, "mark");
        Assert.Null(await app.SendAsync(new ContactDrafts.Load()));
        await app.SendAsync(new ContactDrafts.Save("{\"v\":3}"));

        await app.SignInAsAsync(Roles.Frontoffice, "fatima");
        Assert.Equal("{\"v\":2}", await app.SendAsync(new ContactDrafts.Load()));
    }

    [Fact]
    public async Task Discard_forgets_the_draft_and_a_huge_draft_is_refused()
    {
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(Roles.Frontoffice);
        await app.SendAsync(new ContactDrafts.Save("{}"));

        await app.SendAsync(new ContactDrafts.Discard());
        var huge = await app.SendAsync(new ContactDrafts.Save(new string('x', ContactDrafts.MaxJsonLength + 1)));

        Assert.Null(await app.SendAsync(new ContactDrafts.Load()));
        Assert.False(huge.Succeeded);
        Assert.Null(await app.SendAsync(new ContactDrafts.Load()));
    }
}
