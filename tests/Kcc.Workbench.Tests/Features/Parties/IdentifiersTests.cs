using Kcc.Workbench.Web.Features.Parties;

namespace Kcc.Workbench.Tests.Features.Parties;

public class IdentifiersTests
{
    [Theory]
    [InlineData("111222333", true)]
    [InlineData("123456782", true)]
    [InlineData("123456781", false)]
    [InlineData("000000000", false)]
    [InlineData("12345678", false)]
    [InlineData("12345678a", false)]
    [InlineData(null, false)]
    public void Bsn_passes_only_the_elfproef(string? bsn, bool valid) => Assert.Equal(valid, Identifiers.IsValidBsn(bsn));

    [Theory]
    [InlineData("1234 ab", "1234AB")]
    [InlineData("1234AB", "1234AB")]
    [InlineData("0123AB", null)]
    [InlineData("1234SA", null)]
    [InlineData("1234SD", null)]
    [InlineData("1234SS", null)]
    [InlineData("12345", null)]
    public void Postcode_is_normalized_or_refused(string input, string? expected) => Assert.Equal(expected, Identifiers.NormalizePostcode(input));

    [Theory]
    [InlineData("06-12345678", "0612345678")]
    [InlineData("+31 6 1234 5678", "0612345678")]
    [InlineData("0031612345678", "0612345678")]
    [InlineData("+31 (0)20 123 4567", "0201234567")]
    [InlineData("0800 1234", "08001234")]
    [InlineData("0900-1234567", "09001234567")]
    [InlineData("088 123 4567", "0881234567")]
    [InlineData("+32 2 123 45 67", "+3221234567")]
    [InlineData("12345", null)]
    [InlineData("06 1234", null)]
    [InlineData("Jansen", null)]
    public void Phone_numbers_compare_on_their_national_digits(string input, string? expected) => Assert.Equal(expected, Identifiers.NormalizePhone(input));

    [Fact]
    public void Bsn_is_masked_to_its_last_four_digits() => Assert.Equal("•••••2333", Identifiers.MaskBsn("111222333"));

    [Fact]
    public void Names_fold_diacritics_and_case() => Assert.Equal("ozturk jansen", Identifiers.FoldForSearch("Öztürk-Jansen"));
}
