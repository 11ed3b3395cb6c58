using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.KnowledgeBase;

namespace Kcc.Workbench.Tests.Features.KnowledgeBase;

/// <summary>Nothing a kennisbeheerder types can run script in an agent's browser or on the website.</summary>
public class ArticleTextTests
{
    [Theory]
    [InlineData("<script>alert('x')</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("[klik](javascript:alert(1))")]
    [InlineData("[klik](JaVaScRiPt:alert(1))")]
    [InlineData("<a href=\"javascript:alert(1)\">klik</a>")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe>")]
    [InlineData("<svg onload=alert(1)>")]
    [InlineData("[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)")]
    [InlineData("<div style=\"background:url(javascript:alert(1))\">x</div>")]
    [InlineData("![plaatje](https://evil.example/x.png \"onerror=alert(1)\")")]
    public void Script_never_comes_through(string markdown)
    {
        var html = ArticleText.ToHtml(markdown);

        // Typed HTML may show as text; what matters is that no element or attribute of it exists.
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument("<body>" + html + "</body>");
        var elements = document.Body!.QuerySelectorAll("*");
        Assert.All(elements, e => Assert.Contains(e.LocalName, Allowed));
        Assert.All(elements.SelectMany(e => e.Attributes), a =>
        {
            Assert.Contains(a.Name, AllowedAttributes);
            if (a.Name == "href")
            {
                Assert.Matches("^(https?|mailto):", a.Value);
            }
        });
    }

    private static readonly string[] AllowedAttributes = ["href", "rel", "target"];

    private static readonly string[] Allowed = ["p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h3", "h4", "blockquote", "code", "pre"];

    [Fact]
    public void Markdown_becomes_basic_html_with_safe_links()
    {
        var html = ArticleText.ToHtml("**Let op:** neem mee\n\n- een pasfoto\n- uw oude paspoort\n\n[Afspraak maken](https://www.demodorp.nl/afspraak) of mail [ons](mailto:info@demodorp.nl)");

        Assert.Contains("<strong>Let op:</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<li>een pasfoto</li>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://www.demodorp.nl/afspraak\"", html, StringComparison.Ordinal);
        Assert.Contains("rel=\"noopener noreferrer\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"mailto:info@demodorp.nl\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_channel_text_falls_back_to_what_the_article_has()
    {
        var content = new ArticleContent { Title = "T", WatIsHet = "Alleen dit." };

        Assert.Equal("Wat is het:\nAlleen dit.", ArticleText.ForChannel(content, Channel.WhatsApp).Text);
        Assert.Equal("Wat is het:\nAlleen dit.", ArticleText.ForChannel(content, Channel.Email).Text);
    }

    [Fact]
    public void The_answer_for_the_phone_is_plain_text_without_markdown()
    {
        var content = new ArticleContent { Title = "T", WatNeemtUMee = "- **Eén** pasfoto\n- [Formulier](https://x.nl)" };

        var text = ArticleText.ForChannel(content, Channel.Telefoon).Text;

        Assert.DoesNotContain("**", text, StringComparison.Ordinal);
        Assert.DoesNotContain("](", text, StringComparison.Ordinal);
        Assert.Contains("Eén pasfoto", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_text_is_prepared_once_and_a_changed_text_again()
    {
        var marker = Guid.NewGuid().ToString("N");
        var first = PreparedArticleText.For(new ArticleContent { Title = "A", WatIsHet = $"Een paspoort kost geld. Neem een pasfoto mee. {marker}" });
        var again = PreparedArticleText.For(new ArticleContent { Title = "B", WatIsHet = $"Een paspoort kost geld. Neem een pasfoto mee. {marker}" });
        var changed = PreparedArticleText.For(new ArticleContent { Title = "A", WatIsHet = $"Nu is het gratis. {marker}" });

        Assert.Same(first, again);
        Assert.NotSame(first, changed);
        Assert.Equal("Neem een pasfoto mee.", ArticleText.Snippet(first, "pasfoto"));
        Assert.Equal("Nu is het gratis.", ArticleText.Snippet(changed, "gratis"));
    }
}
