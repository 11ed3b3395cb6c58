using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kcc.Workbench.Web.Features.Parties;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Kcc.Workbench.Web.Features.Registers;

/// <summary>Haal Centraal BRP Personen Bevragen 2.x. Off while <see cref="Url"/> is empty.</summary>
public sealed class BrpOptions
{
    /// <summary>Base URL of the BRP API (the gateway), e.g. https://brp.gemeente.nl/haalcentraal/api/brp; POST {Url}/personen.</summary>
    public string? Url { get; set; }

    /// <summary>Sent as X-Api-Key when set (most gateways want one).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Purpose-binding headers the gateway asks for, sent with every request (e.g. x-doelbinding, x-verwerking, x-origin-oin).</summary>
    public Dictionary<string, string> Headers { get; set; } = [];
}

/// <summary>KVK Handelsregister Zoeken v2. Off while <see cref="Url"/> is empty.</summary>
public sealed class KvkOptions
{
    /// <summary>Base URL, e.g. https://api.kvk.nl/api; GET {Url}/v2/zoeken and GET {Url}/v1/basisprofielen/{kvkNummer}.</summary>
    public string? Url { get; set; }

    /// <summary>Sent in the apikey header.</summary>
    public string? ApiKey { get; set; }
}

/// <summary>A person or organisation as a base register knows it; the agent may take it over as a local party.</summary>
public sealed record RegisterMatch(
    string Source, PartyKind Kind, string? FirstNames, string? Prefix, string? LastName, string? OrganisationName, string? Bsn, DateOnly? DateOfBirth,
    string? KvkNumber, string? BranchNumber, string? Street, int? HouseNumber, string? HouseNumberAddition, string? Postcode, string? City, bool IsSecret)
{
    public const string Brp = "BRP";
    public const string Handelsregister = "Handelsregister";

    public string DisplayName => Kind == PartyKind.Organisation
        ? OrganisationName ?? ""
        : string.Join(' ', new[] { FirstNames, Prefix, LastName }.Where(p => !string.IsNullOrWhiteSpace(p)));

    public string? AddressLine => IsSecret ? null : Street is null && Postcode is null ? null
        : $"{Street} {HouseNumber}{HouseNumberAddition}".Trim() + (Postcode is { Length: 6 } pc ? $", {pc[..4]} {pc[4..]}" : "") + (City is null ? "" : $" {City}");
}

/// <summary>A register did not answer in time, answered with an error or with something we cannot read.</summary>
public sealed class RegisterUnavailableException(string register, Exception? inner = null) : Exception($"{register} niet bereikbaar", inner)
{
    public string Register { get; } = register;
}

public enum BrpQueryType
{
    RaadpleegMetBurgerservicenummer,
    ZoekMetPostcodeEnHuisnummer,
    ZoekMetGeslachtsnaamEnGeboortedatum,
}

/// <summary>POST /personen with only the fields the KCC needs; geheimhoudingPersoonsgegevens comes along by itself.</summary>
public sealed partial class BrpClient(HttpClient http, IOptionsMonitor<BrpOptions> options)
{
    private static readonly string[] Fields =
        ["burgerservicenummer", "naam.voornamen", "naam.voorvoegsel", "naam.geslachtsnaam", "geboorte.datum", "adressering.adresregel1", "adressering.adresregel2"];

    public bool IsEnabled => !string.IsNullOrWhiteSpace(options.CurrentValue.Url);

