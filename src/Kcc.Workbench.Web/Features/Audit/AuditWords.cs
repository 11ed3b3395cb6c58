using System.Globalization;
using Kcc.Workbench.Web.Features.Routing.ServiceNorms;

namespace Kcc.Workbench.Web.Features.Audit;

/// <summary>The stored action codes in the words an agent uses: "Artikel gewijzigd", not "artikel.gewijzigd".</summary>
public static class AuditWords
{
    private static readonly Dictionary<string, string> Actions = new(StringComparer.Ordinal)
    {
        ["contact.geregistreerd"] = "Contact geregistreerd",
        ["contact.inwonergekoppeld"] = "Inwoner aan contact gekoppeld",
        ["contact.medewerkergekoppeld"] = "Medewerker aan contact gekoppeld",
        ["vraag.onderwerpgewijzigd"] = "Onderwerp van vraag gewijzigd",
        ["betrokkene.bekeken"] = "Klantbeeld bekeken",
        ["betrokkene.aangemaakt"] = "Inwoner geregistreerd",
        ["betrokkene.gewijzigd"] = "Gegevens van inwoner gewijzigd",
        ["betrokkene.verwijderd"] = "Gegevens van inwoner verwijderd (AVG art. 17)",
        ["bsn.getoond"] = "BSN getoond",
        ["bijlage.gedownload"] = "Bijlage van inwoner gedownload",
        ["artikel.aangemaakt"] = "Artikel aangemaakt",
        ["artikel.gewijzigd"] = "Artikel gewijzigd",
        ["artikel.gearchiveerd"] = "Artikel gearchiveerd",
        ["artikel.teruggezet"] = "Eerdere versie van artikel teruggezet",
        ["feedback.gegeven"] = "Feedback op artikel gegeven",
        ["feedback.afgesloten"] = "Feedback op artikel afgehandeld",
        ["servicenorm.gewijzigd"] = "Servicenorm gewijzigd",
        ["servicenorm.verwijderd"] = "Eigen servicenorm verwijderd",
        ["routeringsregel.gewijzigd"] = "Routeringsregel gewijzigd",
        ["routeringsregel.verwijderd"] = "Routeringsregel verwijderd",
        ["taak.doorgezet"] = "Vraag doorgezet naar backoffice",
        ["taak.aangemaakt"] = "Taak aangemaakt",
        ["taak.opgepakt"] = "Taak opgepakt",
        ["taak.vrijgegeven"] = "Taak teruggelegd in de wachtrij",
        ["taak.overgedragen"] = "Taak overgedragen",
        ["taak.notitie"] = "Notitie bij taak",
        ["taak.contactgelogd"] = "Contact met inwoner bij taak vastgelegd",
        ["taak.nietbereikt"] = "Inwoner niet bereikt",
        ["taak.afgerond"] = "Taak afgerond",
        ["bewaartermijnen.toegepast"] = "Bewaartermijnen toegepast",
        ["onderwerpen.geimporteerd"] = "Onderwerpen geïmporteerd (UPL)",
        ["backup.gemaakt"] = "Back-up gemaakt",
    };

    /// <summary>The action in words; a code the list does not know yet still reads as a sentence ("Iets gedaan").</summary>
    public static string Action(string code, string summary = "")
    {
        if (code == "betrokkene.bekeken" && summary.StartsWith("Gegevens geopend", StringComparison.Ordinal))
        {
            return "Gegevens van inwoner geopend om te wijzigen";
        }

        if (Actions.TryGetValue(code, out var words))
        {
            return words;
        }

        var text = code.Replace('.', ' ').Replace('_', ' ');
        return text.Length == 0 ? "" : char.ToUpper(text[0], CultureInfo.GetCultureInfo("nl-NL")) + text[1..];
    }

    /// <summary>Service norms are stored as "Terugbelverzoek" or "DoorgezetteVraag/12" (kind and topic id).</summary>
    public static string ServiceNorm(string id, IReadOnlyDictionary<int, string> topics)
    {
        var parts = id.Split('/');
        var kind = Enum.TryParse<NormKind>(parts[0], out var parsed) ? parsed.Label() : parts[0];
        return parts.Length == 2 && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var topicId) && topics.TryGetValue(topicId, out var topic)
            ? $"Servicenorm {kind} ({topic})"
            : $"Servicenorm {kind}";
    }

    /// <summary>"J.P. de Vries": initials, prefix and surname, the way a letter addresses a resident.</summary>
    public static string ShortName(string? firstNames, string? prefix, string? lastName)
    {
        var initials = string.Concat((firstNames ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(n => char.ToUpperInvariant(n[0]) + "."));
        return string.Join(' ', new[] { initials, prefix, lastName }.Where(p => !string.IsNullOrWhiteSpace(p)));
    }
}
