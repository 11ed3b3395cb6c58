using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Integrations;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Kcc.Workbench.Web.Features.Klantinteracties;

/// <summary>
/// The VNG Klantinteracties API v1 (as Open Klant 2.x serves it) at /klantinteracties/api/v1, over the workbench's
/// own data, for a resident portal, e-Suite or a zaaksysteem. Clients are the integration clients of
/// Integraties:Clients with the role Klantinteracties, presenting their key as "Authorization: Token &lt;key&gt;".
/// </summary>
public static class KlantinteractiesApi
{
    public const string BasePath = "/klantinteracties/api/v1";
    public const string Scheme = "KlantinteractiesToken";
    public const string Policy = "Klantinteracties";
    public const int MaxPageSize = 500;
    public const int DefaultPageSize = 100;

    public static IServiceCollection AddKlantinteracties(this IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, TokenHandler>(Scheme, null);
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireRole(Roles.Klantinteracties));
        return services;
    }

    public static IEndpointRouteBuilder MapKlantinteracties(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(BasePath).RequireAuthorization(Policy).DisableAntiforgery()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(256 * 1024));

        string[] partyIdentificator = ["bsn", "kvk_nummer", "vestigingsnummer", "rsin"];
        MapRead(api, "klantcontacten", list => new GetKlantcontacten.Query(list), GetKlantcontacten.Expands, new()
        {
            ["hadBetrokkene__wasPartij__partijIdentificator__objectId"] = Filter.Text,
            ["hadBetrokkene__wasPartij__partijIdentificator__codeSoortObjectId"] = Filter.Choice(partyIdentificator),
            ["hadBetrokkene__wasPartij__uuid"] = Filter.Uuid,
            ["hadBetrokkene__uuid"] = Filter.Uuid,
            ["onderwerpobject__uuid"] = Filter.Uuid,
            ["kanaal"] = Filter.Text,
            ["plaatsgevondenOp"] = Filter.Time,
            ["vertrouwelijk"] = Filter.Bool,
            ["leiddeTotInterneTaken"] = Filter.Bool,
        });
        MapRead(api, "betrokkenen", list => new GetBetrokkenen.Query(list), GetBetrokkenen.Expands, new()
        {
            ["hadKlantcontact__uuid"] = Filter.Uuid,
            ["wasPartij__uuid"] = Filter.Uuid,
            ["wasPartij__partijIdentificator__objectId"] = Filter.Text,
            ["wasPartij__partijIdentificator__codeSoortObjectId"] = Filter.Choice(partyIdentificator),
        });
        MapRead(api, "onderwerpobjecten", list => new GetOnderwerpobjecten.Query(list), [], new() { ["klantcontact__uuid"] = Filter.Uuid });
        MapRead(api, "internetaken", list => new GetInterneTaken.Query(list), [], new()
        {
            ["status"] = Filter.Choice("te_verwerken", "verwerkt"),
            ["toegewezenAanActor__uuid"] = Filter.Uuid,
            ["aanleidinggevendKlantcontact__uuid"] = Filter.Uuid,
            ["klantcontact__uuid"] = Filter.Uuid,
        });
        MapRead(api, "actoren", list => new GetActoren.Query(list), [], new()
        {
            ["soortActor"] = Filter.Choice("medewerker", "geautomatiseerde_actor", "organisatorische_eenheid"),
            ["naam"] = Filter.Text,
            ["indicatieActief"] = Filter.Bool,
            ["actoridentificatorObjectId"] = Filter.Text,
            ["actoridentificatorCodeObjecttype"] = Filter.Text,
            ["actoridentificatorCodeRegister"] = Filter.Text,
            ["actoridentificatorCodeSoortObjectId"] = Filter.Text,
            ["actoridentificator__objectId"] = Filter.Text,
            ["actoridentificator__codeObjecttype"] = Filter.Text,
            ["actoridentificator__codeRegister"] = Filter.Text,
            ["actoridentificator__codeSoortObjectId"] = Filter.Text,
        });
        MapRead(api, "actorklantcontacten", list => new GetActorKlantcontacten.Query(list), [], new()
        {
            ["klantcontact__uuid"] = Filter.Uuid,
            ["actor__uuid"] = Filter.Uuid,
        });
        MapRead(api, "partijen", list => new GetPartijen.Query(list), GetPartijen.Expands, new()
        {
            ["partijIdentificator__objectId"] = Filter.Text,
            ["partijIdentificator__codeSoortObjectId"] = Filter.Choice(partyIdentificator),
            ["soortPartij"] = Filter.Choice("persoon", "organisatie", "contactpersoon"),
        });
        MapRead(api, "partij-identificatoren", list => new GetPartijIdentificatoren.Query(list), [], new()
        {
            ["partijIdentificator__objectId"] = Filter.Text,
            ["partijIdentificator__codeSoortObjectId"] = Filter.Choice(partyIdentificator),
        });
        MapRead(api, "digitaleadressen", list => new GetDigitaleAdressen.Query(list), GetDigitaleAdressen.Expands, new()
        {
            ["verstrektDoorPartij__uuid"] = Filter.Uuid,
            ["verstrektDoorBetrokkene__uuid"] = Filter.Uuid,
            ["soortDigitaalAdres"] = Filter.Choice("email", "telefoonnummer", "overig"),
            ["adres"] = Filter.Text,
        });

        api.MapPost("/klantcontacten", async (LogKlantcontact.Command command, IMediator mediator, HttpContext context, CancellationToken ct) =>
        {
            var result = await mediator.Send(command, ct);
            return result.Succeeded
                ? Results.Json(await OneAsync(mediator, new GetKlantcontacten.Query(KiList.ForOne(BaseUrl(context), KiIds.For(KiIds.Klantcontact, result.Value), Empty))), statusCode: StatusCodes.Status201Created)
                : Refused(context, result, "Het klantcontact is niet opgeslagen. Verbeter de genoemde velden.");
        }).WithName("KlantinteractiesKlantcontactCreate");

        api.MapPost("/maak-klantcontact", async (MaakKlantcontact.Command command, IMediator mediator, HttpContext context, CancellationToken ct) =>
        {
            var result = await mediator.Send(command, ct);
            if (!result.Succeeded)
            {
                return Refused(context, result, "Het klantcontact is niet opgeslagen. Verbeter de genoemde velden.");
            }

            var baseUrl = BaseUrl(context);
            var answer = new JsonObject
            {
                ["klantcontact"] = await OneAsync(mediator, new GetKlantcontacten.Query(KiList.ForOne(baseUrl, KiIds.For(KiIds.Klantcontact, result.Value), Empty))),
                ["onderwerpobject"] = await OneAsync(mediator, new GetOnderwerpobjecten.Query(KiList.ForOne(baseUrl, KiIds.For(KiIds.Onderwerpobject, result.Value), Empty))),
            };
            if (command.Betrokkene?.WasPartij is not null)
            {
                answer["betrokkene"] = await OneAsync(mediator, new GetBetrokkenen.Query(KiList.ForOne(baseUrl, KiIds.For(KiIds.Betrokkene, result.Value), Empty)));
            }

            return Results.Json(answer, statusCode: StatusCodes.Status201Created);
        }).WithName("KlantinteractiesMaakKlantcontact");

        MapWrite<LinkBetrokkene.Command>(api, "betrokkenen", list => new GetBetrokkenen.Query(list), "De betrokkene is niet opgeslagen. Verbeter de genoemde velden.");
        MapWrite<SetOnderwerpobject.Command>(api, "onderwerpobjecten", list => new GetOnderwerpobjecten.Query(list), "Het onderwerpobject is niet opgeslagen. Verbeter de genoemde velden.");
        MapWrite<AddDigitaalAdres.Command>(api, "digitaleadressen", list => new GetDigitaleAdressen.Query(list), "Het digitale adres is niet opgeslagen. Verbeter de genoemde velden.");
        MapWrite<CreatePartij.Command>(api, "partijen", list => new GetPartijen.Query(list), "De partij is niet opgeslagen. Verbeter de genoemde velden.");
        MapWrite<AddPartijIdentificator.Command>(api, "partij-identificatoren", list => new GetPartijIdentificatoren.Query(list), "De partij-identificator is niet opgeslagen. Verbeter de genoemde velden.");
        MapWrite<LinkActor.Command>(api, "actorklantcontacten", list => new GetActorKlantcontacten.Query(list), "De actor is niet aan het klantcontact gekoppeld. Verbeter de genoemde velden.");

        api.MapPatch("/internetaken/{uuid:guid}", async (Guid uuid, CompleteInterneTaak.Command command, IMediator mediator, HttpContext context, CancellationToken ct) =>
        {
            var result = await mediator.Send(command with { Uuid = uuid }, ct);
            if (result.ErrorFor(CompleteInterneTaak.Handler.NotFound) is not null)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Deze interne taak bestaat niet.");
            }

            return result.Succeeded
                ? Results.Json(await OneAsync(mediator, new GetInterneTaken.Query(KiList.ForOne(BaseUrl(context), uuid, Empty))))
                : Refused(context, result, "De interne taak is niet gewijzigd. Verbeter de genoemde velden.");
        }).WithName("KlantinteractiesInternetaakPartialUpdate");
        return endpoints;
    }

    private static readonly IReadOnlySet<string> Empty = new HashSet<string>();

    private static async Task<JsonObject?> OneAsync(IMediator mediator, IRequest<KiPage> query) => (await mediator.Send(query)).Results is { Count: > 0 } results ? results[0] : null;

    private static IResult Refused(HttpContext context, Infrastructure.ResultBase result, string title) =>
        result.ErrorFor(DatabaseFault.ErrorKey) is { } refused
            ? Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: refused)
            : ApiErrors.Refused(context, result.Errors, title);

    /// <summary>A POST that writes one resource: 201 with it as a read shows it, 200 when it was already there, 400 naming the fields.</summary>
    private static void MapWrite<TCommand>(RouteGroupBuilder api, string resource, Func<KiList, IRequest<KiPage>> query, string title)
        where TCommand : IRequest<Infrastructure.Result<KiWritten>>
    {
        api.MapPost("/" + resource, async (TCommand command, IMediator mediator, HttpContext context, CancellationToken ct) =>
        {
            var result = await mediator.Send(command, ct);
            if (!result.Succeeded)
            {
                return Refused(context, result, title);
            }

            var written = result.Value!;
            var body = written.Transient is { } transient ? transient(BaseUrl(context)) : await OneAsync(mediator, query(KiList.ForOne(BaseUrl(context), written.Uuid, Empty)));
            return Results.Json(body, statusCode: written.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        }).WithName("Klantinteracties_" + resource + "_create");
    }

    private static void MapRead(RouteGroupBuilder api, string resource, Func<KiList, IRequest<KiPage>> query, IReadOnlyList<string> expands, Dictionary<string, Filter> filters)
    {
        api.MapGet("/" + resource, async (IMediator mediator, HttpContext context, CancellationToken ct) =>
        {
            if (KiQueryString.Read(context.Request.Query, filters, expands, out var page, out var pageSize, out var values, out var expand) is { } errors)
            {
                return ApiErrors.Refused(context, errors, ApiErrors.InvalidRequestTitle);
            }

            var result = await mediator.Send(query(new KiList(BaseUrl(context), page, pageSize, null, values, expand)), ct);
            if (page > 1 && (page - 1) * pageSize >= result.Count)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Ongeldige pagina: deze pagina heeft geen resultaten.");
            }

            return Results.Json(new JsonObject
            {
                ["count"] = result.Count,
                ["next"] = page * pageSize < result.Count ? PageUrl(context, page + 1) : null,
                ["previous"] = page > 1 ? PageUrl(context, page - 1) : null,
                ["results"] = new JsonArray([.. result.Results]),
            });
        }).WithName("Klantinteracties_" + resource + "_list");

        api.MapGet("/" + resource + "/{uuid:guid}", async (Guid uuid, IMediator mediator, HttpContext context, CancellationToken ct) =>
        {
            if (KiQueryString.Read(context.Request.Query, [], expands, out _, out _, out _, out var expand) is { } errors)
            {
                return ApiErrors.Refused(context, errors, ApiErrors.InvalidRequestTitle);
            }

            var result = await mediator.Send(query(KiList.ForOne(BaseUrl(context), uuid, expand)), ct);
            return result.Results.Count == 1
                ? Results.Json(result.Results[0])
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Niet gevonden.");
        }).WithName("Klantinteracties_" + resource + "_retrieve");
    }

    internal static string BaseUrl(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{BasePath}";

    private static string PageUrl(HttpContext context, int page)
    {
        var query = context.Request.Query.Where(q => q.Key != "page").SelectMany(q => q.Value.Select(v => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(v ?? "")))
            .Append("page=" + page.ToString(CultureInfo.InvariantCulture));
        return $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{context.Request.Path}?{string.Join("&", query)}";
    }
}

