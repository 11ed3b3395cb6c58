using Kcc.Workbench.Web.Features.KnowledgeBase;

namespace Kcc.Workbench.Tests.Features.KnowledgeBase;

public class DutchTextTests
{
    [Theory]
    [InlineData("Reünie", "reunie")]
    [InlineData("ID-kaart", "id kaart")]
    [InlineData("  Café  Één!", "cafe een")]
    public void Folds_diacritics_case_and_punctuation(string text, string folded) => Assert.Equal(folded, DutchText.Fold(text));

    [Theory]
    [InlineData("aanvragen", "aanvrag")]
    [InlineData("paspoorten", "paspoort")]
    [InlineData("paspoort", "paspoort")]
    [InlineData("vergunningen", "vergunn")]
    public void Stems_with_the_snowball_dutch_stemmer(string word, string stem) => Assert.Equal(stem, DutchText.Stem(word));

    [Fact]
    public void Index_terms_leave_out_stop_words() =>
        Assert.Equal(["vrag", "paspoort"], DutchText.Terms("Hoe vraag ik een paspoort aan?"));

    [Theory]
    [InlineData("paspoort", "pasport", 1)]
    [InlineData("paspoort", "paspoort", 0)]
    [InlineData("vergunning", "vegrunning", 1)]
    [InlineData("grofvuil", "grofvul", 1)]
    [InlineData("grofvuil", "grfovul", 2)]
    public void Edit_distance_counts_a_swap_of_neighbours_as_one(string a, string b, int distance) =>
        Assert.Equal(distance, DutchText.EditDistance(a, b, max: 1) is var d && d > 1 ? 2 : d);

    [Theory]
    [InlineData("paspoort", "pasport", true)]
    [InlineData("paspoort", "paspoortt", true)]
    [InlineData("vergunn", "vegrunn", true)]
    [InlineData("paspoort", "pasprt", false)]
    [InlineData("kaart", "kort", false)]
    [InlineData("kaart", "karat", true)]
    public void The_engines_fast_one_edit_check_agrees(string a, string b, bool within) =>
        Assert.Equal(within, DutchText.WithinOneEdit(a, b));
}
