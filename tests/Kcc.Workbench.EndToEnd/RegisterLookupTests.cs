using System.Text.Json.Nodes;
using Kcc.Workbench.EndToEnd.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using static Kcc.Workbench.EndToEnd.Support.Ui;
using static Microsoft.Playwright.Assertions;

namespace Kcc.Workbench.EndToEnd;

/// <summary>
/// The party search in the contact form asks a stub BRP on a real port (Haal Centraal POST /personen): the agent sees
/// the person "uit de BRP", takes them over with the keyboard, does the same for a company by KVK number (Basisprofiel
/// v1), and when the BRP breaks the form says so and goes on.
/// </summary>
public sealed class RegisterLookupTests(KccApp shared)
{
    [Fact]
    public async Task An_agent_finds_a_resident_in_the_brp_takes_them_over_and_keeps_working_when_the_brp_is_down()
    {
        var failing = false;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var brp = builder.Build();
        brp.MapPost("/personen", async context =>
        {
            if (failing)
            {
                context.Response.StatusCode = 503;
                return;
            }

            var person = new JsonObject
            {
                ["burgerservicenummer"] = "999993653",
                ["naam"] = new JsonObject { ["voornamen"] = "Suzanne", ["voorvoegsel"] = "van", ["geslachtsnaam"] = "Dam" },
                ["geboorte"] = new JsonObject { ["datum"] = new JsonObject { ["type"] = "Datum", ["datum"] = "1985-07-04", ["langFormaat"] = "4 juli 1985" } },
                ["adressering"] = new JsonObject { ["adresregel1"] = "Dorpsstraat 7", ["adresregel2"] = "1234 AB  ERGENSDORP" },
            };
            await Results.Json(new JsonObject { ["type"] = "RaadpleegMetBurgerservicenummer", ["personen"] = new JsonArray(person) }).ExecuteAsync(context);
        });
        // The KVK's Basisprofiel v1 on the same stub: one registration with its hoofdvestiging.
        brp.MapGet("/v1/basisprofielen/{kvkNummer}", async (HttpContext context, string kvkNummer) =>
        {
            if (kvkNummer != "69599084" || context.Request.Headers["apikey"] != "kvk-sleutel")
            {
                context.Response.StatusCode = 404;
                return;
            }

            var visit = new JsonObject { ["type"] = "bezoekadres", ["straatnaam"] = "Marktplein", ["huisnummer"] = 3, ["postcode"] = "1234AB", ["plaats"] = "Ergensdorp" };
            var main = new JsonObject { ["vestigingsnummer"] = "000038509490", ["adressen"] = new JsonArray(visit) };
            await Results.Json(new JsonObject { ["kvkNummer"] = kvkNummer, ["naam"] = "Bakkerij De Korenaar B.V.", ["_embedded"] = new JsonObject { ["hoofdvestiging"] = main } }).ExecuteAsync(context);
        });
        await brp.StartAsync(TestContext.Current.CancellationToken);
        var brpUrl = brp.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var data = Directory.CreateTempSubdirectory("kcc-e2e-brp-");
        await using var app = await AppProcess.StartAsync(data.FullName, new Dictionary<string, string?>
        {
            ["Demo__Contacts"] = "0",
            ["Kcc__Backup__Interval"] = "0",
            ["Brp__Url"] = brpUrl,
            ["Brp__Headers__x-doelbinding"] = "KCC",
            ["Kvk__Url"] = brpUrl,
            ["Kvk__ApiKey"] = "kvk-sleutel",
        });
        await using var context = await shared.Browser.NewContextAsync(new() { BaseURL = app.BaseUrl, Locale = "nl-NL", TimezoneId = "Europe/Amsterdam" });
        var page = await context.NewPageAsync();
        await LoginAsync(page, "fo.demo");
        await OpenEmptyContactFormAsync(page);

        await page.GetByLabel("Zoek inwoner").FillAsync("999993653");
        var result = page.GetByRole(AriaRole.List, new() { Name = "Gevonden in de basisregistraties" }).GetByRole(AriaRole.Button);
        await Expect(result).ToContainTextAsync("Suzanne van Dam");
        await Expect(result).ToContainTextAsync("uit de BRP");
        await Expect(result).ToContainTextAsync("Dorpsstraat 7");
        await AxeAsync(page);
        await result.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Suzanne van Dam" })).ToBeVisibleAsync();

        // A company by KVK number, the same way.
        await OpenEmptyContactFormAsync(page);
        await page.GetByLabel("Zoek inwoner").FillAsync("6959 9084");
        var company = page.GetByRole(AriaRole.List, new() { Name = "Gevonden in de basisregistraties" }).GetByRole(AriaRole.Button);
        await Expect(company).ToContainTextAsync("Bakkerij De Korenaar B.V.");
        await Expect(company).ToContainTextAsync("uit het Handelsregister");
        await Expect(company).ToContainTextAsync("Marktplein 3");
        await company.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Bakkerij De Korenaar B.V." })).ToBeVisibleAsync();

        failing = true;
        await page.GetByLabel("Zoek inwoner").FillAsync("999990019");
        await Expect(page.GetByText("De BRP is nu niet bereikbaar")).ToBeVisibleAsync();
        await AxeAsync(page);
        try
        {
            data.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp cleaner.
        }
    }
}