    public async Task<IReadOnlyList<RegisterMatch>> SearchAsync(BrpQueryType type, JsonObject criteria, string user, CancellationToken ct)
    {
        var settings = options.CurrentValue;
        var body = new JsonObject { ["type"] = type.ToString(), ["fields"] = new JsonArray([.. Fields.Select(f => (JsonNode)f)]) };
        foreach (var (key, value) in criteria)
        {
            body[key] = value?.DeepClone();
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, settings.Url!.TrimEnd('/') + "/personen")
        {
            Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        if (!string.IsNullOrEmpty(settings.ApiKey))
        {
            request.Headers.Add("X-Api-Key", settings.ApiKey);
        }

        foreach (var (name, value) in settings.Headers)
        {
            // "{gebruiker}" in a header value becomes the employee's user name (x-gebruiker in the gateways' convention).
            request.Headers.TryAddWithoutValidation(name, value.Replace("{gebruiker}", user, StringComparison.Ordinal));
        }

        var json = await RegisterHttp.SendAsync(http, request, RegisterMatch.Brp, ct);
        try
        {
            return [.. (json["personen"]?.AsArray() ?? []).OfType<JsonObject>().Select(Person)];
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException)
        {
            throw new RegisterUnavailableException(RegisterMatch.Brp, e);
        }
    }

    private static RegisterMatch Person(JsonObject person)
    {
        var (street, number, addition) = SplitStreet(person["adressering"]?["adresregel1"]?.GetValue<string>());
        var (postcode, city) = SplitPostcodeCity(person["adressering"]?["adresregel2"]?.GetValue<string>());
        var birth = person["geboorte"]?["datum"]?["datum"]?.GetValue<string>();
        return new RegisterMatch(
            RegisterMatch.Brp, PartyKind.Person, person["naam"]?["voornamen"]?.GetValue<string>(), person["naam"]?["voorvoegsel"]?.GetValue<string>(),
            person["naam"]?["geslachtsnaam"]?.GetValue<string>(), null, person["burgerservicenummer"]?.GetValue<string>(),
            birth is null ? null : DateOnly.ParseExact(birth, "yyyy-MM-dd", CultureInfo.InvariantCulture), null, null,
            street, number, addition, postcode, city, person["geheimhoudingPersoonsgegevens"]?.GetValue<bool>() == true);
    }

    /// <summary>"Keizersgracht 123 A" → street, number, addition.</summary>
    internal static (string? Street, int? Number, string? Addition) SplitStreet(string? line)
    {
        if (line is null || StreetLine().Match(line.Trim()) is not { Success: true } m)
        {
            return (line, null, null);
        }

        return (m.Groups["street"].Value, int.Parse(m.Groups["nr"].Value, CultureInfo.InvariantCulture), m.Groups["add"].Success ? m.Groups["add"].Value.Trim() : null);
    }

    /// <summary>"1234 AB  AMSTERDAM" → 1234AB, Amsterdam.</summary>
    internal static (string? Postcode, string? City) SplitPostcodeCity(string? line)
    {
        if (line is null || PostcodeLine().Match(line.Trim()) is not { Success: true } m)
        {
            return (null, line);
        }

        var city = m.Groups["city"].Value.Trim();
        return (Identifiers.NormalizePostcode(m.Groups["pc"].Value),
            city.Length == 0 ? null : CultureInfo.GetCultureInfo("nl-NL").TextInfo.ToTitleCase(city.ToLowerInvariant()));
    }

    [GeneratedRegex(@"^(?<street>.+?)\s+(?<nr>[0-9]{1,5})(?<add>\s*[-\w ]{1,10})?$")]
    private static partial Regex StreetLine();

    [GeneratedRegex(@"^(?<pc>[1-9][0-9]{3}\s?[A-Za-z]{2})\s+(?<city>.*)$")]
    private static partial Regex PostcodeLine();
}

/// <summary>
/// KVK Handelsregister with the apikey header: a KVK number is looked up in Basisprofiel v1 (GET /v1/basisprofielen/{kvkNummer}),
/// which gives the one registration with its hoofdvestiging; a vestigingsnummer, name or postcode + huisnummer is a
/// search in Zoeken v2 (GET /v2/zoeken).
/// </summary>
public sealed class KvkClient(HttpClient http, IOptionsMonitor<KvkOptions> options)
{
    public bool IsEnabled => !string.IsNullOrWhiteSpace(options.CurrentValue.Url);

    public async Task<IReadOnlyList<RegisterMatch>> SearchAsync(IReadOnlyDictionary<string, string> criteria, CancellationToken ct)
    {
        var settings = options.CurrentValue;
        if (criteria.Count == 1 && criteria.TryGetValue("kvkNummer", out var kvkNumber))
        {
            return await BasisprofielAsync(settings, kvkNumber, ct);
        }

        var query = string.Join("&", criteria.Append(KeyValuePair.Create("resultatenPerPagina", "10")).Select(c => c.Key + "=" + Uri.EscapeDataString(c.Value)));
        using var request = new HttpRequestMessage(HttpMethod.Get, settings.Url!.TrimEnd('/') + "/v2/zoeken?" + query);
        if (!string.IsNullOrEmpty(settings.ApiKey))
        {
            request.Headers.Add("apikey", settings.ApiKey);
        }

        var json = await RegisterHttp.SendAsync(http, request, RegisterMatch.Handelsregister, ct, notFoundIsEmpty: true);
        try
        {
            return [.. (json["resultaten"]?.AsArray() ?? []).OfType<JsonObject>().Select(Organisation)];
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new RegisterUnavailableException(RegisterMatch.Handelsregister, e);
        }
    }

    /// <summary>The registration and its hoofdvestiging's bezoekadres; an unknown number (404) is no match, not an outage.</summary>
    private async Task<IReadOnlyList<RegisterMatch>> BasisprofielAsync(KvkOptions settings, string kvkNumber, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, settings.Url!.TrimEnd('/') + "/v1/basisprofielen/" + Uri.EscapeDataString(kvkNumber) + "?geoData=false");
        if (!string.IsNullOrEmpty(settings.ApiKey))
        {
            request.Headers.Add("apikey", settings.ApiKey);
        }

