namespace Kcc.Workbench.Web.Data.DemoData;

/// <summary>
/// The KCC's everyday products from the Uniforme Productnamenlijst, with the back-office team that owns each.
/// Carried in the code so a demo works on a machine without the government's UPL file; a beheerder imports
/// the full list under Beheer → Onderwerpen.
/// </summary>
public static class DemoTopics
{
    public sealed record DemoTopic(string Name, string Uri, string Team);

    public static readonly IReadOnlyList<DemoTopic> All =
    [
        new("paspoort", "http://standaarden.overheid.nl/owms/terms/paspoort", "Burgerzaken"),
        new("identiteitskaart", "http://standaarden.overheid.nl/owms/terms/identiteitskaart", "Burgerzaken"),
        new("rijbewijs", "http://standaarden.overheid.nl/owms/terms/rijbewijs", "Burgerzaken"),
        new("rijbewijs verlengen", "http://standaarden.overheid.nl/owms/terms/rijbVerlengen", "Burgerzaken"),
        new("brp-inschrijving", "http://standaarden.overheid.nl/owms/terms/brpInschr", "Burgerzaken"),
        new("brp-uittreksel", "http://standaarden.overheid.nl/owms/terms/brpUittr", "Burgerzaken"),
        new("geboorteaangifte", "http://standaarden.overheid.nl/owms/terms/geboorteaangifte", "Burgerzaken"),
        new("overlijdensaangifte", "http://standaarden.overheid.nl/owms/terms/overlijdensaangifte", "Burgerzaken"),
        new("huwelijk", "http://standaarden.overheid.nl/owms/terms/huwelijk", "Burgerzaken"),
        new("geregistreerd partnerschapaangifte", "http://standaarden.overheid.nl/owms/terms/geregistreerd_partnerschapaangifte", "Burgerzaken"),
        new("aangifte vertrek buitenland", "http://standaarden.overheid.nl/owms/terms/AangifteVertrekBuitenland", "Burgerzaken"),
        new("verklaring omtrent gedrag (vog)", "http://standaarden.overheid.nl/owms/terms/verklaring_omtrent_gedrag_(vog)", "Burgerzaken"),
        new("naturalisatieverzoek", "http://standaarden.overheid.nl/owms/terms/naturalisatieverzoek", "Burgerzaken"),
        new("briefadres", "http://standaarden.overheid.nl/owms/terms/briefadres", "Burgerzaken"),
        new("akte van de burgerlijke stand", "http://standaarden.overheid.nl/owms/terms/akte_van_de_burgerlijke_stand", "Burgerzaken"),
        new("stempas", "http://standaarden.overheid.nl/owms/terms/stempas", "Burgerzaken"),
        new("volmachtbewijs verkiezingen", "http://standaarden.overheid.nl/owms/terms/volmachtbewijs_verkiezingen", "Burgerzaken"),
        new("parkeervergunning", "http://standaarden.overheid.nl/owms/terms/parkeervergunning", "Parkeren"),
        new("gehandicaptenparkeerkaart", "http://standaarden.overheid.nl/owms/terms/gehandicaptenparkeerkaart", "Sociaal Domein"),
        new("gehandicaptenparkeerplaats", "http://standaarden.overheid.nl/owms/terms/gehandicaptenparkeerplaats", "Openbare Ruimte"),
        new("afvalinzameling grofvuil", "http://standaarden.overheid.nl/owms/terms/afvalinzameling_grofvuil", "Afval"),
        new("afvalcontainer", "http://standaarden.overheid.nl/owms/terms/afvalcontainer", "Afval"),
        new("afvalkalender", "http://standaarden.overheid.nl/owms/terms/afvalkalender", "Afval"),
        new("afvalstoffenheffing", "http://standaarden.overheid.nl/owms/terms/afvalstoffenheffing", "Belastingen"),
        new("melding openbare ruimte (algemeen)", "http://standaarden.overheid.nl/owms/terms/melding_openbare_ruimte_(algemeen)", "Openbare Ruimte"),
        new("melding openbare ruimte (straatverlichting)", "http://standaarden.overheid.nl/owms/terms/melding_openbare_ruimte_(straatverlichting)", "Openbare Ruimte"),
        new("melding openbare ruimte (groenvoorziening)", "http://standaarden.overheid.nl/owms/terms/melding_openbare_ruimte_(groenvoorziening)", "Openbare Ruimte"),
        new("ongediertebestrijding", "http://standaarden.overheid.nl/owms/terms/ongediertebestrijding", "Openbare Ruimte"),
        new("omgevingsvergunning", "http://standaarden.overheid.nl/owms/terms/omgevingsvergunning", "Vergunningen"),
        new("omgevingsvergunning kap", "http://standaarden.overheid.nl/owms/terms/omgevingsvergunning_kap", "Vergunningen"),
        new("evenementenvergunning", "http://standaarden.overheid.nl/owms/terms/evenementenvergunning", "Vergunningen"),
        new("alcoholvergunning", "http://standaarden.overheid.nl/owms/terms/alcoholvergunning", "Vergunningen"),
        new("standplaatsvergunning", "http://standaarden.overheid.nl/owms/terms/standplaatsvergunning", "Vergunningen"),
        new("woz-beschikking", "http://standaarden.overheid.nl/owms/terms/woz-beschikking", "Belastingen"),
        new("onroerendezaakbelasting (ozb)", "http://standaarden.overheid.nl/owms/terms/onroerendezaakbelasting_(ozb)", "Belastingen"),
        new("belastingkwijtschelding", "http://standaarden.overheid.nl/owms/terms/belastingkwijtschelding", "Belastingen"),
        new("belastingaanslag bezwaar", "http://standaarden.overheid.nl/owms/terms/belastingaanslag_bezwaar", "Belastingen"),
        new("hondenbelasting", "http://standaarden.overheid.nl/owms/terms/hondenbelasting", "Belastingen"),
        new("rioolheffing", "http://standaarden.overheid.nl/owms/terms/rioolheffing", "Belastingen"),
        new("belastingbetalingsregeling", "http://standaarden.overheid.nl/owms/terms/belastingbetalingsregeling", "Belastingen"),
        new("bijstand", "http://standaarden.overheid.nl/owms/terms/bijstand", "Sociaal Domein"),
        new("bijzonderebijstandsuitkering", "http://standaarden.overheid.nl/owms/terms/bijzBijstUitk", "Sociaal Domein"),
        new("schuldhulpverlening", "http://standaarden.overheid.nl/owms/terms/schuldhulpverlening", "Sociaal Domein"),
        new("individuele inkomenstoeslag", "http://standaarden.overheid.nl/owms/terms/indInkToesl", "Sociaal Domein"),
        new("wmo-voorziening", "http://standaarden.overheid.nl/owms/terms/wmo-voorziening", "Sociaal Domein"),
        new("huishoudelijke hulp", "http://standaarden.overheid.nl/owms/terms/huishHulp", "Sociaal Domein"),
        new("woningaanpassing", "http://standaarden.overheid.nl/owms/terms/woningaanpassing", "Sociaal Domein"),
        new("rolstoel en scootmobiel", "http://standaarden.overheid.nl/owms/terms/rolstSctMob", "Sociaal Domein"),
        new("jeugdhulp", "http://standaarden.overheid.nl/owms/terms/jeugdhulp", "Sociaal Domein"),
        new("leerlingenvervoer", "http://standaarden.overheid.nl/owms/terms/leerlingenvervoer", "Sociaal Domein"),
        new("urgentiebewijs woning", "http://standaarden.overheid.nl/owms/terms/urgBewWoning", "Sociaal Domein"),
        new("klacht", "http://standaarden.overheid.nl/owms/terms/klacht", "KCC"),
        new("bezwaar", "http://standaarden.overheid.nl/owms/terms/bezwaar", "KCC"),
        new("grafrechten", "http://standaarden.overheid.nl/owms/terms/grafrechten", "Openbare Ruimte"),
        new("ligplaatsvergunning", "http://standaarden.overheid.nl/owms/terms/ligplaatsvergunning", "Vergunningen"),
        new("toeristenbelasting", "http://standaarden.overheid.nl/owms/terms/toeristenbelasting", "Belastingen"),
    ];
}