/// <summary>"Authorization: Token &lt;key&gt;": the integration client whose key hash matches, as for X-Api-Key.</summary>
internal sealed class TokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptionsMonitor<IntegrationOptions> integrations)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue("Authorization", out var values) || values.Count != 1
            || values[0] is not { } header || !header.StartsWith("Token ", StringComparison.Ordinal) || header.Length <= 6)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var client = ApiKeyDefaults.FindClient(integrations.CurrentValue, header[6..].Trim());
        return Task.FromResult(client is null
            ? AuthenticateResult.Fail("Onbekende sleutel.")
            : AuthenticateResult.Success(new AuthenticationTicket(ApiKeyDefaults.Principal(client, Scheme.Name), Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Token";
        await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Geef een geldige sleutel mee: Authorization: Token <sleutel>.").ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Deze sleutel heeft de rol Klantinteracties niet.").ExecuteAsync(Context);
    }
}

/// <summary>A query-string filter: free text, a uuid, a boolean or one of a few words.</summary>
internal sealed record Filter(string Kind, IReadOnlyList<string> Choices)
{
    public static readonly Filter Text = new("text", []);
    public static readonly Filter Uuid = new("uuid", []);
    public static readonly Filter Bool = new("bool", []);
    public static readonly Filter Time = new("time", []);

