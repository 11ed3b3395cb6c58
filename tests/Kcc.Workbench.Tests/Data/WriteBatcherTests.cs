using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kcc.Workbench.Tests.Data;

public class WriteBatcherTests
{
    private static Contact NewContact(int topicId, string text) => new()
    {
        AgentId = "agent",
        AgentName = "Agent",
        Channel = Channel.Telefoon,
        StartedAt = TestApp.DefaultNow.UtcDateTime,
        EndedAt = TestApp.DefaultNow.UtcDateTime,
        CreatedAt = TestApp.DefaultNow.UtcDateTime,
        Questions = { new Question { Sequence = 1, TopicId = topicId, Text = text, Outcome = Outcome.Beantwoord } },
    };

    [Fact]
    public async Task Concurrent_saves_each_get_their_own_committed_contact_and_one_bad_save_fails_alone()
    {
        await using var app = await TestApp.CreateAsync();
        var writer = app.Services.GetRequiredService<WriteBatcher>();
        var topic = await app.TopicIdAsync("paspoort");

        var saves = Enumerable.Range(0, 200).Select(i => writer.WriteAsync<long>((db, _) =>
        {
            // Save 77 points at a topic that does not exist: the foreign key refuses it when committed.
            var contact = NewContact(i == 77 ? 999_999 : topic, $"vraag {i}");
            db.Contacts.Add(contact);
            return Task.FromResult(() => contact.Id);
        })).ToList();

        await Assert.ThrowsAnyAsync<DbUpdateException>(() => saves[77]);
        var ids = await Task.WhenAll(saves.Where((_, i) => i != 77));
        Assert.Equal(199, ids.Distinct().Count());
        await using var check = await app.CreateDbContextAsync();
        Assert.Equal(199, await check.Contacts.CountAsync());
        var stored = await check.Questions.Where(q => ids.Contains(q.ContactId)).ToDictionaryAsync(q => q.ContactId, q => q.Text);
        for (var i = 0; i < saves.Count; i++)
        {
            if (i != 77)
            {
                Assert.Equal($"vraag {i}", stored[await saves[i]]);
            }
        }
    }
}
