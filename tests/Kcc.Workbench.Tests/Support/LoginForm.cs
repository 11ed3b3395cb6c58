using System.Net;
using System.Text.RegularExpressions;

namespace Kcc.Workbench.Tests.Support;

/// <summary>Signs in through the real login form, as a browser does: antiforgery token from the page, then the post.</summary>
public static partial class LoginForm
{
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string userName, string password, string returnUrl = "/")
    {
        var page = await client.GetStringAsync("/inloggen");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = AntiforgeryToken(page),
            ["Input.UserName"] = userName,
            ["Input.Password"] = password,
        });
        return await client.PostAsync("/inloggen?returnUrl=" + Uri.EscapeDataString(returnUrl), form);
    }

    /// <summary>The message the login page shows after a refused sign-in, or null.</summary>
    public static string? Message(string html) => Alert().Match(html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;

    public static string AntiforgeryToken(string html) => Token().Match(html).Groups[1].Value;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("<p class=\"kcc-error\" role=\"alert\" id=\"login-error\">([^<]*)</p>")]
    private static partial Regex Alert();
}