    public static Filter Choice(params string[] choices) => new("choice", choices);
}

/// <summary>Reads page, pageSize, expand and the known filters; refuses what it cannot read with a 400 naming the parameter.</summary>
internal static class KiQueryString
{
    public static Dictionary<string, string[]>? Read(IQueryCollection query, Dictionary<string, Filter> filters, IReadOnlyList<string> expands,
        out int page, out int pageSize, out Dictionary<string, string> values, out IReadOnlySet<string> expand)
    {
        var errors = new Dictionary<string, string[]>();
        page = 1;
        pageSize = KlantinteractiesApi.DefaultPageSize;
        values = [];
        if (Last(query["page"]) is { Length: > 0 } pageText && (!int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
        {
            errors["page"] = ["Geef een paginanummer van 1 of hoger."];
        }

        if (Last(query["pageSize"]) is { Length: > 0 } sizeText)
        {
            if (!int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize < 1)
            {
                errors["pageSize"] = [$"Geef een paginagrootte van 1 tot en met {KlantinteractiesApi.MaxPageSize}."];
            }

            pageSize = Math.Min(pageSize, KlantinteractiesApi.MaxPageSize);
        }

        var chosen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in query["expand"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!expands.Contains(item))
            {
                errors["expand"] = [expands.Count == 0 ? "Deze resource kent geen expand." : "Kies uit: " + string.Join(", ", expands) + "."];
            }

            chosen.Add(item);
        }

        expand = chosen;
        foreach (var (name, filter) in filters)
        {
            if (Last(query[name]) is not { Length: > 0 } value)
            {
                continue;
            }

            var ok = filter.Kind switch
            {
                "uuid" => Guid.TryParse(value, out _),
                "bool" => value is "true" or "false" or "True" or "False",
                "time" => DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out _),
                "choice" => filter.Choices.Contains(value),
                _ => value.Length <= 1000,
            };
            if (ok)
            {
                values[name] = value;
            }
            else
            {
                errors[name] = [filter.Kind switch
                {
                    "uuid" => "Geef een uuid, bijvoorbeeld 095be615-a8ad-4c33-8e9c-c7612fbf6c9f.",
                    "bool" => "Geef true of false.",
                    "time" => "Geef een datum en tijd, bijvoorbeeld 2026-12-06T09:30:00Z.",
                    "choice" => "Kies uit: " + string.Join(", ", filter.Choices) + ".",
                    _ => "Deze zoekwaarde is te lang: hoogstens 1000 tekens.",
                }];
            }
        }

        return errors.Count > 0 ? errors : null;
    }

    private static string? Last(Microsoft.Extensions.Primitives.StringValues values) => values.Count > 0 ? values[values.Count - 1] : null;
}
