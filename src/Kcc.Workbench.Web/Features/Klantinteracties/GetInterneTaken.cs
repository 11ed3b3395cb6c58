using System.Text.Json.Nodes;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Integrations;
using Kcc.Workbench.Web.Features.Routing;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kcc.Workbench.Web.Features.Klantinteracties;

/// <summary>
/// Interne taken (our routed questions), oldest first as a back office works them. Filters: status and the actor
/// they are assigned to (the team, or the employee who has it). A task is as confidential as its contact.
/// </summary>
public static class GetInterneTaken
{
    [AllowedFor(Roles.Klantinteracties)]
    public sealed record Query(KiList List) : IRequest<KiPage>;

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, IOptionsMonitor<IntegrationOptions> integrations)
        : IRequestHandler<Query, KiPage>
    {
        public async Task<KiPage> Handle(Query request, CancellationToken cancellationToken)
        {
            var list = request.List ?? KiList.None;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var tasks = db.InternalTasks.WithVisibleContact(db, await ContactAccess.ForAsync(currentUser));
            if (list.Uuid is { } uuid)
            {
                var id = KiIds.TryRead(uuid, KiIds.Internetaak, out var t) ? t : -1;
                tasks = tasks.Where(task => task.Id == id);
            }

            if (list.Text("status") is { } status)
            {
                var wanted = status == "verwerkt" ? InternalTaskStatus.Verwerkt : InternalTaskStatus.TeVerwerken;
                tasks = tasks.Where(t => t.Status == wanted);
            }

            var klantcontact = list.UuidFilter("aanleidinggevendKlantcontact__uuid") ?? list.UuidFilter("klantcontact__uuid");
            if (klantcontact is { } contactUuid)
            {
                var questionId = KiIds.TryRead(contactUuid, KiIds.Klantcontact, out var q) ? q : -1;
                tasks = tasks.Where(t => t.QuestionId == questionId);
            }

            if (list.UuidFilter("toegewezenAanActor__uuid") is { } actorUuid)
            {
                var actor = (await GetActoren.AllAsync(db, integrations.CurrentValue, cancellationToken)).FirstOrDefault(a => a.Uuid == actorUuid);
                tasks = actor?.Key.Split(':', 2) switch
                {
                    ["team", var teamId] => tasks.Where(t => t.TeamId == int.Parse(teamId, System.Globalization.CultureInfo.InvariantCulture)),
                    ["medewerker", var employeeId] => tasks.Where(t => t.AssigneeId == employeeId),
                    ["api", _] => tasks.Where(t => t.AssigneeId == actor.Key),
                    _ => tasks.Where(_ => false),
                };
            }

            var count = await tasks.CountAsync(cancellationToken);
            var rows = await KiStore.TaskRows(tasks.OrderBy(t => t.Id).Skip(list.Skip).Take(list.PageSize)).ToListAsync(cancellationToken);
            var map = new KiMapping(list.BaseUrl);
            return new KiPage(count, [.. rows.Select(map.InterneTaak)]);
        }
    }
}

/// <summary>Actoren: employees (medewerker), teams (organisatorische eenheid) and integration clients (geautomatiseerde actor).</summary>
public static class GetActoren
{
    [AllowedFor(Roles.Klantinteracties)]
    public sealed record Query(KiList List) : IRequest<KiPage>;

