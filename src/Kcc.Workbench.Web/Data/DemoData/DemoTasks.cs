using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Routing;
using Kcc.Workbench.Web.Features.Routing.ServiceNorms;
using Microsoft.EntityFrameworkCore;
using static Kcc.Workbench.Web.Data.DemoData.DemoContacts;

namespace Kcc.Workbench.Web.Data.DemoData;

/// <summary>
/// Internal tasks for the demo questions that went to the back office: older ones completed with a result, the
/// last weeks' partly open — some taken, some not reached, some overdue — so /backoffice and /regie have work.
/// Fixed random seed; only when there are no tasks yet. Raw ADO.NET like the demo contacts.
/// </summary>
internal static class DemoTasks
{
    private static readonly (string Id, string Name)[] Staff =
        [("demo-bo-1", "Ilse Bakker"), ("demo-bo-2", "Hans Verbeek"), ("demo-bo-3", "Nora el Idrissi"), ("demo-bo-4", "Gijs Mulder"), ("demo-bo-5", "Esra Yıldız")];

    private static readonly (RequestedAction Action, int Weight)[] ActionMix =
        [(RequestedAction.InBehandelingNemen, 45), (RequestedAction.BeantwoordenPerEmail, 25), (RequestedAction.AfspraakMaken, 15), (RequestedAction.BeantwoordenPerBrief, 10), (RequestedAction.Terugbellen, 5)];

    private static readonly string[] Explanations =
    [
        "Inwoner wil weten wat de stand van zaken is.",
        "Vraag kon niet direct beantwoord worden; dossierkennis nodig.",
        "Inwoner heeft al eerder gebeld, graag snel oppakken.",
        "Graag contact opnemen over de benodigde documenten.",
        "Inwoner is ontevreden over de eerdere afhandeling.",
    ];

    private static readonly string[] Results =
    [
        "Inwoner gebeld en uitgelegd wat de volgende stap is. Hij ontvangt binnen twee weken bericht.",
        "Aanvraag is verwerkt; de inwoner krijgt een bevestiging per post.",
        "Afspraak gemaakt aan de balie. De inwoner neemt zijn ID-bewijs mee.",
        "Antwoord per e-mail gestuurd met de gevraagde informatie.",
        "Melding doorgegeven aan de buitendienst; wordt deze week opgelost.",
    ];