        var json = await RegisterHttp.SendAsync(http, request, RegisterMatch.Handelsregister, ct, notFoundIsEmpty: true);
        if (json.Count == 0)
        {
            return [];
        }

        try
        {
            var main = json["_embedded"]?["hoofdvestiging"] as JsonObject;
            var address = (main?["adressen"] as JsonArray)?.OfType<JsonObject>()
                .OrderBy(a => a["type"]?.GetValue<string>() == "bezoekadres" ? 0 : 1).FirstOrDefault();
            var name = json["naam"]?.GetValue<string>() ?? json["statutaireNaam"]?.GetValue<string>()
                ?? (json["handelsnamen"] as JsonArray)?.FirstOrDefault()?["naam"]?.GetValue<string>();
            return
            [
                new RegisterMatch(
                    RegisterMatch.Handelsregister, PartyKind.Organisation, null, null, null, name, null, null,
                    json["kvkNummer"]?.GetValue<string>() ?? kvkNumber, main?["vestigingsnummer"]?.GetValue<string>(), address?["straatnaam"]?.GetValue<string>(),
                    Number(address?["huisnummer"]), address?["huisletter"]?.GetValue<string>(), Identifiers.NormalizePostcode(address?["postcode"]?.GetValue<string>()),
                    address?["plaats"]?.GetValue<string>(), false),
            ];
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new RegisterUnavailableException(RegisterMatch.Handelsregister, e);
        }
    }

    private static int? Number(JsonNode? number) =>
        number is null ? null : number.GetValueKind() == JsonValueKind.Number ? number.GetValue<int>() : int.Parse(number.GetValue<string>(), CultureInfo.InvariantCulture);

    private static RegisterMatch Organisation(JsonObject result)
    {
        var address = result["adres"]?["binnenlandsAdres"];
        var number = address?["huisnummer"];
        return new RegisterMatch(
            RegisterMatch.Handelsregister, PartyKind.Organisation, null, null, null, result["naam"]?.GetValue<string>(), null, null,
            result["kvkNummer"]?.GetValue<string>(), result["vestigingsnummer"]?.GetValue<string>(), address?["straatnaam"]?.GetValue<string>(),
            Number(number),
            address?["huisletter"]?.GetValue<string>(), Identifiers.NormalizePostcode(address?["postcode"]?.GetValue<string>()), address?["plaats"]?.GetValue<string>(), false);
    }
}

internal static class RegisterHttp
{
    /// <summary>The answer as JSON, or <see cref="RegisterUnavailableException"/> for every way a register can let us down.</summary>
    public static async Task<JsonObject> SendAsync(HttpClient http, HttpRequestMessage request, string register, CancellationToken ct, bool notFoundIsEmpty = false)
    {
        try
        {
            using var response = await http.SendAsync(request, ct);
            if (notFoundIsEmpty && response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return [];
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new RegisterUnavailableException(register, new HttpRequestException($"{(int)response.StatusCode}"));
            }

            return await response.Content.ReadFromJsonAsync<JsonObject>(ct) ?? throw new RegisterUnavailableException(register);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or NotSupportedException or Polly.Timeout.TimeoutRejectedException
            or Polly.CircuitBreaker.BrokenCircuitException or InvalidOperationException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            throw new RegisterUnavailableException(register, e);
        }
    }
}

public static class RegisterRegistration
{
    public static IServiceCollection AddRegisters(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<BrpOptions>(configuration.GetSection("Brp"));
        services.Configure<KvkOptions>(configuration.GetSection("Kvk"));
        services.AddHttpClient<BrpClient>().AddResilienceHandler("register", Resilience);
        services.AddHttpClient<KvkClient>().AddResilienceHandler("register", Resilience);
        return services;
    }

    /// <summary>
    /// 2 seconds per attempt, two quick retries (5xx, 408, 429, no connection, timeout), a breaker that stops asking a
    /// register that keeps failing for 30 seconds, and 7 seconds for the whole search. Network time is wall-clock time:
    /// the pipeline runs on the system clock even where the app's TimeProvider is a test's fake clock.
    /// </summary>
    private static void Resilience(ResiliencePipelineBuilder<HttpResponseMessage> builder)
    {
        builder.TimeProvider = TimeProvider.System;
        builder
            .AddTimeout(TimeSpan.FromSeconds(7))
            .AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 2, Delay = TimeSpan.FromMilliseconds(200), BackoffType = DelayBackoffType.Exponential })
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                SamplingDuration = TimeSpan.FromSeconds(10), MinimumThroughput = 4, FailureRatio = 0.5, BreakDuration = TimeSpan.FromSeconds(30),
            })
            .AddTimeout(TimeSpan.FromSeconds(2));
    }
}
