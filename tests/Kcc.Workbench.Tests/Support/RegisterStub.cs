using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kcc.Workbench.Tests.Support;

/// <summary>How the stub register behaves for the next requests.</summary>
public enum StubBehaviour
{
    Normal,
    Slow,
    ServerError,
    Garbage,
}

/// <summary>
/// The BRP (POST /personen, Haal Centraal 2.x) and the KVK (GET /v2/zoeken, GET /v1/basisprofielen/{kvkNummer}) as a real HTTP server on 127.0.0.1, built
/// from their specifications, answering with test persons and companies, or slowly, with 500s or with garbage.
/// </summary>
public sealed class RegisterStub : IAsyncDisposable
{
    private readonly WebApplication app;

    public StubBehaviour Behaviour { get; set; } = StubBehaviour.Normal;

    public ConcurrentQueue<(string Path, IReadOnlyDictionary<string, string> Headers, string Body)> Requests { get; } = new();

    public string Url { get; private set; } = "";

    /// <summary>BSN → BRP persoon (as the API returns it with our fields).</summary>
    public Dictionary<string, JsonObject> Persons { get; } = [];

    public List<JsonObject> Companies { get; } = [];

    private RegisterStub(WebApplication app) => this.app = app;

    public static async Task<RegisterStub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new RegisterStub(app);
        app.MapPost("/personen", async (HttpContext context) => await stub.AnswerAsync(context, body =>
        {
            var query = JsonNode.Parse(body)!;
            var type = query["type"]!.GetValue<string>();
            var found = type switch
            {
                "RaadpleegMetBurgerservicenummer" => query["burgerservicenummer"]!.AsArray().Select(b => stub.Persons.GetValueOrDefault(b!.GetValue<string>())).OfType<JsonObject>(),
                "ZoekMetPostcodeEnHuisnummer" => stub.Persons.Values.Where(p => p["adressering"]?["adresregel2"]?.GetValue<string>().Replace(" ", "", StringComparison.Ordinal)
                    .StartsWith(query["postcode"]!.GetValue<string>(), StringComparison.Ordinal) == true),
                "ZoekMetGeslachtsnaamEnGeboortedatum" => stub.Persons.Values.Where(p =>
                    string.Equals(p["naam"]!["geslachtsnaam"]!.GetValue<string>(), query["geslachtsnaam"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase)
                    && p["geboorte"]!["datum"]!["datum"]!.GetValue<string>() == query["geboortedatum"]!.GetValue<string>()),
                _ => [],
            };
            return new JsonObject { ["type"] = type, ["personen"] = new JsonArray([.. found.Select(p => (JsonNode)p.DeepClone())]) };
        }));
        app.MapGet("/v2/zoeken", async (HttpContext context) => await stub.AnswerAsync(context, _ =>
        {
            var q = context.Request.Query;
            var found = stub.Companies.Where(c =>
                (q["kvkNummer"].Count == 0 || c["kvkNummer"]!.GetValue<string>() == q["kvkNummer"]) &&
                (q["vestigingsnummer"].Count == 0 || c["vestigingsnummer"]?.GetValue<string>() == q["vestigingsnummer"]) &&
                (q["naam"].Count == 0 || c["naam"]!.GetValue<string>().Contains(q["naam"]!, StringComparison.OrdinalIgnoreCase))).ToList();
            return new JsonObject { ["pagina"] = 1, ["resultatenPerPagina"] = 10, ["totaal"] = found.Count, ["resultaten"] = new JsonArray([.. found.Select(c => (JsonNode)c.DeepClone())]) };
        }));
        app.MapGet("/v1/basisprofielen/{kvkNummer}", async (HttpContext context, string kvkNummer) =>
        {
            var branches = stub.Companies.Where(c => c["kvkNummer"]!.GetValue<string>() == kvkNummer).ToList();
            if (branches.Count == 0 && stub.Behaviour == StubBehaviour.Normal)
            {
                stub.Requests.Enqueue((context.Request.Path.Value!, context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), ""));
                await Results.Json(new JsonObject { ["fout"] = new JsonArray(new JsonObject { ["code"] = "IPD0004", ["omschrijving"] = "Het KVK-nummer is niet gevonden" }) }, statusCode: 404).ExecuteAsync(context);
                return;
            }

            await stub.AnswerAsync(context, _ => Basisprofiel(kvkNummer, branches));
        });
        await app.StartAsync();
        stub.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return stub;
    }

    /// <summary>Basisprofiel v1 as the KVK returns it: the registration's names and its hoofdvestiging with its addresses.</summary>
    private static JsonObject Basisprofiel(string kvkNummer, List<JsonObject> branches)
    {
        var main = branches.FirstOrDefault(b => b["type"]?.GetValue<string>() == "hoofdvestiging") ?? branches.FirstOrDefault();
        var profile = new JsonObject
        {
            ["kvkNummer"] = kvkNummer,
            ["naam"] = main?["naam"]?.GetValue<string>(),
            ["statutaireNaam"] = main?["naam"]?.GetValue<string>(),
            ["handelsnamen"] = new JsonArray(new JsonObject { ["naam"] = main?["naam"]?.GetValue<string>(), ["volgorde"] = 0 }),
        };
        if (main?["vestigingsnummer"] is { } branch && main["adres"]?["binnenlandsAdres"] is JsonObject address)
        {
            var visit = (JsonObject)address.DeepClone();
            visit["type"] = "bezoekadres";
            visit["volledigAdres"] = $"{address["straatnaam"]} {address["huisnummer"]} {address["postcode"]} {address["plaats"]}";
            profile["_embedded"] = new JsonObject
            {
                ["hoofdvestiging"] = new JsonObject
                {
                    ["vestigingsnummer"] = branch.GetValue<string>(),
                    ["kvkNummer"] = kvkNummer,
                    ["eersteHandelsnaam"] = main["naam"]?.GetValue<string>(),
                    ["adressen"] = new JsonArray(new JsonObject { ["type"] = "correspondentieadres", ["postbusnummer"] = 100, ["postcode"] = "9999 ZZ", ["plaats"] = "Postbusdorp" }, visit),
                },
            };
        }

        return profile;
    }

    /// <summary>Writes the answer itself: a lambda of HttpContext is a RequestDelegate, whose returned IResult nobody executes.</summary>
    private async Task AnswerAsync(HttpContext context, Func<string, JsonObject> answer) => await (await ResultAsync(context, answer)).ExecuteAsync(context);

    private async Task<IResult> ResultAsync(HttpContext context, Func<string, JsonObject> answer)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        Requests.Enqueue((context.Request.Path.Value!, context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), body));
        switch (Behaviour)
        {
            case StubBehaviour.Slow:
                await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return Results.Json(answer(body));
            case StubBehaviour.ServerError:
                return Results.StatusCode(500);
            case StubBehaviour.Garbage:
                return Results.Text("<html>Gateway says hello</html>{\"personen\": [", "application/json");
            default:
                return Results.Json(answer(body));
        }
    }

    public static JsonObject Person(string bsn, string voornamen, string? voorvoegsel, string geslachtsnaam, string geboortedatum, string adresregel1, string adresregel2, bool geheim = false)
    {
        var person = new JsonObject
        {
            ["burgerservicenummer"] = bsn,
            ["naam"] = new JsonObject { ["voornamen"] = voornamen, ["geslachtsnaam"] = geslachtsnaam },
            ["geboorte"] = new JsonObject { ["datum"] = new JsonObject { ["type"] = "Datum", ["datum"] = geboortedatum, ["langFormaat"] = "12 maart 1980" } },
            ["adressering"] = new JsonObject { ["adresregel1"] = adresregel1, ["adresregel2"] = adresregel2 },
        };
        if (voorvoegsel is not null)
        {
            person["naam"]!["voorvoegsel"] = voorvoegsel;
        }

        if (geheim)
        {
            person["geheimhoudingPersoonsgegevens"] = true;
        }

        return person;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
