using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kcc.Workbench.Tests.Infrastructure;

/// <summary>Logs go to files and log platforms that many people can read: no BSN, names or free text in them.</summary>
public class PersonalDataInLogsTests
{
    private const string Bsn = "111222333";
    private const string LastName = "Zwartjes-Privé";
    private const string Secret = "Ik heb schulden bij de woningcorporatie";

    [Fact]
    public async Task Registering_searching_and_logging_a_contact_writes_no_personal_data_to_the_log()
    {
        var logs = new CapturingLoggerProvider();
        await using var app = await TestApp.CreateAsync(services => services.AddLogging(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(logs)));
        await app.SignInAsAsync(Roles.Frontoffice);

        var party = await app.SendAsync(new CreateParty.Command { LastName = LastName, FirstNames = "Anna", Bsn = Bsn, PhoneNumbers = ["0612345678"], EmailAddresses = ["anna@voorbeeld.nl"] });
        await app.SendAsync(new FindParties.Query(Bsn));
        await app.SendAsync(new FindParties.Query(LastName));
        await app.SendAsync(new FindParties.Query("0612345678"));
        var topic = await app.TopicIdAsync("schuldhulpverlening");
        await app.SendAsync(new LogContact.Command
        {
            PartyId = party.Value,
            StartedAt = app.Clock.GetUtcNow().UtcDateTime,
            Questions = [new LogContact.QuestionInput { TopicId = topic, Text = Secret, Answer = Secret, Outcome = Outcome.Beantwoord }],
        });
        await app.SendAsync(new LogContact.Command { PartyId = party.Value, StartedAt = app.Clock.GetUtcNow().UtcDateTime, Questions = [new LogContact.QuestionInput { Text = Secret + new string('x', 1000) }] });
        await app.SendAsync(new CreateParty.Command { LastName = LastName, Bsn = Bsn });

        Assert.NotEmpty(logs.Lines);
        foreach (var personal in new[] { Bsn, LastName, "Anna", "0612345678", "anna@voorbeeld.nl", Secret })
        {
            Assert.DoesNotContain(logs.Lines, line => line.Contains(personal, StringComparison.OrdinalIgnoreCase));
        }
    }
}