    internal static async Task<List<ActorRow>> AllAsync(KccDbContext db, IntegrationOptions integrations, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var employees = await db.Users.OrderBy(u => u.DisplayName).Select(u => new { u.Id, u.DisplayName, u.UserName, u.Email, u.LockoutEnd }).ToListAsync(ct);
        var teams = await db.Teams.OrderBy(t => t.Name).Select(t => new { t.Id, t.Name, t.IsActive }).ToListAsync(ct);
        return
        [
            .. employees.Select(e => new ActorRow("medewerker:" + e.Id, e.DisplayName.Length > 0 ? e.DisplayName : e.UserName ?? e.Id, e.LockoutEnd is null || e.LockoutEnd < now, e.Email, e.UserName)),
            .. teams.Select(t => ActorRow.ForTeam(t.Id, t.Name, t.IsActive)),
            .. integrations.Clients.Select(c => new ActorRow("api:" + c.Name, c.Name, true)),
        ];
    }

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, IOptionsMonitor<IntegrationOptions> integrations) : IRequestHandler<Query, KiPage>
    {
        public async Task<KiPage> Handle(Query request, CancellationToken cancellationToken)
        {
            var list = request.List ?? KiList.None;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            IEnumerable<ActorRow> actors = await AllAsync(db, integrations.CurrentValue, cancellationToken);
            if (list.Uuid is { } uuid)
            {
                actors = actors.Where(a => a.Uuid == uuid);
            }

            if (list.Text("soortActor") is { } soort)
            {
                actors = actors.Where(a => a.Kind == soort);
            }

            if (list.Text("naam") is { } naam)
            {
                actors = actors.Where(a => string.Equals(a.Name, naam, StringComparison.OrdinalIgnoreCase));
            }

            if (list.BoolFilter("indicatieActief") is { } active)
            {
                actors = actors.Where(a => a.IsActive == active);
            }

            // The specification spells these actoridentificatorObjectId; Open Klant also answers actoridentificator__objectId.
            var objectId = list.Text("actoridentificatorObjectId") ?? list.Text("actoridentificator__objectId");
            var objecttype = list.Text("actoridentificatorCodeObjecttype") ?? list.Text("actoridentificator__codeObjecttype");
            var register = list.Text("actoridentificatorCodeRegister") ?? list.Text("actoridentificator__codeRegister");
            var soortObjectId = list.Text("actoridentificatorCodeSoortObjectId") ?? list.Text("actoridentificator__codeSoortObjectId");
            if (objectId is not null || objecttype is not null || register is not null || soortObjectId is not null)
            {
                actors = actors.Where(a => a.Identificatoren().Any(i => i.Matches(objectId, objecttype, register, soortObjectId)));
            }

            var all = actors.ToList();
            var map = new KiMapping(list.BaseUrl);
            return new KiPage(all.Count, [.. all.Skip(list.Skip).Take(list.PageSize).Select(map.Actor)]);
        }
    }
}

/// <summary>Partijen: residents (persoon) and organisations (organisatie), with their identificatoren inline.</summary>
public static class GetPartijen
{
    public static readonly IReadOnlyList<string> Expands = ["betrokkenen", "digitaleAdressen"];

