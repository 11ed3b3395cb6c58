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
