using System.Text.Json.Nodes;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Klantinteracties;

/// <summary>
/// Klantcontacten (one per question), newest first. Filters a KCC front end uses: a party's BSN, KVK-nummer or
/// vestigingsnummer, the party's or betrokkene's uuid, kanaal, vertrouwelijk. Confidential contacts only for a client
/// that may read them (<see cref="ContactAccess"/>).
/// </summary>
public static class GetKlantcontacten
{
    public static readonly IReadOnlyList<string> Expands =
        ["gingOverOnderwerpobjecten", "hadBetrokkenen", "hadBetrokkenen.digitaleAdressen", "hadBetrokkenen.wasPartij", "leiddeTotInterneTaken", "omvatteBijlagen"];

    [AllowedFor(Roles.Klantinteracties)]
    public sealed record Query(KiList List) : IRequest<KiPage>;

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser) : IRequestHandler<Query, KiPage>
    {
        public async Task<KiPage> Handle(Query request, CancellationToken cancellationToken)
        {
            var list = request.List ?? KiList.None;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var store = new KiStore(db, await ContactAccess.ForAsync(currentUser));
            var questions = store.VisibleQuestions;
            if (list.Uuid is { } uuid)
            {
                if (!KiIds.TryRead(uuid, KiIds.Klantcontact, out var id))
                {
                    return new KiPage(0, []);
                }

                questions = questions.Where(q => q.Id == id);
            }

            questions = KiStore.WithIdentificator(questions, list.Text("hadBetrokkene__wasPartij__partijIdentificator__objectId"),
                list.Text("hadBetrokkene__wasPartij__partijIdentificator__codeSoortObjectId"));
            if (list.UuidFilter("hadBetrokkene__wasPartij__uuid") is { } partij)
            {
                var partyId = KiIds.TryReadInt(partij, KiIds.Partij, out var p) ? p : -1;
                questions = questions.Where(q => q.Contact!.PartyId == partyId);
            }

            if (list.UuidFilter("hadBetrokkene__uuid") is { } betrokkene)
            {
                var questionId = KiIds.TryRead(betrokkene, KiIds.Betrokkene, out var b) ? b : -1;
                questions = questions.Where(q => q.Id == questionId && q.Contact!.PartyId != null);
            }

            if (list.UuidFilter("onderwerpobject__uuid") is { } onderwerpobject)
            {
                var questionId = KiIds.TryRead(onderwerpobject, KiIds.Onderwerpobject, out var o) ? o : -1;
                questions = questions.Where(q => q.Id == questionId);
            }

            if (list.Text("kanaal") is { } kanaal)
            {
                var channel = KiMapping.ChannelFromText(kanaal);
                questions = channel is null ? questions.Where(_ => false) : questions.Where(q => q.Contact!.Channel == channel);
            }

            if (list.Text("plaatsgevondenOp") is { } at)
            {
                var startedAt = DateTime.Parse(at, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);
                questions = questions.Where(q => q.Contact!.StartedAt == startedAt);
            }

            if (list.BoolFilter("vertrouwelijk") is { } vertrouwelijk)
            {
                questions = questions.Where(q => q.Contact!.IsConfidential == vertrouwelijk);
            }

            if (list.BoolFilter("leiddeTotInterneTaken") is { } routed)
            {
                questions = questions.Where(q => db.InternalTasks.Any(t => t.QuestionId == q.Id) == routed);
            }

            var count = await questions.CountAsync(cancellationToken);
            var rows = await KiStore.RowsAsync(questions.OrderByDescending(q => q.Id).Skip(list.Skip).Take(list.PageSize), cancellationToken);
            var map = new KiMapping(list.BaseUrl) { Employees = await store.EmployeesAsync(rows.Select(r => r.AgentId), cancellationToken) };
            var tasks = await store.TasksAsync([.. rows.Select(r => r.QuestionId)], cancellationToken);
            var results = rows.Select(r => map.Klantcontact(r, [.. tasks[r.QuestionId]])).ToList();
            if (list.Expand.Count > 0)
            {
                await ExpandAsync(store, map, list.Expand, rows, tasks, results, cancellationToken);
            }

            return new KiPage(count, results);
        }

        private static async Task ExpandAsync(KiStore store, KiMapping map, IReadOnlySet<string> expand, List<ContactRow> rows, ILookup<long, TaskRow> tasks, List<JsonObject> results, CancellationToken ct)
        {
            var partyIds = rows.Where(r => r.PartyId is not null).Select(r => r.PartyId!.Value).Distinct().ToList();
            var parties = await store.PartiesAsync(partyIds, ct);
            var details = await store.DetailsAsync(partyIds, ct);
            var partyQuestions = expand.Contains("hadBetrokkenen.wasPartij") ? await store.QuestionsOfPartiesAsync(partyIds, ct) : null;
            for (var i = 0; i < rows.Count; i++)
            {
                var row = rows[i];
                var expanded = new JsonObject();
                if (expand.Any(e => e.StartsWith("hadBetrokkenen", StringComparison.Ordinal)))
                {
                    var betrokkenen = new JsonArray();
                    if (row.PartyId is { } partyId && parties.TryGetValue(partyId, out var party))
                    {
                        var partyDetails = details[partyId].ToList();
                        var betrokkene = map.Betrokkene(row, party, partyDetails);
                        var nested = new JsonObject();
                        if (expand.Contains("hadBetrokkenen.digitaleAdressen"))
                        {
                            nested["digitaleAdressen"] = new JsonArray([.. partyDetails.Select(d => (JsonNode)map.DigitaalAdres(d))]);
                        }

                        if (partyQuestions is not null)
                        {
                            nested["wasPartij"] = map.Partij(party, partyDetails, [.. partyQuestions[partyId]]);
                        }

                        if (nested.Count > 0)
                        {
                            betrokkene["_expand"] = nested;
                        }

                        betrokkenen.Add(betrokkene);
                    }

                    expanded["hadBetrokkenen"] = betrokkenen;
                }

                if (expand.Contains("leiddeTotInterneTaken"))
                {
                    expanded["leiddeTotInterneTaken"] = new JsonArray([.. tasks[row.QuestionId].Select(t => (JsonNode)map.InterneTaak(t))]);
                }

                if (expand.Contains("gingOverOnderwerpobjecten"))
                {
                    expanded["gingOverOnderwerpobjecten"] = new JsonArray(map.Onderwerpobject(row));
                }

                if (expand.Contains("omvatteBijlagen"))
                {
                    expanded["omvatteBijlagen"] = new JsonArray();
                }

                results[i]["_expand"] = expanded;
            }
        }
    }
}

