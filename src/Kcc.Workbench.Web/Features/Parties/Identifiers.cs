using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Kcc.Workbench.Web.Features.Parties;

/// <summary>The Dutch identifier rules of DOMAIN.md: BSN and RSIN (elfproef), KVK-nummer, vestigingsnummer, postcode, phone.</summary>
public static partial class Identifiers
{
    /// <summary>9 digits, 9·d1 + 8·d2 + … + 2·d8 − 1·d9 divisible by 11, not all zeros.</summary>
    public static bool IsValidBsn(string? value)
    {
        if (value is null || value.Length != 9 || !value.All(char.IsAsciiDigit) || value.All(c => c == '0'))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 8; i++)
        {
            sum += (9 - i) * (value[i] - '0');
        }

        sum -= value[8] - '0';
        return sum % 11 == 0;
    }

    public static bool IsValidKvkNumber(string? value) => value is { Length: 8 } && value.All(char.IsAsciiDigit);

    public static bool IsValidBranchNumber(string? value) => value is { Length: 12 } && value.All(char.IsAsciiDigit);

    /// <summary>Removes spaces and dots agents type in a BSN or KVK-nummer ("1234.56.782").</summary>
    public static string DigitsOnly(string? value) => new((value ?? "").Where(c => !char.IsWhiteSpace(c) && c != '.' && c != '-').ToArray());

    /// <summary>"1234 ab" → "1234AB"; null when it is no Dutch postcode (first digit not 0, not SA/SD/SS).</summary>
    public static string? NormalizePostcode(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var compact = value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        if (!PostcodePattern().IsMatch(compact))
        {
            return null;
        }

        var letters = compact[4..];
        return letters is "SA" or "SD" or "SS" ? null : compact;
    }

    /// <summary>
    /// Phone numbers compared on digits: "+31 6 1234 5678", "0031612345678" and "06-12345678" are one number.
    /// Dutch numbers become 0-prefixed national form; international numbers keep their + and country code.
    /// Returns null when the value is no plausible phone number.
    /// </summary>
    public static string? NormalizePhone(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        if (trimmed.Any(c => !(char.IsAsciiDigit(c) || c is ' ' or '-' or '(' or ')' or '+' or '.')))
        {
            return null;
        }

        var plus = trimmed.StartsWith('+');
        var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray());
        if (!plus && digits.StartsWith("00", StringComparison.Ordinal))
        {
            plus = true;
            digits = digits[2..];
        }

        if (plus)
        {
            if (digits.StartsWith("31", StringComparison.Ordinal))
            {
                var national = "0" + digits[2..].TrimStart('0');
                return national.Length == 10 ? national : null;
            }

            return digits.Length is >= 8 and <= 15 ? "+" + digits : null;
        }

        if (!digits.StartsWith('0'))
        {
            return null;
        }

        // 0800 and 0900 numbers have 7 to 10 digits after the prefix; all other Dutch numbers have 10 digits.
        if (digits.StartsWith("0800", StringComparison.Ordinal) || digits.StartsWith("0900", StringComparison.Ordinal) || digits.StartsWith("0906", StringComparison.Ordinal) || digits.StartsWith("0909", StringComparison.Ordinal))
        {
            return digits.Length is 8 or 11 ? digits : null;
        }

        return digits.Length == 10 ? digits : null;
    }

    public static string? NormalizeEmail(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        return EmailPattern().IsMatch(trimmed) ? trimmed.ToLowerInvariant() : null;
    }

    /// <summary>BSN shown as •••••1234: most screens need to recognise, not read, the number.</summary>
    public static string MaskBsn(string? bsn) => string.IsNullOrEmpty(bsn) || bsn.Length < 4 ? "" : "•••••" + bsn[^4..];

    /// <summary>Lower case, diacritics removed, single spaces: "Jansen-Öztürk" and "jansen ozturk" meet.</summary>
    public static string FoldForSearch(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "";
        }

        var decomposed = value.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var lastWasSpace = true;
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
                lastWasSpace = false;
            }
            else if (!lastWasSpace)
            {
                builder.Append(' ');
                lastWasSpace = true;
            }
        }

        return builder.ToString().TrimEnd();
    }

    [GeneratedRegex("^[1-9][0-9]{3}[A-Z]{2}$")]
    private static partial Regex PostcodePattern();

    [GeneratedRegex(@"^[^@\s<>""]+@[^@\s<>""]+\.[^@\s<>""]{2,}$")]
    private static partial Regex EmailPattern();
}
