namespace Kcc.Workbench.Web.Features.Contacts;

/// <summary>The channels of "één ingang". Numbers are stored; never renumber.</summary>
public enum Channel
{
    Telefoon = 1,
    Balie = 2,
    Email = 3,
    WhatsApp = 4,
    Post = 5,
    Website = 6,
    Chat = 7,
}

public enum Direction
{
    Inkomend = 1,
    Uitgaand = 2,
}

/// <summary>Afhandeling of one question. Numbers are stored; never renumber.</summary>
public enum Outcome
{
    Beantwoord = 1,
    Doorverbonden = 2,
    DoorgezetNaarBackoffice = 3,
    Terugbelverzoek = 4,
    DoorverwezenNaarAndereOrganisatie = 5,
    NietAfgehandeld = 6,
}

public static class ContactLabels
{
    public static readonly Channel[] Channels = [Channel.Balie, Channel.Telefoon, Channel.Email, Channel.WhatsApp, Channel.Post, Channel.Website, Channel.Chat];

    public static readonly Outcome[] Outcomes =
        [Outcome.Beantwoord, Outcome.Doorverbonden, Outcome.DoorgezetNaarBackoffice, Outcome.Terugbelverzoek, Outcome.DoorverwezenNaarAndereOrganisatie, Outcome.NietAfgehandeld];

    public static string Label(this Channel channel) => channel switch
    {
        Channel.Telefoon => "Telefoon",
        Channel.Balie => "Balie",
        Channel.Email => "E-mail",
        Channel.WhatsApp => "WhatsApp",
        Channel.Post => "Post",
        Channel.Website => "Website",
        Channel.Chat => "Chat",
        _ => channel.ToString(),
    };

    public static string Label(this Direction direction) => direction == Direction.Inkomend ? "Inkomend" : "Uitgaand";

    public static string Label(this Outcome outcome) => outcome switch
    {
        Outcome.Beantwoord => "Beantwoord",
        Outcome.Doorverbonden => "Doorverbonden",
        Outcome.DoorgezetNaarBackoffice => "Doorgezet naar backoffice",
        Outcome.Terugbelverzoek => "Terugbelverzoek",
        Outcome.DoorverwezenNaarAndereOrganisatie => "Doorverwezen naar andere organisatie",
        Outcome.NietAfgehandeld => "Niet afgehandeld",
        _ => outcome.ToString(),
    };

    /// <summary>Outcomes that hand the question to a back-office team; routing (a separate feature) picks these up.</summary>
    public static bool NeedsRouting(this Outcome outcome) => outcome is Outcome.DoorgezetNaarBackoffice or Outcome.Terugbelverzoek;

    public static readonly IReadOnlyDictionary<string, string> Languages = new Dictionary<string, string>
    {
        ["nl"] = "Nederlands",
        ["en"] = "Engels",
        ["de"] = "Duits",
        ["pl"] = "Pools",
        ["tr"] = "Turks",
        ["ar"] = "Arabisch",
        ["uk"] = "Oekraïens",
        ["nl-gebaren"] = "Nederlandse Gebarentaal",
        ["overig"] = "Andere taal",
    };
}
