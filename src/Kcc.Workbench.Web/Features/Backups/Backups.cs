using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Audit;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Backups;

/// <summary>A beheerder starts a backup now, or looks at the last ones.</summary>
public static class Backups
{
    [AllowedFor(Roles.Beheerder)]
    public sealed record Create : IRequest<Result<BackupInfo>>;

    [AllowedFor(Roles.Beheerder)]
    public sealed record List : IRequest<IReadOnlyList<BackupInfo>>;

    internal sealed class Handler(BackupStore store, IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, IAuditLog audit)
        : IRequestHandler<Create, Result<BackupInfo>>, IRequestHandler<List, IReadOnlyList<BackupInfo>>
    {
        public async Task<Result<BackupInfo>> Handle(Create request, CancellationToken cancellationToken)
        {
            BackupInfo made;
            try
            {
                made = await store.CreateAsync(cancellationToken);
            }
            catch (BackupRefusedException refused)
            {
                return Result<BackupInfo>.Fail("Backup", refused.Message);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                return Result<BackupInfo>.Fail("Backup", $"De back-upmap {store.Folder} is niet beschrijfbaar of vol. Vraag de systeembeheerder om ruimte of rechten.");
            }

            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            audit.Record(db, await currentUser.GetPrincipalAsync(), "backup.gemaakt", "Backup", made.FileName, "");
            await db.SaveChangesAsync(cancellationToken);
            return Result<BackupInfo>.Ok(made);
        }

        public Task<IReadOnlyList<BackupInfo>> Handle(List request, CancellationToken cancellationToken) => Task.FromResult(store.List());
    }
}
