using System.Text.Json;
using Kcc.Workbench.Web.Data;
using Microsoft.AspNetCore.Diagnostics;

namespace Kcc.Workbench.Web.Infrastructure;

/// <summary>
/// API callers get status codes with Dutch problem details, never a stack trace or an HTML error page. A refused
/// request (bad JSON, a field that fails validation, no access) is the caller's mistake: one warning line without a
/// stack trace. Only real faults (a 500) are logged as errors with their stack trace, so they stand out.
/// </summary>
public static partial class ApiErrors
{
    public const string InvalidRequestTitle = "Het verzoek klopt niet. Controleer of de inhoud geldige JSON is met de juiste velden.";

    private const string RefusedFields = "kcc.refused-fields";

    private static readonly string[] ControlCharacters = [InputRules.ControlCharacterMessage];

    private static readonly string[] WrongType = ["Deze waarde heeft niet het juiste type of formaat."];

    public static IApplicationBuilder UseKccApiErrors(this IApplicationBuilder app)
    {
        app.UseWhen(IsApi, api => api.UseExceptionHandler(handler => handler.Run(async context =>
        {
            var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            // A full or refused database is not a fault of this code: 503 with the agents' message, as in the workbench.
            var (status, title) = DatabaseFaultBehavior<object, object>.IsStorageFault(error)
                ? (StatusCodes.Status503ServiceUnavailable, DatabaseWriteRefusedException.AgentMessage)
                : (StatusCodes.Status500InternalServerError, "Er ging iets mis. Probeer het later opnieuw.");
            context.Response.StatusCode = status;
            await Results.Problem(statusCode: status, title: title).ExecuteAsync(context);
        })));
        return app.Use(RefuseQuietlyAsync);
    }

    /// <summary>A 400 with the Dutch messages per field; logged once, as a warning, by <see cref="UseKccApiErrors"/>.</summary>
    public static IResult Refused(HttpContext context, IReadOnlyDictionary<string, string[]> errors, string title)
    {
        context.Items[RefusedFields] = errors.Keys;
        return Results.ValidationProblem(errors.ToDictionary(e => e.Key, e => e.Value), title: title);
    }

    /// <summary>The workbench's own APIs and the Klantinteracties API: JSON answers, never pages.</summary>
    public static bool IsApi(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/klantinteracties/api");

    private static async Task RefuseQuietlyAsync(HttpContext context, RequestDelegate next)
    {
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiErrors).FullName!);
        try
        {
            if (IsApi(context) && context.Request.Query.Where(q => q.Value.Any(v => v is not null && InputRules.HasControlCharacters(v))).Select(q => q.Key).ToList() is { Count: > 0 } junk)
            {
                // The same rule as for every text in a request body (InputRules), for the query string's free text.
                await Refused(context, junk.ToDictionary(k => k, _ => ControlCharacters), InvalidRequestTitle).ExecuteAsync(context);
            }
            else
            {
                await next(context);
            }
        }
        catch (BadHttpRequestException bad) when (!context.Response.HasStarted)
        {
            var errors = bad.InnerException is JsonException json ? ApiInput.Describe(json)
                : BoundParameter().Match(bad.Message) is { Success: true } parameter ? new Dictionary<string, string[]> { [parameter.Groups[1].Value] = WrongType }
                : new Dictionary<string, string[]> { ["$"] = [bad.StatusCode == StatusCodes.Status415UnsupportedMediaType ? "Stuur de inhoud als application/json." : "Het verzoek is onvolledig of heeft de verkeerde vorm."] };
            context.Response.Clear();
            context.Response.StatusCode = bad.StatusCode;
            context.Items[RefusedFields] = errors.Keys;
            if (IsApi(context))
            {
                await Results.ValidationProblem(errors.ToDictionary(e => e.Key, e => e.Value), title: InvalidRequestTitle, statusCode: bad.StatusCode).ExecuteAsync(context);
            }
            else
            {
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("Het verzoek klopt niet. Ga terug en probeer het opnieuw.", context.RequestAborted);
            }
        }
        catch (ForbiddenRequestException) when (IsApi(context) && !context.Response.HasStarted)
        {
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "U heeft geen toegang tot deze handeling.").ExecuteAsync(context);
        }

        var status = context.Response.StatusCode;
        if (status is >= 400 and < 500 and not StatusCodes.Status404NotFound && (IsApi(context) || context.Items.ContainsKey(RefusedFields)))
        {
            // Field names only: values may hold personal data.
            var fields = context.Items.TryGetValue(RefusedFields, out var keys) && keys is IEnumerable<string> names ? string.Join(", ", names.Take(10)) : "-";
            logger.LogWarning("Request refused: {Method} {Path} answered {Status}; fields: {Fields}", context.Request.Method, context.Request.Path.Value, status, fields);
        }
    }

    /// <summary>Minimal APIs' message for a query or route value of the wrong type names the parameter (and its value, which is not repeated).</summary>
    [System.Text.RegularExpressions.GeneratedRegex("^Failed to bind parameter \"[^\"]*? (\\w+)\" from")]
    private static partial System.Text.RegularExpressions.Regex BoundParameter();
}