/// <summary>Betrokkenen: the party of each question of a contact that had one (rol klant; initiator when the resident started it).</summary>
public static class GetBetrokkenen
{
    public static readonly IReadOnlyList<string> Expands = ["digitaleAdressen"];

    [AllowedFor(Roles.Klantinteracties)]
    public sealed record Query(KiList List) : IRequest<KiPage>;

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser) : IRequestHandler<Query, KiPage>
    {
        public async Task<KiPage> Handle(Query request, CancellationToken cancellationToken)
        {
            var list = request.List ?? KiList.None;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var store = new KiStore(db, await ContactAccess.ForAsync(currentUser));
            var questions = store.VisibleQuestions.Where(q => q.Contact!.PartyId != null);
            if (list.Uuid is { } uuid)
            {
                var id = KiIds.TryRead(uuid, KiIds.Betrokkene, out var b) ? b : -1;
                questions = questions.Where(q => q.Id == id);
            }

            if (list.UuidFilter("hadKlantcontact__uuid") is { } klantcontact)
            {
                var id = KiIds.TryRead(klantcontact, KiIds.Klantcontact, out var k) ? k : -1;
                questions = questions.Where(q => q.Id == id);
            }

            if (list.UuidFilter("wasPartij__uuid") is { } partij)
            {
                var partyId = KiIds.TryReadInt(partij, KiIds.Partij, out var p) ? p : -1;
                questions = questions.Where(q => q.Contact!.PartyId == partyId);
            }

            questions = KiStore.WithIdentificator(questions, list.Text("wasPartij__partijIdentificator__objectId"), list.Text("wasPartij__partijIdentificator__codeSoortObjectId"));
            var count = await questions.CountAsync(cancellationToken);
            var rows = await KiStore.RowsAsync(questions.OrderByDescending(q => q.Id).Skip(list.Skip).Take(list.PageSize), cancellationToken);
            var partyIds = rows.Select(r => r.PartyId!.Value).Distinct().ToList();
            var parties = await store.PartiesAsync(partyIds, cancellationToken);
            var details = await store.DetailsAsync(partyIds, cancellationToken);
            var map = new KiMapping(list.BaseUrl);
            var results = new List<JsonObject>();
            foreach (var row in rows)
            {
                var partyDetails = details[row.PartyId!.Value].ToList();
                var betrokkene = map.Betrokkene(row, parties[row.PartyId.Value], partyDetails);
                if (list.Expand.Contains("digitaleAdressen"))
                {
                    betrokkene["_expand"] = new JsonObject { ["digitaleAdressen"] = new JsonArray([.. partyDetails.Select(d => (JsonNode)map.DigitaalAdres(d))]) };
                }

                results.Add(betrokkene);
            }

            return new KiPage(count, results);
        }
    }
}

/// <summary>Onderwerpobjecten: the UPL product of each question (codeRegister upl, codeSoortObjectId uri).</summary>
public static class GetOnderwerpobjecten
{
    [AllowedFor(Roles.Klantinteracties)]
    public sealed record Query(KiList List) : IRequest<KiPage>;

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser) : IRequestHandler<Query, KiPage>
    {
        public async Task<KiPage> Handle(Query request, CancellationToken cancellationToken)
        {
            var list = request.List ?? KiList.None;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var store = new KiStore(db, await ContactAccess.ForAsync(currentUser));
            var questions = store.VisibleQuestions;
            if (list.Uuid is { } uuid)
            {
                var id = KiIds.TryRead(uuid, KiIds.Onderwerpobject, out var o) ? o : -1;
                questions = questions.Where(q => q.Id == id);
            }

            if (list.UuidFilter("klantcontact__uuid") is { } klantcontact)
            {
                var id = KiIds.TryRead(klantcontact, KiIds.Klantcontact, out var k) ? k : -1;
                questions = questions.Where(q => q.Id == id);
            }

            var count = await questions.CountAsync(cancellationToken);
            var rows = await KiStore.RowsAsync(questions.OrderByDescending(q => q.Id).Skip(list.Skip).Take(list.PageSize), cancellationToken);
            var map = new KiMapping(list.BaseUrl);
            return new KiPage(count, [.. rows.Select(map.Onderwerpobject)]);
        }
    }
}
