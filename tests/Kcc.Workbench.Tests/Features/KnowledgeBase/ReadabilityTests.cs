using Kcc.Workbench.Web.Features.KnowledgeBase;

namespace Kcc.Workbench.Tests.Features.KnowledgeBase;

public class ReadabilityTests
{
    [Theory]
    [InlineData("paspoort", 2)]
    [InlineData("aanvragen", 3)]
    [InlineData("identiteitskaart", 5)]
    [InlineData("reünie", 3)]
    [InlineData("geïnteresseerd", 5)]
    [InlineData("mooi", 1)]
    [InlineData("bijen", 2)]
    [InlineData("materiaal", 4)]
    [InlineData("tijd", 1)]
    public void Counts_dutch_syllables_by_vowel_groups(string word, int syllables) => Assert.Equal(syllables, Readability.Syllables(word));

    [Fact]
    public void Short_plain_sentences_read_at_b1()
    {
        var report = Readability.Analyse("U vraagt een paspoort aan bij de gemeente. Maak eerst een afspraak. Neem een pasfoto mee.");

        Assert.False(report.AboveB1, $"score {report.Score}");
        Assert.Equal(3, report.Sentences);
        Assert.Empty(report.LongSentences);
    }

    [Fact]
    public void Long_sentences_with_long_words_are_above_b1_and_are_pointed_out()
    {
        const string text = "Indien de belanghebbende voornemens is een aanvraag tot verlenging van de geldigheidsduur van het reisdocument in te dienen, " +
            "dient deze de daartoe vereiste identiteitsbewijzen alsmede de verschuldigde leges gelijktijdig met de aanvraag te overleggen.";

        var report = Readability.Analyse(text);

        Assert.True(report.AboveB1, $"score {report.Score}");
        Assert.Single(report.LongSentences);
        Assert.Contains("belanghebbende", report.LongWords);
        Assert.Contains("identiteitsbewijzen", report.LongWords);
    }

    [Fact]
    public void Follows_the_flesch_douma_formula()
    {
        // 2 sentences, 8 words, 10 syllables: 206.835 − 0.93 × 4 − 77 × 1.25 = 106.865
        var report = Readability.Analyse("Wij halen het vuil. U zet het buiten.");

        Assert.Equal((2, 8, 10), (report.Sentences, report.Words, report.Syllables));
        Assert.Equal(106.9, report.Score);
    }
}

public class PlainLanguageCheckTests
{
    private const string Officialese =
        "Teneinde de aanvraag te bewerkstelligen dient u alle benodigde bescheiden, zoals uw paspoort en een recente pasfoto, " +
        "uiterlijk vijf werkdagen voor de afspraak bij de balie van het nieuwe gemeentehuis in te leveren.";

    [Fact]
    public void A_33_word_sentence_with_officialese_loses_the_b1_label_and_says_what_to_write_instead()
    {
        var text = "U vraagt een paspoort aan bij de gemeente. Maak eerst een afspraak. Neem een pasfoto mee. Het kost geld. Wij helpen u graag. " + Officialese;

        var report = Readability.Analyse(text);

        Assert.Equal(33, Readability.Analyse(Officialese).Words);
        Assert.True(report.Score >= Readability.B1Threshold, $"score {report.Score}: the formula alone would call this B1");
        Assert.NotEqual("Begrijpelijk (B1)", report.Level);
        Assert.True(report.AboveB1);
        var flag = Assert.Single(report.Flags);
        Assert.Equal(Officialese, flag.Sentence);
        Assert.Equal(
            ["33 woorden (meer dan 20)", "‘teneinde’: schrijf ‘om’", "‘bewerkstelligen’: schrijf ‘zorgen voor, doen’", "‘dient u’: schrijf ‘moet, moeten’", "‘bescheiden’: schrijf ‘papieren, documenten’"],
            flag.Reasons);
    }

    [Theory]
    [InlineData("Wij sturen de brief middels de post.", "middels", "met, via")]
    [InlineData("Betaal onverwijld.", "onverwijld", "meteen")]
    [InlineData("Dit geldt ten behoeve van uw kind.", "ten behoeve van", "voor")]
    [InlineData("Indien u verhuist, meld het.", "indien", "als")]
    [InlineData("U heeft reeds betaald.", "reeds", "al")]
    [InlineData("Wij sturen de pas alsmede de brief.", "alsmede", "en, ook")]
    [InlineData("Een besluit inzake uw aanvraag.", "inzake", "over")]
    public void Every_officialese_word_of_the_list_is_flagged_with_its_plain_alternative(string sentence, string found, string alternative)
    {
        var flag = Assert.Single(Readability.Analyse(sentence).Flags);

        Assert.Contains(new Readability.OfficialWord(found, alternative), flag.OfficialWords);
    }

    [Fact]
    public void The_list_in_the_repository_has_at_least_forty_words_each_with_an_alternative()
    {
        var list = Readability.OfficialWordList;

        Assert.True(list.Select(e => e.Alternative).Distinct().Count() >= 40, $"{list.Count} forms");
        Assert.All(list, e => Assert.False(string.IsNullOrWhiteSpace(e.Alternative), e.Form));
        Assert.Contains(list, e => e.Form == "teneinde" && e.Alternative == "om");
    }

    [Fact]
    public void Sentences_of_twenty_words_pass_and_of_twenty_one_are_flagged()
    {
        var twenty = string.Join(' ', Enumerable.Repeat("Wij", 20)) + ".";
        var twentyOne = string.Join(' ', Enumerable.Repeat("Wij", 21)) + ".";

        Assert.Empty(Readability.Analyse(twenty).Flags);
        Assert.Equal("21 woorden (meer dan 20)", Assert.Single(Assert.Single(Readability.Analyse(twentyOne).Flags).Reasons));
    }

    [Fact]
    public void List_items_without_a_full_stop_are_not_one_long_sentence()
    {
        const string text = "Neem mee:\n- Eén goede, recente pasfoto van uzelf\n- Uw oude paspoort, ook als het verlopen is\n- Een kopie van het identiteitsbewijs van de andere ouder\n- Het toestemmingsformulier van beide ouders\n1. Maak een afspraak via de website\n2. Kom op tijd naar het gemeentehuis";

        var report = Readability.Analyse(text);

        Assert.Empty(report.Flags);
        Assert.Equal(7, report.Sentences);
        Assert.Equal("Begrijpelijk (B1)", report.Level);
    }
}
