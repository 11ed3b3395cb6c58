using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Topics;

public sealed record TopicOption(int Id, string Name, string Uri)
{
    public override string ToString() => Name;
}

/// <summary>Search-as-you-type over the active UPL products: every typed word must occur, names starting with the text first.</summary>
public static class SearchTopics
{
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice, Roles.Teamleider, Roles.Kennisbeheerder, Roles.Beheerder)]
    public sealed record Query(string? Text, int Max = 20) : IRequest<IReadOnlyList<TopicOption>>
    {
        /// <summary>One topic by id (a link that opens the editor for a topic), active or not.</summary>
        public int? Id { get; init; }
    }

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory) : IRequestHandler<Query, IReadOnlyList<TopicOption>>
    {
        public async Task<IReadOnlyList<TopicOption>> Handle(Query request, CancellationToken cancellationToken)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var folded = Identifiers.FoldForSearch(request.Text);
            var topics = request.Id is { } id ? db.Topics.AsNoTracking().Where(t => t.Id == id) : db.Topics.AsNoTracking().Where(t => t.IsActive);
            foreach (var word in folded.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(5))
            {
                topics = topics.Where(t => t.SearchName.Contains(word));
            }

            var max = Math.Clamp(request.Max, 1, 100);
            return await topics
                .OrderBy(t => folded.Length > 0 && t.SearchName.StartsWith(folded) ? 0 : 1)
                .ThenBy(t => t.SearchName.Length)
                .ThenBy(t => t.Name)
                .Take(max)
                .Select(t => new TopicOption(t.Id, t.Name, t.Uri))
                .ToListAsync(cancellationToken);
        }
    }
}
