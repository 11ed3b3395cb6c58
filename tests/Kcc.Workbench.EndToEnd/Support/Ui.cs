using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Kcc.Workbench.EndToEnd.Support;

/// <summary>What the tests do in the workbench: sign in, check accessibility.</summary>
public static class Ui
{
    public const string DemoPassword = "Demo!2026kcc";

    /// <summary>WCAG 2.0 and 2.1, levels A and AA: what Dutch government sites must meet (EN 301 549).</summary>
    private static readonly List<string> WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    /// <summary>
    /// Signs in through the real sign-in page and returns once the page after it is interactive
    /// (the layout sets <c>data-interactive="true"</c> when the Blazor circuit is up).
    /// </summary>
    public static async Task LoginAsync(IPage page, string userName, string password = DemoPassword)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/inloggen");
        await page.GetByLabel("Gebruikersnaam").FillAsync(userName);
        await page.GetByLabel("Wachtwoord").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Inloggen", Exact = true }).ClickAsync();

        // Either the interactive shell comes up or the sign-in page says why not.
        await page.Locator("[data-interactive=true], #login-error").First.WaitForAsync();
        var error = page.Locator("#login-error");
        if (await error.IsVisibleAsync())
        {
            throw new InvalidOperationException($"Sign-in as {userName} failed: {await error.InnerTextAsync()}");
        }
    }

    /// <summary>
    /// Opens "Nieuw contact" on an empty form. The form loads the agent's draft after the circuit is up
    /// (<c>data-loaded="true"</c> once it is in place); tests of one account share that draft, so a draft left by an
    /// earlier test is thrown away first. Checking the banner before the draft is loaded would miss it.
    /// </summary>
    public static async Task OpenEmptyContactFormAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/contacten/nieuw");
        await page.Locator("[data-interactive=true]").WaitForAsync();
        await page.Locator("[data-loaded=true]").WaitForAsync();
        var empty = page.GetByRole(AriaRole.Button, new() { Name = "Leeg formulier" });
        if (await empty.IsVisibleAsync())
        {
            await empty.ClickAsync();
            await Microsoft.Playwright.Assertions.Expect(empty).ToBeHiddenAsync();
        }

        await page.GetByLabel("Zoek inwoner").FocusAsync();
    }

    /// <summary>Runs axe-core (WCAG 2.0/2.1 A and AA) in the page; fails on any serious or critical violation.</summary>
    public static async Task AxeAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = WcagTags },
        });

        var blocking = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        if (blocking.Count == 0)
        {
            return;
        }

        var report = new StringBuilder($"axe found {blocking.Count} serious/critical violation(s) on {page.Url}:\n");
        foreach (var violation in blocking)
        {
            report.Append(System.Globalization.CultureInfo.InvariantCulture, $"- {violation.Id} ({violation.Impact}): {violation.Help} <{violation.HelpUrl}>\n");
            foreach (var node in violation.Nodes)
            {
                report.Append(System.Globalization.CultureInfo.InvariantCulture, $"    at {node.Target}: {node.Html}\n");
                var checks = (node.Any ?? []).Concat(node.All ?? []).Concat(node.None ?? []);
                foreach (var message in checks.Select(c => c.Message).Where(m => !string.IsNullOrWhiteSpace(m)).Distinct())
                {
                    report.Append(System.Globalization.CultureInfo.InvariantCulture, $"      {message}\n");
                }
            }
        }

        Assert.Fail(report.ToString());
    }
}