    [AllowedFor(Roles.Klantinteracties)]
    public sealed record Query(KiList List) : IRequest<KiPage>;

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser) : IRequestHandler<Query, KiPage>
    {
        public async Task<KiPage> Handle(Query request, CancellationToken cancellationToken)
        {
            var list = request.List ?? KiList.None;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var store = new KiStore(db, await ContactAccess.ForAsync(currentUser));
            var parties = db.Parties.AsQueryable();
            if (list.Uuid is { } uuid)
            {
                var id = KiIds.TryReadInt(uuid, KiIds.Partij, out var p) ? p : -1;
                parties = parties.Where(x => x.Id == id);
            }

            parties = KiStore.WithIdentificator(parties, list.Text("partijIdentificator__objectId"), list.Text("partijIdentificator__codeSoortObjectId"));
            if (list.Text("soortPartij") is { } soort)
            {
                parties = soort switch
                {
                    "persoon" => parties.Where(x => x.Kind == Parties.PartyKind.Person),
                    "organisatie" => parties.Where(x => x.Kind == Parties.PartyKind.Organisation),
                    _ => parties.Where(_ => false),
                };
            }

            var count = await parties.CountAsync(cancellationToken);
            var rows = await KiStore.PartyRows(parties.OrderBy(x => x.Id).Skip(list.Skip).Take(list.PageSize)).ToListAsync(cancellationToken);
            var ids = rows.Select(r => r.Id).ToList();
            var details = await store.DetailsAsync(ids, cancellationToken);
            var questions = await store.QuestionsOfPartiesAsync(ids, cancellationToken);
            var map = new KiMapping(list.BaseUrl);
            var results = new List<JsonObject>();
            foreach (var row in rows)
            {
                var partij = map.Partij(row, [.. details[row.Id]], [.. questions[row.Id]]);
                if (list.Expand.Count > 0)
                {
                    var expanded = new JsonObject();
                    if (list.Expand.Contains("digitaleAdressen"))
                    {
                        expanded["digitaleAdressen"] = new JsonArray([.. details[row.Id].Select(d => (JsonNode)map.DigitaalAdres(d))]);
                    }

                    if (list.Expand.Contains("betrokkenen"))
                    {
                        var contactRows = await KiStore.RowsAsync(store.VisibleQuestions.Where(q => q.Contact!.PartyId == row.Id).OrderByDescending(q => q.Id).Take(500), cancellationToken);
                        expanded["betrokkenen"] = new JsonArray([.. contactRows.Select(c => (JsonNode)map.Betrokkene(c, row, [.. details[row.Id]]))]);
                    }

                    partij["_expand"] = expanded;
                }

                results.Add(partij);
            }

            return new KiPage(count, results);
        }
    }
}

/// <summary>Partij-identificatoren: each BSN, KVK-nummer and vestigingsnummer of a party is one.</summary>
public static class GetPartijIdentificatoren
{
    [AllowedFor(Roles.Klantinteracties)]
    public sealed record Query(KiList List) : IRequest<KiPage>;

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory) : IRequestHandler<Query, KiPage>
    {
        private static readonly string[] Kinds = [KiIds.Bsn, KiIds.KvkNummer, KiIds.Vestigingsnummer];

        public async Task<KiPage> Handle(Query request, CancellationToken cancellationToken)
        {
            var list = request.List ?? KiList.None;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var parties = db.Parties.AsQueryable();
            var kinds = Kinds.ToList();
            if (list.Uuid is { } uuid)
            {
                var found = Kinds.Select(k => (Kind: k, Ok: KiIds.TryReadInt(uuid, k, out var id), Id: id)).FirstOrDefault(x => x.Ok);
                kinds = found.Ok ? [found.Kind] : [];
                parties = parties.Where(p => p.Id == found.Id);
            }

            var soort = list.Text("partijIdentificator__codeSoortObjectId");
            if (soort is not null)
            {
                kinds = kinds.Where(k => k == soort switch { "bsn" => KiIds.Bsn, "kvk_nummer" => KiIds.KvkNummer, "vestigingsnummer" => KiIds.Vestigingsnummer, _ => "" }).ToList();
            }

            var objectId = list.Text("partijIdentificator__objectId");
            // One row per identificator: the three columns as one ordered list (UNION ALL), paged in the database.
            var bsn = parties.Where(p => kinds.Contains(KiIds.Bsn) && p.Bsn != null && p.Bsn != "" && (objectId == null || p.Bsn == objectId)).Select(p => new { p.Id, Kind = 1 });
            var kvk = parties.Where(p => kinds.Contains(KiIds.KvkNummer) && p.KvkNumber != null && p.KvkNumber != "" && (objectId == null || p.KvkNumber == objectId)).Select(p => new { p.Id, Kind = 2 });
            var branch = parties.Where(p => kinds.Contains(KiIds.Vestigingsnummer) && p.BranchNumber != null && p.BranchNumber != "" && (objectId == null || p.BranchNumber == objectId)).Select(p => new { p.Id, Kind = 3 });
            var all = bsn.Concat(kvk).Concat(branch);
            var count = await all.CountAsync(cancellationToken);
            var page = await all.OrderBy(x => x.Id).ThenBy(x => x.Kind).Skip(list.Skip).Take(list.PageSize).ToListAsync(cancellationToken);
            var ids = page.Select(x => x.Id).Distinct().ToList();
            var rows = await KiStore.PartyRows(db.Parties.Where(p => ids.Contains(p.Id))).ToDictionaryAsync(p => p.Id, cancellationToken);
            var map = new KiMapping(list.BaseUrl);
            var soorten = new[] { "", "bsn", "kvk_nummer", "vestigingsnummer" };
            return new KiPage(count, [.. page.Select(x => map.Identificatoren(rows[x.Id]).First(i => i["partijIdentificator"]!["codeSoortObjectId"]!.GetValue<string>() == soorten[x.Kind]))]);
        }
    }
}