    public static async Task GenerateAsync(IDbContextFactory<KccDbContext> factory, TimeProvider clock, OfficeCalendar calendar, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (await db.InternalTasks.AnyAsync(cancellationToken))
        {
            return;
        }

        var questions = await db.Questions.AsNoTracking().Where(q => q.NeedsRouting)
            .OrderBy(q => q.Id)
            .Select(q => new
            {
                q.Id, q.ContactId, q.TopicId, q.Outcome, q.Contact!.PartyId, q.Contact.Channel, q.Contact.EndedAt, q.Contact.AgentId, q.Contact.AgentName,
                TeamId = db.RoutingRules.Where(r => r.TopicId == q.TopicId).Select(r => (int?)r.TeamId).FirstOrDefault() ?? q.Topic!.DefaultTeamId,
                HasAddress = q.Contact.Party != null && q.Contact.Party.Postcode != null,
                Email = q.Contact.Party == null ? null : q.Contact.Party.ContactDetails.Where(d => d.Kind == Features.Parties.ContactDetailKind.Email).Select(d => d.Value).FirstOrDefault(),
                Phone = q.Contact.Party == null ? null : q.Contact.Party.ContactDetails.Where(d => d.Kind == Features.Parties.ContactDetailKind.Phone).Select(d => d.Value).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        if (questions.Count == 0)
        {
            return;
        }

        var norms = await db.ServiceNorms.AsNoTracking().Where(n => n.TopicId == null).ToDictionaryAsync(n => n.Kind, n => (n.Amount, n.Unit), cancellationToken);
        var kcc = await db.Teams.Where(t => t.Name == "KCC").Select(t => (int?)t.Id).FirstOrDefaultAsync(cancellationToken);
        var burgerzaken = await db.Teams.Where(t => t.Name == "Burgerzaken").Select(t => (int?)t.Id).FirstOrDefaultAsync(cancellationToken);
        var backOffice = await db.Users.Where(u => u.UserName == "bo.demo").Select(u => new { u.Id, u.DisplayName }).FirstOrDefaultAsync(cancellationToken);
        var promises = new PromisedDates(calendar);
        var random = new Random(20261126);
        var now = clock.GetUtcNow().UtcDateTime;

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var insertTask = Command(connection, transaction,
            "INSERT INTO InternalTasks (QuestionId, ContactId, PartyId, TopicId, Channel, TeamId, AssigneeId, AssigneeName, Action, Explanation, ReachBy, ReachAt, " +
            "Reachable, Status, Step, DueAt, Norm, CreatedAt, CreatedById, CreatedByName, UpdatedAt, Attempts, RetryAt, Result, CompletedAt, CompletedByName, Version) " +
            "VALUES ($question, $contact, $party, $topic, $channel, $team, $assignee, $assigneeName, $action, $explanation, $reachBy, $reachAt, " +
            "$reachable, $status, $step, $due, $norm, $created, $createdBy, $createdByName, $updated, $attempts, $retry, $result, $completed, $completedBy, $version) RETURNING Id",
            "$question", "$contact", "$party", "$topic", "$channel", "$team", "$assignee", "$assigneeName", "$action", "$explanation", "$reachBy", "$reachAt",
            "$reachable", "$status", "$step", "$due", "$norm", "$created", "$createdBy", "$createdByName", "$updated", "$attempts", "$retry", "$result", "$completed", "$completedBy", "$version");
        await using var insertLog = Command(connection, transaction,
            "INSERT INTO TaskLogEntries (TaskId, At, EmployeeId, EmployeeName, Kind, Text, Version) VALUES ($task, $at, $employee, $name, $kind, $text, $version)",
            "$task", "$at", "$employee", "$name", "$kind", "$text", "$version");
        await using var insertNotification = Command(connection, transaction,
            "INSERT INTO EmployeeNotifications (EmployeeId, CreatedAt, Text, Link) VALUES ($employee, $created, $text, $link)",
            "$employee", "$created", "$text", "$link");

        foreach (var q in questions)
        {
            var teamId = q.TeamId ?? kcc;
            if (teamId is null)
            {
                continue;
            }

            var action = q.Outcome == Outcome.Terugbelverzoek ? RequestedAction.Terugbellen : Pick(random, ActionMix);
            if ((action == RequestedAction.BeantwoordenPerBrief && !q.HasAddress) || (action == RequestedAction.BeantwoordenPerEmail && q.Email is null))
            {
                action = RequestedAction.InBehandelingNemen;
            }

            if (action == RequestedAction.Terugbellen && q.Phone is null)
            {
                action = RequestedAction.InBehandelingNemen;
            }

            var kind = NormKinds.For(action, q.Channel);
            var (amount, unit) = norms.TryGetValue(kind, out var norm) ? norm : NormKinds.Default(kind);
            var created = q.EndedAt;
            var due = promises.Apply(created, amount, unit);
            var age = now - created;
            // Mostly open while the term runs; a few overdue ones, fewer the longer ago.
            var openChance = due > now ? (age.TotalDays < 2 ? 0.95 : 0.85) : (now - due).TotalDays < 3 ? 0.5 : age.TotalDays < 30 ? 0.03 : 0;
            var isOpen = random.NextDouble() < openChance;

            var (assigneeId, assigneeName) = PickAssignee(random, isOpen, teamId == burgerzaken ? backOffice?.Id : null, backOffice?.DisplayName);
            var attempts = isOpen && assigneeId is not null && action == RequestedAction.Terugbellen && random.NextDouble() < 0.3 ? 1 : 0;
            var step = !isOpen ? TaskStep.Afgerond : attempts > 0 ? TaskStep.NietBereikt : assigneeId is null ? TaskStep.Nieuw : TaskStep.InBehandeling;
            // Most are done within the norm; about one in eight only after it.
            var officeTerm = unit == NormUnit.Werkdagen ? TimeSpan.FromHours((amount + 1) * 8.5) : TimeSpan.FromHours(amount);
            var share = random.NextDouble() < 0.88 ? 0.1 + (random.NextDouble() * 0.7) : 1.2 + random.NextDouble();
            DateTime? completed = isOpen ? null : Min(calendar.AddOfficeHours(created, officeTerm * share), now.AddMinutes(-1));
            var claimed = assigneeId is null ? (DateTime?)null
                : Max(created, Min(calendar.AddOfficeHours(created, TimeSpan.FromMinutes(15 + random.Next(300))), (completed ?? now).AddMinutes(-5)));
            DateTime? retry = attempts > 0 ? calendar.AddOfficeHours(claimed!.Value.AddMinutes(30), RecordNotReached.DefaultRetryAfter) : null;
            var result = isOpen ? null : Results[random.Next(Results.Length)];
            var version = 1 + (claimed is null ? 0 : 1) + attempts + (completed is null ? 0 : 1);
            var reachBy = action switch
            {
                RequestedAction.Terugbellen => ReachBy.Telefoon,
                RequestedAction.BeantwoordenPerEmail => ReachBy.Email,
                _ => q.Phone is not null ? ReachBy.Telefoon : q.Email is not null ? ReachBy.Email : (ReachBy?)null,
            };
            var reachAt = reachBy switch { ReachBy.Telefoon => q.Phone, ReachBy.Email => q.Email, _ => null };
            var normText = new PromisedDate(due, kind, amount, unit, ForTopic: false).Norm;

            Set(insertTask, q.Id, q.ContactId, q.PartyId, q.TopicId, (int)q.Channel, teamId, assigneeId, assigneeName, (int)action,
                Explanations[random.Next(Explanations.Length)], (int?)reachBy, reachAt, reachAt is not null && random.NextDouble() < 0.3 ? "Werkdagen na 14:00" : null,
                isOpen ? (int)InternalTaskStatus.TeVerwerken : (int)InternalTaskStatus.Verwerkt, (int)step, due, normText, created, q.AgentId, q.AgentName,
                completed ?? retry ?? claimed ?? created, attempts, isOpen ? retry : null, result, completed, completed is null ? null : assigneeName, version);
            var taskId = Convert.ToInt64(await insertTask.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);

            var logVersion = 1;
            await LogAsync(insertLog, taskId, created, q.AgentId, q.AgentName, TaskLogKind.Aangemaakt,
                $"{action.Label()}, {TaskTiming.Promise(due)} ({normText}).", logVersion, cancellationToken);
            if (claimed is { } at)
            {
                await LogAsync(insertLog, taskId, at, assigneeId!, assigneeName!, TaskLogKind.Opgepakt, "Opgepakt met Volgende pakken.", ++logVersion, cancellationToken);
                if (assigneeId == backOffice?.Id && isOpen)
                {
                    Set(insertNotification, assigneeId, created, $"{action.Label()}: nieuwe taak voor u, {TaskTiming.Promise(due)}.", $"/taken/{taskId}");
                    await insertNotification.ExecuteNonQueryAsync(cancellationToken);
                }
            }

            if (attempts > 0)
            {
                await LogAsync(insertLog, taskId, claimed!.Value.AddMinutes(30), assigneeId!, assigneeName!, TaskLogKind.NietBereikt,
                    $"Niet bereikt (poging 1). Nieuwe poging {TaskTiming.LongMoment(retry!.Value)}.", ++logVersion, cancellationToken);
            }

            if (completed is { } done)
            {
                await LogAsync(insertLog, taskId, done, assigneeId!, assigneeName!, TaskLogKind.Afgerond, "Afgerond: " + result, ++logVersion, cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static (string? Id, string? Name) PickAssignee(Random random, bool isOpen, string? demoAccountId, string? demoAccountName)
    {
        var roll = random.NextDouble();
        if (demoAccountId is not null && (isOpen ? roll < 0.08 : roll < 0.2))
        {
            return (demoAccountId, demoAccountName);
        }

        if (isOpen && roll < 0.55)
        {
            return (null, null);
        }

        var staff = Staff[random.Next(Staff.Length)];
        return (staff.Id, staff.Name);
    }

    private static async Task LogAsync(System.Data.Common.DbCommand insert, long taskId, DateTime at, string employeeId, string name, TaskLogKind kind, string text, int version, CancellationToken cancellationToken)
    {
        Set(insert, taskId, at, employeeId, name, (int)kind, text, version);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static T Pick<T>(Random random, (T Value, int Weight)[] mix)
    {
        var roll = random.Next(mix.Sum(m => m.Weight));
        foreach (var (value, weight) in mix)
        {
            if (roll < weight)
            {
                return value;
            }

            roll -= weight;
        }

        return mix[^1].Value;
    }
}
