using System.Globalization;
using Kcc.Workbench.Web.Features.Contacts;

namespace Kcc.Workbench.Benchmarks;

/// <summary>
/// Realistic LogContact commands, generated before the clock starts: the channel and outcome mix of a KCC,
/// 1–3 questions per contact, Dutch question and answer texts, 80% of contacts with a known party.
/// </summary>
internal static class ContactWorkload
{
    private static readonly (Channel Value, int Weight)[] ChannelMix =
        [(Channel.Telefoon, 48), (Channel.Balie, 22), (Channel.Email, 14), (Channel.WhatsApp, 9), (Channel.Post, 2), (Channel.Website, 3), (Channel.Chat, 2)];

    private static readonly (Outcome Value, int Weight)[] OutcomeMix =
    [
        (Outcome.Beantwoord, 72), (Outcome.Doorverbonden, 5), (Outcome.DoorgezetNaarBackoffice, 11), (Outcome.Terugbelverzoek, 5),
        (Outcome.DoorverwezenNaarAndereOrganisatie, 4), (Outcome.NietAfgehandeld, 3),
    ];

    private static readonly string[] Questions =
    [
        "Inwoner vraagt hoe lang het duurt voordat de {0} klaar is en of het sneller kan met spoed.",
        "Wat kost {0} dit jaar? Inwoner heeft een brief ontvangen en begrijpt het bedrag niet.",
        "Beller wil een afspraak maken voor {0}, maar vindt online geen vrije plek deze week.",
        "Inwoner vraagt welke documenten hij moet meenemen voor {0}.",
        "Status van de aanvraag {0}: ingediend drie weken geleden, nog geen reactie ontvangen.",
        "Klacht over de afhandeling van {0}; inwoner is twee keer doorverbonden zonder antwoord.",
        "Vraag over {0} namens moeder (volmacht aanwezig), zij is slecht ter been.",
        "Ondernemer vraagt of {0} ook voor zijn bedrijfspand geldt.",
    ];

    private static readonly string[] Answers =
    [
        "Uitgelegd volgens de kennisbank ({0}); link naar de website gemaild.",
        "Afspraak ingepland via de afsprakenmodule, bevestiging per e-mail verstuurd. Meenemen: geldig identiteitsbewijs en pasfoto.",
        "Tarief {0} toegelicht; inwoner kan bezwaar maken binnen zes weken na dagtekening. Uitleg over kwijtschelding gegeven.",
        "Aanvraag staat in behandeling bij de backoffice; verwachte afhandeling binnen tien werkdagen. Inwoner is tevreden.",
    ];

    private static readonly string[] Organisations = ["Belastingdienst", "UWV", "SVB", "RDW", "Waterschap", "Woningcorporatie"];

    private static readonly string[] Languages = ["nl", "nl", "nl", "nl", "nl", "nl", "nl", "nl", "en", "pl", "tr", "de", "ar", "uk"];

    public static IReadOnlyList<LogContact.Command> Create(int count, int seed, IReadOnlyList<int> partyIds, IReadOnlyList<(int Id, string Name)> topics)
    {
        var random = new Random(seed);
        var now = DateTime.UtcNow;
        var commands = new List<LogContact.Command>(count);
        for (var i = 0; i < count; i++)
        {
            var channel = Pick(random, ChannelMix);
            var questionCount = random.NextDouble() switch { < 0.75 => 1, < 0.95 => 2, _ => 3 };
            var questions = new List<LogContact.QuestionInput>(questionCount);
            for (var q = 0; q < questionCount; q++)
            {
                var topic = topics[random.Next(topics.Count)];
                var outcome = Pick(random, OutcomeMix);
                questions.Add(new LogContact.QuestionInput
                {
                    TopicId = topic.Id,
                    Text = string.Format(CultureInfo.InvariantCulture, Questions[random.Next(Questions.Length)], topic.Name),
                    Answer = outcome is Outcome.Beantwoord or Outcome.NietAfgehandeld
                        ? string.Format(CultureInfo.InvariantCulture, Answers[random.Next(Answers.Length)], topic.Name)
                        : null,
                    Outcome = outcome,
                    ReferredTo = outcome == Outcome.DoorverwezenNaarAndereOrganisatie ? Organisations[random.Next(Organisations.Length)] : null,
                });
            }

            commands.Add(new LogContact.Command
            {
                Channel = channel,
                Direction = random.NextDouble() < 0.93 ? Direction.Inkomend : Direction.Uitgaand,
                StartedAt = now.AddSeconds(-(60 + random.Next(840))),
                EndedAt = null,
                PartyId = random.NextDouble() < 0.8 ? partyIds[random.Next(partyIds.Count)] : null,
                IsConfidential = random.NextDouble() < 0.03,
                Language = Languages[random.Next(Languages.Length)],
                Questions = questions,
            });
        }

        return commands;
    }

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
