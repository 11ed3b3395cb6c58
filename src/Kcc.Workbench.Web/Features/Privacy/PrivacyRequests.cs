using FluentValidation;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Privacy;

/// <summary>Run the retention anonymisation now (normally the daily job does).</summary>
public static class AnonymiseExpiredData
{
    [AllowedFor(Roles.Beheerder)]
    public sealed record Command : IRequest<Result<AnonymisationReport>>;

    internal sealed class Handler(Anonymiser anonymiser, ICurrentUser currentUser) : IRequestHandler<Command, Result<AnonymisationReport>>
    {
        public async Task<Result<AnonymisationReport>> Handle(Command request, CancellationToken cancellationToken)
        {
            var user = await currentUser.GetPrincipalAsync();
            return Result<AnonymisationReport>.Ok(await anonymiser.AnonymiseExpiredAsync(user.RequireUserId(), user.DisplayName(), cancellationToken));
        }
    }
}

/// <summary>AVG art. 17 (recht op vergetelheid): the same anonymisation as the retention job, for one party, now.</summary>
public static class EraseParty
{
    [AllowedFor(Roles.Beheerder)]
    public sealed record Command(int PartyId, string Reason) : IRequest<Result<AnonymisationReport>>;

    internal sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Reason).NotEmpty().WithMessage("Vul de reden of het kenmerk van het verzoek in.")
                .MaximumLength(500).WithMessage("De reden is te lang: hoogstens 500 tekens.");
        }
    }

    internal sealed class Handler(Anonymiser anonymiser, IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser) : IRequestHandler<Command, Result<AnonymisationReport>>
    {
        public async Task<Result<AnonymisationReport>> Handle(Command request, CancellationToken cancellationToken)
        {
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                var party = await db.Parties.Where(p => p.Id == request.PartyId).Select(p => new { p.AnonymisedAt }).FirstOrDefaultAsync(cancellationToken);
                if (party is null)
                {
                    return Result<AnonymisationReport>.Fail(nameof(Command.PartyId), "Deze inwoner bestaat niet.");
                }

                if (party.AnonymisedAt is not null)
                {
                    return Result<AnonymisationReport>.Fail(nameof(Command.PartyId), "De gegevens van deze inwoner zijn al geanonimiseerd.");
                }
            }

            var user = await currentUser.GetPrincipalAsync();
            return Result<AnonymisationReport>.Ok(await anonymiser.AnonymisePartyAsync(request.PartyId, user.RequireUserId(), user.DisplayName(), cancellationToken));
        }
    }
}