/// <summary>Digitale adressen: a party's phone numbers and e-mail addresses (verstrektDoorPartij).</summary>
public static class GetDigitaleAdressen
{
    public static readonly IReadOnlyList<string> Expands = ["verstrektDoorBetrokkene", "verstrektDoorBetrokkene.hadKlantcontact", "verstrektDoorBetrokkene.hadKlantcontact.leiddeTotInterneTaken"];

    [AllowedFor(Roles.Klantinteracties)]
    public sealed record Query(KiList List) : IRequest<KiPage>;

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser) : IRequestHandler<Query, KiPage>
    {
        public async Task<KiPage> Handle(Query request, CancellationToken cancellationToken)
        {
            var list = request.List ?? KiList.None;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var details = db.PartyContactDetails.AsQueryable();
            if (list.Uuid is { } uuid)
            {
                var id = KiIds.TryReadInt(uuid, KiIds.DigitaalAdres, out var d) ? d : -1;
                details = details.Where(x => x.Id == id);
            }

            if (list.UuidFilter("verstrektDoorPartij__uuid") is { } partij)
            {
                var partyId = KiIds.TryReadInt(partij, KiIds.Partij, out var p) ? p : -1;
                details = details.Where(x => x.PartyId == partyId);
            }

            if (list.UuidFilter("verstrektDoorBetrokkene__uuid") is { } betrokkene)
            {
                // We keep addresses per party: a betrokkene's are those of its contact's party (none for an anonymous contact).
                var store = new KiStore(db, await ContactAccess.ForAsync(currentUser));
                var questionId = KiIds.TryRead(betrokkene, KiIds.Betrokkene, out var b) ? b : -1;
                var partyId = await store.VisibleQuestions.Where(q => q.Id == questionId).Select(q => q.Contact!.PartyId).FirstOrDefaultAsync(cancellationToken) ?? -1;
                details = details.Where(x => x.PartyId == partyId);
            }

            if (list.Text("soortDigitaalAdres") is { } soort)
            {
                details = soort switch
                {
                    "email" => details.Where(x => x.Kind == Parties.ContactDetailKind.Email),
                    "telefoonnummer" => details.Where(x => x.Kind == Parties.ContactDetailKind.Phone),
                    _ => details.Where(_ => false),
                };
            }

            if (list.Text("adres") is { } adres)
            {
                details = details.Where(x => x.Value == adres);
            }

            var count = await details.CountAsync(cancellationToken);
            var rows = await details.OrderBy(x => x.Id).Skip(list.Skip).Take(list.PageSize).Select(x => new DetailRow(x.Id, x.PartyId, x.Kind, x.Value)).ToListAsync(cancellationToken);
            var map = new KiMapping(list.BaseUrl);
            var results = rows.Select(map.DigitaalAdres).ToList();
            if (list.Expand.Count > 0)
            {
                // We keep contact details per party, not per contact: none was given by a betrokkene.
                results.ForEach(r => r["_expand"] = new JsonObject { ["verstrektDoorBetrokkene"] = null });
            }

            return new KiPage(count, results);
        }
    }
}
