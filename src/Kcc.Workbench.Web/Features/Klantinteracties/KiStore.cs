using System.Text.Json.Nodes;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Parties;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Klantinteracties;

/// <summary>One page of a list: the total and the resources on this page.</summary>
public sealed record KiPage(int Count, IReadOnlyList<JsonObject> Results);

/// <summary>What a list or detail request asks: page, filters (by their names in the standard), expand, or one uuid.</summary>
public sealed record KiList(string BaseUrl, int Page, int PageSize, Guid? Uuid, IReadOnlyDictionary<string, string> Filters, IReadOnlySet<string> Expand)
{
    public int Skip => (Page - 1) * PageSize;

    public string? Text(string name) => Filters.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    /// <summary>Values were checked by the endpoint (<see cref="KiQueryString"/>), so parsing cannot fail here.</summary>
    public Guid? UuidFilter(string name) => Text(name) is { } value ? Guid.Parse(value) : null;

    public bool? BoolFilter(string name) => Text(name) is { } value ? string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) : null;

    /// <summary>For a request that came without one: the first resource, as a list of one.</summary>
    public static readonly KiList None = new("", 1, 1, null, new Dictionary<string, string>(), new HashSet<string>());

    public static KiList ForOne(string baseUrl, Guid uuid, IReadOnlySet<string> expand) =>
        new(baseUrl, 1, 1, uuid, new Dictionary<string, string>(), expand);
}

/// <summary>The queries the handlers share: questions a client may see and what hangs off them, in few round trips.</summary>
internal sealed class KiStore(KccDbContext db, ContactAccess access)
{
    public KccDbContext Db => db;

    public IQueryable<Question> VisibleQuestions
    {
        get
        {
            if (access.SeesAllConfidential)
            {
                return db.Questions;
            }

            var visible = db.Contacts.VisibleTo(db, access);
            return db.Questions.Where(q => visible.Any(c => c.Id == q.ContactId));
        }
    }

    public static IQueryable<Question> WithIdentificator(IQueryable<Question> questions, string? objectId, string? soort) => objectId is null
        ? questions
        : soort switch
        {
            "bsn" => questions.Where(q => q.Contact!.Party!.Bsn == objectId),
            "kvk_nummer" => questions.Where(q => q.Contact!.Party!.KvkNumber == objectId),
            "vestigingsnummer" => questions.Where(q => q.Contact!.Party!.BranchNumber == objectId),
            "rsin" => questions.Where(_ => false),
            _ => questions.Where(q => q.Contact!.Party!.Bsn == objectId || q.Contact!.Party!.KvkNumber == objectId || q.Contact!.Party!.BranchNumber == objectId),
        };

    public static IQueryable<Party> WithIdentificator(IQueryable<Party> parties, string? objectId, string? soort) => objectId is null
        ? parties
        : soort switch
        {
            "bsn" => parties.Where(p => p.Bsn == objectId),
            "kvk_nummer" => parties.Where(p => p.KvkNumber == objectId),
            "vestigingsnummer" => parties.Where(p => p.BranchNumber == objectId),
            "rsin" => parties.Where(_ => false),
            _ => parties.Where(p => p.Bsn == objectId || p.KvkNumber == objectId || p.BranchNumber == objectId),
        };

    public static Task<List<ContactRow>> RowsAsync(IQueryable<Question> questions, CancellationToken ct) =>
        questions.Select(q => new ContactRow(
            q.Id, q.Sequence, q.Text, q.Answer, q.Outcome, q.ReferredTo, q.NeedsRouting, q.ArticleId, q.Topic!.Name, q.Topic.Uri,
            q.ContactId, q.Contact!.Channel, q.Contact.Direction, q.Contact.StartedAt, q.Contact.IsConfidential, q.Contact.Language,
            q.Contact.AgentId, q.Contact.AgentName, q.Contact.PartyId)).ToListAsync(ct);

    public async Task<ILookup<long, TaskRow>> TasksAsync(IReadOnlyCollection<long> questionIds, CancellationToken ct) =>
        (await TaskRows(db.InternalTasks.Where(t => questionIds.Contains(t.QuestionId))).ToListAsync(ct)).ToLookup(t => t.QuestionId);

    public static IQueryable<TaskRow> TaskRows(IQueryable<Routing.InternalTask> tasks) =>
        tasks.Select(t => new TaskRow(t.Id, t.QuestionId, t.Action, t.Explanation, t.Status, t.CreatedAt, t.CompletedAt, t.Result, t.TeamId, t.Team!.Name, t.AssigneeId, t.AssigneeName));

    public static IQueryable<PartyRow> PartyRows(IQueryable<Party> parties) =>
        parties.Select(p => new PartyRow(p.Id, p.Kind, p.FirstNames, p.Prefix, p.LastName, p.OrganisationName, p.Bsn, p.KvkNumber, p.BranchNumber,
            p.Street, p.HouseNumber, p.HouseNumberAddition, p.Postcode, p.City, p.AnonymisedAt));

    /// <summary>The employees among these agents, by actor key, with what identifies them (e-mail, user name).</summary>
    public async Task<IReadOnlyDictionary<string, ActorRow>> EmployeesAsync(IEnumerable<string> agentIds, CancellationToken ct)
    {
        var ids = agentIds.Where(a => !a.StartsWith("api:", StringComparison.Ordinal)).Distinct().ToList();
        return ids.Count == 0
            ? new Dictionary<string, ActorRow>()
            : (await db.Users.Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName, u.Email, u.UserName }).ToListAsync(ct))
                .ToDictionary(u => "medewerker:" + u.Id, u => new ActorRow("medewerker:" + u.Id, u.DisplayName, true, u.Email, u.UserName));
    }

    public async Task<Dictionary<int, PartyRow>> PartiesAsync(IReadOnlyCollection<int> ids, CancellationToken ct) =>
        await PartyRows(db.Parties.Where(p => ids.Contains(p.Id))).ToDictionaryAsync(p => p.Id, ct);

    public async Task<ILookup<int, DetailRow>> DetailsAsync(IReadOnlyCollection<int> partyIds, CancellationToken ct) =>
        (await db.PartyContactDetails.Where(d => partyIds.Contains(d.PartyId)).OrderBy(d => d.Id)
            .Select(d => new DetailRow(d.Id, d.PartyId, d.Kind, d.Value)).ToListAsync(ct)).ToLookup(d => d.PartyId);

    /// <summary>The questions (betrokkenen) of each party that this client may see.</summary>
    public async Task<ILookup<int, long>> QuestionsOfPartiesAsync(IReadOnlyCollection<int> partyIds, CancellationToken ct) =>
        (await VisibleQuestions.Where(q => q.Contact!.PartyId != null && partyIds.Contains(q.Contact.PartyId!.Value))
            .OrderBy(q => q.Id).Select(q => new { PartyId = q.Contact!.PartyId!.Value, q.Id }).ToListAsync(ct)).ToLookup(x => x.PartyId, x => x.Id);

    public async Task<JsonObject> PartijAsync(KiMapping map, PartyRow party, CancellationToken ct)
    {
        var details = (await DetailsAsync([party.Id], ct))[party.Id].ToList();
        var questions = (await QuestionsOfPartiesAsync([party.Id], ct))[party.Id].ToList();
        return map.Partij(party, details, questions);
    }
}
