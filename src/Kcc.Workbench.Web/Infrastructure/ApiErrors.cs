using Kcc.Workbench.Web.Data;
using Microsoft.AspNetCore.Diagnostics;

namespace Kcc.Workbench.Web.Infrastructure;

/// <summary>API callers get status codes with Dutch problem details, never a stack trace or an HTML error page.</summary>
public static class ApiErrors
{
    public static IApplicationBuilder UseKccApiErrors(this IApplicationBuilder app) =>
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"), api => api.UseExceptionHandler(handler => handler.Run(async context =>
        {
            var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            var (status, title) = error switch
            {
                ForbiddenRequestException => (StatusCodes.Status403Forbidden, "U heeft geen toegang tot deze handeling."),
                _ when DatabaseFaultBehavior<object, object>.IsStorageFault(error) => (StatusCodes.Status503ServiceUnavailable, DatabaseWriteRefusedException.AgentMessage),
                BadHttpRequestException bad => (bad.StatusCode, "Het verzoek klopt niet. Controleer of de inhoud geldige JSON is met de juiste velden."),
                _ => (StatusCodes.Status500InternalServerError, "Er ging iets mis. Probeer het later opnieuw."),
            };
            context.Response.StatusCode = status;
            await Results.Problem(statusCode: status, title: title).ExecuteAsync(context);
        })));
}
