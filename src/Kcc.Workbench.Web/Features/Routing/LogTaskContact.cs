using FluentValidation;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Routing;

/// <summary>
/// Logs the back office's outgoing contact (the callback, the e-mail, the letter) from the task, as a contact of the
/// resident with the task's topic, so it shows in the resident's history on every channel.
/// </summary>
public static class LogTaskContact
{
    [AllowedFor(Roles.Backoffice, Roles.Teamleider)]
    public sealed record Command(long TaskId, Channel Channel, string? Summary) : IRequest<Result<long>>;

    public static readonly Channel[] Channels = [Channel.Telefoon, Channel.Email, Channel.Post, Channel.WhatsApp, Channel.Balie];

    internal sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Channel).Must(c => Channels.Contains(c)).WithMessage("Kies hoe u contact had.");
            RuleFor(c => c.Summary).NotEmpty().WithMessage("Schrijf kort wat u met de inwoner besprak.")
                .MaximumLength(ContactLimits.Answer).WithMessage($"Het verslag is te lang: hoogstens {ContactLimits.Answer} tekens.");
        }
    }

    internal sealed class Handler(TaskChanges changes) : IRequestHandler<Command, Result<long>>
    {
        public async Task<Result<long>> Handle(Command request, CancellationToken cancellationToken)
        {
            Contact? contact = null;
            var result = await changes.ApplyAsync(request.TaskId, expectedVersion: null, TaskAccess.Team, async change =>
            {
                if (TaskChanges.Closed(change) is { } closed)
                {
                    return closed;
                }

                var task = change.Task;
                var questionText = await change.Db.Questions.Where(q => q.Id == task.QuestionId).Select(q => q.Text).FirstAsync(cancellationToken);
                var text = $"{task.Action.Label()} (taak {task.Id}): {questionText}";
                contact = new Contact
                {
                    PartyId = task.PartyId,
                    AgentId = change.ActorId,
                    AgentName = change.ActorName,
                    Channel = request.Channel,
                    Direction = Direction.Uitgaand,
                    StartedAt = change.Now,
                    EndedAt = change.Now,
                    CreatedAt = change.Now,
                };
                contact.Questions.Add(new Question
                {
                    Sequence = 1,
                    TopicId = task.TopicId,
                    Text = text.Length <= ContactLimits.QuestionText ? text : text[..(ContactLimits.QuestionText - 1)] + "…",
                    Answer = request.Summary!.Trim(),
                    Outcome = Outcome.Beantwoord,
                });
                change.Db.Contacts.Add(contact);
                // The contact needs its id before the log line can point at it.
                await change.Db.SaveChangesAsync(cancellationToken);
                change.ChangesTask = false;
                change.ContactId = contact.Id;
                change.Kind = TaskLogKind.ContactGelogd;
                change.LogText = $"{request.Channel.Label()} (uitgaand): {request.Summary.Trim()}";
                return null;
            }, cancellationToken);
            return result.Succeeded ? Result<long>.Ok(contact!.Id) : Result<long>.Fail(result.Errors);
        }
    }
}
