using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Kcc.Workbench.Tests.Support;

/// <summary>
/// What a browser does during an OpenID Connect sign-in, by hand: one cookie jar for the app (TestServer, at
/// https://localhost so the Secure correlation and nonce cookies travel) and one for the identity provider (real HTTP),
/// no automatic redirects, Location headers followed across the two hosts, and the provider's form_post page submitted.
/// </summary>
public sealed partial class OidcBrowser : IDisposable
{
    public static readonly Uri AppBase = new("https://localhost/");
    public static readonly Uri AppCallback = new(AppBase, "/signin-oidc");

    private readonly HttpClient idp;

    public OidcBrowser(WebApplicationFactory<Program> app)
    {
        AppCookies = new CookieContainer();
        App = app.CreateDefaultClient(AppBase, new CookieJar(AppCookies));
        idp = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() });
    }

    public HttpClient App { get; }

    public CookieContainer AppCookies { get; }

    /// <summary>Whether the provider answered the last sign-in with a form_post page (ASP.NET Core's default response mode).</summary>
    public bool UsedFormPost { get; private set; }

    public bool HasAppSignInCookie => AppCookies.GetCookies(AppBase).Any(c => c.Name == "kcc.auth" && !c.Expired && c.Value.Length > 0);

    /// <summary>
    /// From the login page's button to the end of the app's callback: the final response of the app (the page that
    /// continues into the workbench, or a redirect back to the login page with a reason).
    /// </summary>
    /// <param name="loginHint">The user name the person gives at the identity provider.</param>
    /// <param name="returnUrl">The login page's returnUrl query parameter.</param>
    /// <param name="postedReturnUrl">A hand-made returnUrl in the button's form instead of the page's hidden field.</param>
    public async Task<HttpResponseMessage> SignInAsync(string loginHint, string returnUrl = "/", string? postedReturnUrl = null)
    {
        var page = await App.GetStringAsync("/inloggen?returnUrl=" + Uri.EscapeDataString(returnUrl));
        using var start = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(page),
            ["returnUrl"] = postedReturnUrl ?? WebUtility.HtmlDecode(ReturnUrlField().Match(page).Groups[1].Value),
        });
        var challenge = await App.PostAsync("/inloggen/extern/start", start);
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var authorize = challenge.Headers.Location!;
        Assert.True(authorize.IsAbsoluteUri, "the challenge goes to the identity provider");

        // The person identifies themselves at the provider.
        var answer = await idp.GetAsync(authorize + "&login_hint=" + Uri.EscapeDataString(loginHint));
        HttpResponseMessage response;
        UsedFormPost = answer.StatusCode == HttpStatusCode.OK;
        if (UsedFormPost)
        {
            // response_mode=form_post: an auto-submitting form back to the app.
            var html = await answer.Content.ReadAsStringAsync();
            var action = WebUtility.HtmlDecode(FormAction().Match(html).Groups[1].Value);
            var fields = HiddenInput().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
            Assert.Equal(AppCallback, new Uri(action));
            using var post = new FormUrlEncodedContent(fields);
            response = await App.PostAsync(action, post);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
            response = await App.GetAsync(answer.Headers.Location);
        }

        // The app's own redirects (callback → /inloggen/extern), but not on into the login page.
        for (var hops = 0; response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found && hops < 5; hops++)
        {
            var location = new Uri(AppBase, response.Headers.Location!);
            if (location.Host != AppBase.Host || location.AbsolutePath == "/inloggen")
            {
                break;
            }

            response = await App.GetAsync(location);
        }

        return response;
    }

    /// <summary>Where the page after a successful sign-in sends the browser (its meta refresh).</summary>
    public static string ContinueUrl(string html) => WebUtility.HtmlDecode(MetaRefresh().Match(html).Groups[1].Value);

    public static string AntiforgeryToken(string html) => AntiforgeryTokenPattern().Match(html).Groups[1].Value;

    public void Dispose()
    {
        App.Dispose();
        idp.Dispose();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryTokenPattern();

    [GeneratedRegex("<input type=\"hidden\" name=\"returnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlField();

    [GeneratedRegex("<form[^>]*action=\"([^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex FormAction();

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();

    [GeneratedRegex("<meta http-equiv=\"refresh\" content=\"0;url=([^\"]+)\"")]
    private static partial Regex MetaRefresh();

    /// <summary>Cookies for TestServer requests, kept in a container the test can look into.</summary>
    private sealed class CookieJar(CookieContainer cookies) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var header = cookies.GetCookieHeader(request.RequestUri!);
            if (header.Length > 0)
            {
                request.Headers.Add("Cookie", header);
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
            {
                foreach (var setCookie in setCookies)
                {
                    cookies.SetCookies(request.RequestUri!, setCookie);
                }
            }

            return response;
        }
    }
}
