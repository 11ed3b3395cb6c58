using System.Text;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Routing.ServiceNorms;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;

namespace Kcc.Workbench.Web.Features.Dashboard;

/// <summary>The dashboard as CSV for Dutch Excel: the current view, and the question rows behind it.</summary>
public static class DashboardExport
{
    public const string RowCountHeader = "X-Kcc-Rijen";

    public static IEndpointRouteBuilder MapDashboardExports(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/dashboard/overzicht.csv", async (HttpContext context, IMediator mediator, TimeProvider clock, CancellationToken cancellationToken) =>
            {
                var filter = FilterFrom(context, clock);
                if (filter.Problem() is { } problem)
                {
                    return Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest, title: "Het overzicht kan niet worden gemaakt.");
                }

                var view = await mediator.Send(new GetDashboard.Query(filter), cancellationToken);
                return Results.File(Overview(view), "text/csv; charset=utf-8", $"dashboard-{view.Filter.From:yyyy-MM-dd}-{view.Filter.To:yyyy-MM-dd}.csv");
            })
            .RequireAuthorization(policy => policy.RequireRole(Roles.Teamleider, Roles.Beheerder));

        endpoints.MapGet("/dashboard/vragen.csv", async (HttpContext context, IMediator mediator, TimeProvider clock, string? set, CancellationToken cancellationToken) =>
            {
                var questionSet = Enum.TryParse<QuestionSet>(set, out var parsed) && Enum.IsDefined(parsed) ? parsed : QuestionSet.Alle;
                var filter = FilterFrom(context, clock);
                if (filter.Problem() is { } problem)
                {
                    return Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest, title: "De export kan niet worden gemaakt.");
                }

                var all = await mediator.Send(new GetDashboardQuestions.All(filter, questionSet), cancellationToken);
                context.Response.Headers[RowCountHeader] = all.Questions.Count.ToString(DutchFormat.Culture);
                context.Response.Headers.ContentDisposition = $"attachment; filename=\"vragen-{filter.From:yyyy-MM-dd}-{filter.To:yyyy-MM-dd}.csv\"";
                context.Response.ContentType = "text/csv; charset=utf-8";
                await WriteQuestionsAsync(context.Response.Body, all, cancellationToken);
                return Results.Empty;
            })
            .RequireAuthorization(policy => policy.RequireRole(Roles.Teamleider, Roles.Beheerder));
        return endpoints;
    }

    private static DashboardFilter FilterFrom(HttpContext context, TimeProvider clock) =>
        DashboardFilter.FromQuery(key => context.Request.Query[key].FirstOrDefault(), DateOnly.FromDateTime(DutchFormat.ToLocal(clock.GetUtcNow())));

    /// <summary>Streams the rows in chunks: a year of a large city is a million lines, never one string in memory.</summary>
    public static async Task WriteQuestionsAsync(Stream target, GetDashboardQuestions.AllResponse all, CancellationToken cancellationToken)
    {
        await target.WriteAsync(DutchCsv.Encoding.GetPreamble(), cancellationToken);
        var chunk = new StringBuilder();
        string?[] header = ["Vraag", "Contact", "Datum en tijd", "Kanaal", "Onderwerp", "Team", all.ShowsAgents ? "Medewerker" : null,
            "Afhandeling", "Doorgezet", "Geregistreerd goed", "In één keer goed (geverifieerd)", "Herhaalcontact", "Herhaalcontact op", "Afhandeltijd (s)"];
        DutchCsv.AppendHeader(chunk, [.. header.OfType<string>()]);
        foreach (var q in all.Questions)
        {
            object?[] fields =
            [
                q.QuestionId, q.ContactId, DutchFormat.Moment(q.StartedAt), q.Channel.Label(), q.Topic, q.Team,
                .. all.ShowsAgents ? [q.Agent] : Array.Empty<object?>(),
                q.Outcome.Label(), YesNo(q.Routed), YesNo(q.RegisteredRight), q.Verdict.Label(),
                q.RepeatContactId, q.RepeatStartedAt is { } at ? DutchFormat.Moment(at) : null, q.HandlingSeconds,
            ];
            DutchCsv.AppendRow(chunk, fields);
            if (chunk.Length > 64 * 1024)
            {
                await target.WriteAsync(DutchCsv.Encoding.GetBytes(chunk.ToString()), cancellationToken);
                chunk.Clear();
            }
        }

        await target.WriteAsync(DutchCsv.Encoding.GetBytes(chunk.ToString()), cancellationToken);
    }

    private static string YesNo(bool value) => value ? "ja" : "nee";

    /// <summary>Every table of the dashboard as it is on screen, one block after another.</summary>
    public static byte[] Overview(GetDashboard.Response view)
    {
        var csv = new DutchCsv()
            .Row("KCC-dashboard", view.Filter.Describe(), "vergeleken met", view.Previous.Describe())
            .Row("Berekend op", DutchFormat.Moment(view.ComputedAt), "Herhaaltermijn (dagen)", view.RepeatWindowDays, "Norm in één keer goed (%)", view.NormPercent)
            .Row()
            .Row("Kerncijfers", "Deze periode", "Vorige periode");
        csv.Row("In één keer goed, geverifieerd (%)", view.Ftr.Total.VerifiedPercent, view.PreviousFtr.VerifiedPercent)
            .Row("In één keer goed, geregistreerd (%)", view.Ftr.Total.RegisteredPercent, view.PreviousFtr.RegisteredPercent)
            .Row("Vragen", view.Ftr.Total.Questions, view.PreviousFtr.Questions)
            .Row("Niet te verifiëren (anoniem)", view.Ftr.Total.Unverifiable, view.PreviousFtr.Unverifiable)
            .Row("Herhaalcontacten binnen termijn", view.Ftr.Total.Repeated, view.PreviousFtr.Repeated)
            .Row("Contacten", view.Channels.Contacts, view.Channels.PreviousContacts)
            .Row("Doorgezet", view.Ftr.Total.Routed, view.PreviousFtr.Routed)
            .Row("Binnen servicenorm (%)", view.Norms.OnTimePercent, view.PreviousNorms.OnTimePercent)
            .Row();

        csv.Row("In één keer goed per " + view.Ftr.Granularity.ToString().ToLowerInvariant(), "Vragen", "Geregistreerd goed (%)", "Geverifieerd goed (%)", "Niet te verifiëren");
        foreach (var point in view.Ftr.OverTime)
        {
            csv.Row(point.Label, point.Figures.Questions, point.Figures.RegisteredPercent, point.Figures.VerifiedPercent, point.Figures.Unverifiable);
        }

        Splits(csv, "Kanaal", view.Ftr.ByChannel);
        Splits(csv, "Team", view.Ftr.ByTeam);
        if (view.ShowsAgents)
        {
            Splits(csv, "Medewerker", view.Ftr.ByAgent);
        }

        Splits(csv, "Onderwerp", view.Ftr.ByTopic);

        csv.Row().Row("Kanaal", "Contacten", "Vragen", "Aandeel contacten (%)", "Contacten vorige periode", "Verschil (%)", "Uitgaande contacten");
        foreach (var channel in view.Channels.Channels)
        {
            csv.Row(channel.Channel.Label(), channel.Contacts, channel.Questions, Percent(channel.Contacts, view.Channels.Contacts),
                channel.PreviousContacts, Change(channel.Contacts, channel.PreviousContacts), channel.OutgoingContacts);
        }

        csv.Row().Row(["Contacten per uur", .. Enumerable.Range(0, 24).Select(h => (object?)$"{h:00}:00")]);
        for (var day = 0; day < 7; day++)
        {
            csv.Row([ChannelResult.Weekdays[day], .. view.Channels.Heatmap[day].Select(v => (object?)v)]);
        }

        csv.Row().Row("Kanaal", "Contacten", "Gemiddelde afhandeltijd (s)", "90% binnen (s)");
        foreach (var handling in view.Handling)
        {
            csv.Row(handling.Channel.Label(), handling.Contacts, Math.Round(handling.AverageSeconds), handling.P90Seconds);
        }

        csv.Row().Row("Team", "Soort", "Afgerond", "Op tijd", "Op tijd (%)", "Gemiddelde doorlooptijd (uur)", "90% binnen (uur)", "Nu te laat", "Vandaag uiterlijk");
        foreach (var norm in view.Norms.Rows)
        {
            csv.Row(norm.Team, norm.Kind.Label(), norm.Completed, norm.OnTime, norm.OnTimePercent, norm.AverageHours, norm.P90Hours, norm.OverdueNow, norm.DueToday);
        }

        csv.Row().Row("Onderwerp", "Vragen", "Niet in één keer goed", "Doorgezet (%)", "Geverifieerd goed (%)", "Kennisartikel");
        foreach (var topic in view.Topics)
        {
            csv.Row(topic.Topic, topic.Figures.Questions, topic.Figures.Questions - topic.Figures.RegisteredRight + topic.Figures.Repeated,
                topic.Figures.RoutedPercent, topic.Figures.VerifiedPercent, topic.ArticleTitle ?? "geen");
        }

        csv.Row().Row("Gezocht zonder resultaat", "Aantal", "Onderwerp", "Kanalen");
        foreach (var gap in view.Gaps)
        {
            csv.Row(gap.Query, gap.Count, gap.TopicName, string.Join(", ", gap.Channels));
        }

        csv.Row().Row("Artikel met open feedback", "Open meldingen");
        foreach (var feedback in view.Feedback)
        {
            csv.Row(feedback.Title, feedback.Open);
        }

        return csv.ToBytes();
    }

    private static void Splits(DutchCsv csv, string dimension, IReadOnlyList<FtrSplit> splits)
    {
        csv.Row().Row(dimension, "Vragen", "Geregistreerd goed (%)", "Geverifieerd goed (%)", "Herhaalcontacten", "Niet te verifiëren", "Doorgezet (%)");
        foreach (var split in splits)
        {
            csv.Row(split.Label, split.Figures.Questions, split.Figures.RegisteredPercent, split.Figures.VerifiedPercent, split.Figures.Repeated,
                split.Figures.Unverifiable, split.Figures.RoutedPercent);
        }
    }

    internal static double? Percent(int part, int whole) => whole == 0 ? null : 100.0 * part / whole;

    internal static double? Change(int current, int previous) => previous == 0 ? null : 100.0 * (current - previous) / previous;
}
