using System.Text.Json.Serialization;
using FluentValidation;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Routing;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Contacts;

/// <summary>
/// Saves one contact with its questions in one transaction (shared with other agents' saves of the same moment, see
/// WriteBatcher), forgets the agent's draft and remembers the channel as the agent's default. Questions with outcome
/// Doorgezet naar backoffice or Terugbelverzoek are marked for routing; when the agent filled in the routing fields,
/// their internal tasks are created in the same transaction.
/// </summary>
/// <summary>A contact was saved; published inside its transaction (<see cref="EventScope.Db"/>).</summary>
public sealed record ContactLogged(long ContactId, EventScope Scope) : INotification;

public static class LogContact
{
    /// <remarks>Also the body of <c>POST /api/v1/klantcontacten</c>: members marked JsonRequired must be in it.</remarks>
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice)]
    public sealed record Command : IRequest<Result<long>>
    {
        [JsonRequired]
        public Channel Channel { get; init; } = Channel.Telefoon;
        public Direction Direction { get; init; } = Direction.Inkomend;

        [JsonRequired]
        public DateTime StartedAt { get; init; }

        /// <summary>Null means "now": the moment of saving ends the contact.</summary>
        public DateTime? EndedAt { get; init; }

        /// <summary>Null for an anonymous contact.</summary>
        public int? PartyId { get; init; }

        public bool IsConfidential { get; init; }
        public string Language { get; init; } = "nl";

        [JsonRequired]
        public IReadOnlyList<QuestionInput> Questions { get; init; } = [];

        /// <summary>
        /// Work of a workbench feature that must commit in the same transaction as the contact (the inbox puts its
        /// reply in the outbox); it may throw to refuse the save. Never part of the API body.
        /// </summary>
        [JsonIgnore]
        internal Func<KccDbContext, Contact, CancellationToken, Task>? AlsoInTransaction { get; init; }
    }

    public sealed record QuestionInput
    {
        [JsonRequired]
        public int? TopicId { get; init; }

        [JsonRequired]
        public string? Text { get; init; }
        public string? Answer { get; init; }
        [JsonRequired]
        public Outcome? Outcome { get; init; }
        public string? ReferredTo { get; init; }

        /// <summary>The kennisbank article version whose answer the agent used (inserted from the panel).</summary>
        public int? ArticleId { get; init; }

        public int? ArticleVersionId { get; init; }

        /// <summary>
        /// The agent's last kennisbank search for this question when it found nothing. Saved as a knowledge gap when no
        /// article was used: the final question, not every keystroke typed on the way to it.
        /// </summary>
        public string? UnansweredSearch { get; init; }

        /// <summary>For Doorgezet naar backoffice and Terugbelverzoek: the internal task to create. Without it the question waits for RouteQuestion.</summary>
        public RoutingInput? Routing { get; init; }
    }

    internal sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(c => c.Channel).IsInEnum().WithMessage("Kies een kanaal.");
            RuleFor(c => c.Direction).IsInEnum().WithMessage("Kies inkomend of uitgaand.");
            RuleFor(c => c.Language).Must(l => ContactLabels.Languages.ContainsKey(l)).WithMessage("Kies een taal uit de lijst.");
            RuleFor(c => c.StartedAt)
                .Must(s => s > new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc) && s <= clock.GetUtcNow().UtcDateTime.AddMinutes(5))
                .WithMessage("De begintijd kan niet in de toekomst liggen.");
            RuleFor(c => c.EndedAt)
                .Must((c, e) => e is null || e.Value >= c.StartedAt)
                .WithMessage("De eindtijd ligt vóór de begintijd.")
                .Must(e => e is null || e.Value <= clock.GetUtcNow().UtcDateTime.AddMinutes(5))
                .WithMessage("De eindtijd kan niet in de toekomst liggen.");
            RuleFor(c => c.Questions).NotEmpty().WithMessage("Vul minstens één vraag in.")
                .Must(q => q.Count <= 20).WithMessage("Hoogstens 20 vragen per contact.");
            RuleForEach(c => c.Questions).ChildRules(question =>
            {
                question.RuleFor(q => q.TopicId).NotNull().WithMessage("Kies een onderwerp.");
                question.RuleFor(q => q.Text).NotEmpty().WithMessage("Vul de vraag in.")
                    .MaximumLength(ContactLimits.QuestionText).WithMessage($"De vraag is te lang: hoogstens {ContactLimits.QuestionText} tekens.");
                question.RuleFor(q => q.Answer)
                    .MaximumLength(ContactLimits.Answer).WithMessage($"Het antwoord is te lang: hoogstens {ContactLimits.Answer} tekens.");
                question.RuleFor(q => q.Outcome).NotNull().WithMessage("Kies de afhandeling.")
                    .IsInEnum().WithMessage("Kies de afhandeling.");
                question.RuleFor(q => q.ReferredTo)
                    .NotEmpty().When(q => q.Outcome == Contacts.Outcome.DoorverwezenNaarAndereOrganisatie)
                    .WithMessage("Vul in naar welke organisatie u heeft doorverwezen.")
                    .MaximumLength(ContactLimits.ReferredTo).WithMessage($"De naam van de organisatie is te lang: hoogstens {ContactLimits.ReferredTo} tekens.");
                question.RuleFor(q => q.ArticleVersionId).NotNull().When(q => q.ArticleId is not null)
                    .WithMessage("Het gebruikte kennisartikel mist zijn versie. Voeg het antwoord opnieuw in.");
                question.RuleFor(q => q.UnansweredSearch).MaximumLength(ContactLimits.QuestionText)
                    .WithMessage($"De zoekvraag is te lang: hoogstens {ContactLimits.QuestionText} tekens.");
                question.RuleFor(q => q.Routing).SetValidator(new RoutingInputValidator()!)
                    .When(q => q.Routing is not null && q.Outcome is { } outcome && outcome.NeedsRouting());
            });
        }
    }

    internal sealed class Handler(
        IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, TimeProvider clock, WriteBatcher writer, QuestionRouter router, Audit.IAuditLog audit,
        Topics.KnownTopics topics, IMediator mediator)
        : IRequestHandler<Command, Result<long>>
    {
        public async Task<Result<long>> Handle(Command request, CancellationToken cancellationToken)
        {
            var user = await currentUser.GetPrincipalAsync();
            var agentId = user.RequireUserId();
            var now = clock.GetUtcNow().UtcDateTime;
            var plans = new Dictionary<int, RoutingPlan>();
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                if (request.PartyId is { } partyId && !await db.Parties.AnyAsync(p => p.Id == partyId, cancellationToken))
                {
                    return Result<long>.Fail(nameof(Command.PartyId), "Deze inwoner bestaat niet meer. Zoek de inwoner opnieuw.");
                }

                var unknownTopics = await topics.UnknownAsync(db, request.Questions.Select(q => q.TopicId!.Value).ToList(), cancellationToken);
                for (var i = 0; i < request.Questions.Count; i++)
                {
                    if (unknownTopics.Contains(request.Questions[i].TopicId!.Value))
                    {
                        return Result<long>.Fail($"Questions[{i}].TopicId", "Dit onderwerp bestaat niet. Kies een onderwerp uit de lijst.");
                    }
                }

                for (var i = 0; i < request.Questions.Count; i++)
                {
                    var input = request.Questions[i];
                    if (input.ArticleId is { } articleId &&
                        !await db.ArticleVersions.AnyAsync(v => v.Id == input.ArticleVersionId && v.ArticleId == articleId, cancellationToken))
                    {
                        return Result<long>.Fail($"Questions[{i}].ArticleId", "Het gebruikte kennisartikel bestaat niet (meer). Voeg het antwoord opnieuw in.");
                    }
                }

                for (var i = 0; i < request.Questions.Count; i++)
                {
                    if (request.Questions[i] is { Routing: { } routing, Outcome: { } outcome } && outcome.NeedsRouting())
                    {
                        var plan = await QuestionRouter.CheckAsync(db, routing, request.PartyId, $"Questions[{i}].Routing", cancellationToken);
                        if (plan.Errors is not null)
                        {
                            return Result<long>.Fail(plan.Errors);
                        }

                        plans[i] = plan;
                    }
                }
            }

            // One transaction with the other agents' saves of this moment (group commit); answered after the commit.
            var id = await writer.WriteAsync<long>(async (db, ct) =>
            {
                var contact = Build(request, agentId, user.DisplayName(), now);
                db.Contacts.Add(contact);
                db.KnowledgeGaps.AddRange(KnowledgeGaps(request, agentId, now));
                // The agent's draft goes and their channel is remembered: one round trip of plain SQL (the same on SQLite and
                // PostgreSQL) instead of two LINQ statements, because this runs inside the one writer every save waits for.
                var channel = (int)request.Channel;
                await db.Database.ExecuteSqlAsync($"""
                    DELETE FROM "ContactDrafts" WHERE "AgentId" = {agentId};
                    UPDATE "AspNetUsers" SET "DefaultChannel" = {channel} WHERE "Id" = {agentId} AND ("DefaultChannel" IS NULL OR "DefaultChannel" <> {channel});
                    """, ct);

                // The audit entry and the tasks point at the contact: save what is staged so far (still inside the batch's transaction).
                await db.SaveChangesAsync(ct);
                if (request.AlsoInTransaction is { } also)
                {
                    await also(db, contact, ct);
                }

                audit.Record(db, user, "contact.geregistreerd", "Contact", contact.Id.ToString(DutchFormat.Culture), AuditSummary(contact));
                var scope = new EventScope(db, agentId, contact.AgentName, now);
                // In the same transaction: what must follow from a saved contact (the upstream outbox) commits with it.
                await mediator.Publish(new ContactLogged(contact.Id, scope), ct);
                if (plans.Count == 0)
                {
                    return () =>
                    {
                        scope.Committed();
                        return contact.Id;
                    };
                }

                var routed = new List<(InternalTask Task, RoutingPlan Plan)>();
                foreach (var (index, plan) in plans)
                {
                    routed.Add((await router.AddTaskAsync(scope, contact.Questions[index], contact, plan, ct), plan));
                }

                await db.SaveChangesAsync(ct);
                foreach (var (task, plan) in routed)
                {
                    await router.PublishAsync(scope, task, plan, ct);
                }

                // Live queues refresh only once the batch holding these tasks is committed.
                return () =>
                {
                    scope.Committed();
                    return contact.Id;
                };
            }, cancellationToken);
            return Result<long>.Ok(id);
        }

        /// <summary>What was logged, without the resident or any text: channel, direction, how many questions, confidential or not.</summary>
        private static string AuditSummary(Contact contact) =>
            $"{contact.Channel.Label()} ({contact.Direction.Label().ToLowerInvariant()}), {contact.Questions.Count} "
            + (contact.Questions.Count == 1 ? "vraag" : "vragen")
            + (contact.PartyId is { } partyId ? $", inwoner {partyId.ToString(DutchFormat.Culture)}" : ", anoniem")
            + (contact.IsConfidential ? ", vertrouwelijk" : "");

        /// <summary>A question answered without any article after a search that found nothing is a knowledge gap.</summary>
        private static IEnumerable<KnowledgeBase.KnowledgeGap> KnowledgeGaps(Command request, string agentId, DateTime now) =>
            request.Questions
                .Where(q => q.ArticleId is null && !string.IsNullOrWhiteSpace(q.UnansweredSearch) && q.UnansweredSearch.Trim().Length >= 3)
                .Select(q => new KnowledgeBase.KnowledgeGap
                {
                    Query = q.UnansweredSearch!.Trim(),
                    AgentId = agentId,
                    Channel = request.Channel,
                    TopicId = q.TopicId,
                    CreatedAt = now,
                });

        private static Contact Build(Command request, string agentId, string agentName, DateTime now)
        {
            var contact = new Contact
            {
                PartyId = request.PartyId,
                AgentId = agentId,
                AgentName = agentName,
                Channel = request.Channel,
                Direction = request.Direction,
                StartedAt = request.StartedAt,
                EndedAt = request.EndedAt ?? (now < request.StartedAt ? request.StartedAt : now),
                IsConfidential = request.IsConfidential,
                Language = request.Language,
                CreatedAt = now,
            };
            var sequence = 1;
            foreach (var input in request.Questions)
            {
                var outcome = input.Outcome!.Value;
                contact.Questions.Add(new Question
                {
                    Sequence = sequence++,
                    TopicId = input.TopicId!.Value,
                    Text = input.Text!.Trim(),
                    Answer = string.IsNullOrWhiteSpace(input.Answer) ? null : input.Answer.Trim(),
                    Outcome = outcome,
                    ReferredTo = outcome == Outcome.DoorverwezenNaarAndereOrganisatie ? input.ReferredTo?.Trim() : null,
                    NeedsRouting = outcome.NeedsRouting(),
                    ArticleId = input.ArticleId,
                    ArticleVersionId = input.ArticleId is null ? null : input.ArticleVersionId,
                });
            }

            return contact;
        }
    }
}
