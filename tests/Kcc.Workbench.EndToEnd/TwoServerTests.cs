using Kcc.Workbench.EndToEnd.Support;
using Microsoft.Playwright;
using static Kcc.Workbench.EndToEnd.Support.Ui;
using static Microsoft.Playwright.Assertions;

namespace Kcc.Workbench.EndToEnd;

/// <summary>
/// Two app servers on one PostgreSQL database behind nginx, configured as the README tells a municipality. The front
/// office works on server A, the back office on server B: a question routed on A appears live in B's queue. Then A
/// dies: the agent's browser lands on B, still signed in, and the half-typed contact comes back from its draft.
/// Runs in test.sh's PostgreSQL pass (it needs KCC_TEST_PG and Debian's nginx).
/// </summary>
[Trait("Provider", "PostgreSqlOnly")]
public sealed class TwoServerTests(KccApp shared)
{
    [Fact]
    public async Task Routed_on_server_a_live_on_server_b_and_an_agent_whose_server_dies_keeps_signed_in_and_their_draft()
    {
        var postgres = Environment.GetEnvironmentVariable("KCC_TEST_PG")
            ?? throw new InvalidOperationException("KCC_TEST_PG is not set: this test needs a PostgreSQL server (./test.sh starts one).");
        var database = "kcc_e2e_" + Guid.NewGuid().ToString("N")[..12];
        var settings = new Dictionary<string, string?>
        {
            ["Database__Provider"] = "PostgreSQL",
            ["ConnectionStrings__Kcc"] = $"{postgres.TrimEnd(';')};Database={database}",
            ["Demo__Contacts"] = "50",
        };
        var folderA = Directory.CreateTempSubdirectory("kcc-server-a-");
        var folderB = Directory.CreateTempSubdirectory("kcc-server-b-");
        // Both start at once on the empty database: one migrates and seeds, the other waits for it.
        var starting = new[] { AppProcess.StartAsync(folderA.FullName, settings), AppProcess.StartAsync(folderB.FullName, settings) };
        await using var serverA = await starting[0];
        await using var serverB = await starting[1];
        await using var nginx = await Nginx.StartAsync([HostPort(serverA), HostPort(serverB)]);
        var routeA = await nginx.RouteToAsync(HostPort(serverA));
        var routeB = await nginx.RouteToAsync(HostPort(serverB));

        await using var frontOffice = await ContextOnAsync(nginx, routeA);
        await using var backOffice = await ContextOnAsync(nginx, routeB);
        try
        {
            // bo.demo has the Burgerzaken queue open on server B.
            var queue = await backOffice.NewPageAsync();
            await LoginAsync(queue, "bo.demo");
            await queue.GotoAsync("/backoffice");
            await queue.Locator("[data-interactive=true]").WaitForAsync();
            await Expect(queue.GetByRole(AriaRole.Heading, new() { Name = "Wachtrij Burgerzaken" })).ToBeVisibleAsync();

            // fo.demo, on server A, routes a callback request about a passport to Burgerzaken.
            var form = await frontOffice.NewPageAsync();
            await LoginAsync(form, "fo.demo");
            await OpenEmptyContactFormAsync(form);
            var marker = Guid.NewGuid().ToString("N")[..8];
            var question = form.GetByRole(AriaRole.Region, new() { Name = "Vraag 1" });
            await question.GetByRole(AriaRole.Combobox, new() { Name = "Onderwerp" }).FillAsync("paspo");
            await form.GetByRole(AriaRole.Option, new() { Name = "paspoort", Exact = true }).ClickAsync();
            await Expect(form.GetByRole(AriaRole.Option, new() { Name = "paspoort", Exact = true })).ToBeHiddenAsync();
            var questionText = question.GetByLabel("Vraag", new() { Exact = true });
            await questionText.FillAsync($"Is mijn paspoort al klaar? ({marker})");
            await Expect(questionText).ToHaveValueAsync($"Is mijn paspoort al klaar? ({marker})");
            await question.GetByRole(AriaRole.Combobox, new() { Name = "Afhandeling" }).ClickAsync();
            await form.GetByRole(AriaRole.Option, new() { Name = "Terugbelverzoek" }).ClickAsync();
            var routing = question.GetByRole(AriaRole.Group, new() { Name = "Doorzetten naar de backoffice" });
            await Expect(routing.GetByRole(AriaRole.Combobox, new() { Name = "Team" })).ToContainTextAsync("Burgerzaken");
            await routing.GetByLabel("Telefoonnummer").FillAsync("06 2345 6789");
            await form.Keyboard.PressAsync("Control+Enter");
            await Expect(form.GetByRole(AriaRole.Status).Filter(new() { HasText = "Contact opgeslagen" })).ToBeVisibleAsync();

            // Server B's queue shows it without a reload: the live update went through PostgreSQL (LISTEN/NOTIFY).
            var row = queue.GetByRole(AriaRole.Row).Filter(new() { HasText = marker });
            await Expect(row).ToBeVisibleAsync(new() { Timeout = 5_000 });
            await Expect(row).ToContainTextAsync("Terugbellen");

            // The saved form is empty again; fo.demo starts on the next resident's question, kept as a draft every 1.5 s.
            var next = form.GetByRole(AriaRole.Region, new() { Name = "Vraag 1" }).GetByLabel("Vraag", new() { Exact = true });
            await next.FillAsync($"Waar kan ik mijn grofvuil kwijt? ({marker})");
            await next.BlurAsync();
            await Task.Delay(TimeSpan.FromSeconds(3));

            // Server A dies. The agent reloads: nginx sends the browser to B, the sign-in cookie is valid there (the
            // data-protection keys are in the database), and the draft brings the question back.
            await serverA.KillHardAsync();
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await form.ReloadAsync();
                    break;
                }
                catch (PlaywrightException reload) when (attempt < 4 && reload.Message.Contains("ERR_ABORTED", StringComparison.Ordinal))
                {
                    // Blazor's reconnect script reloads the page itself once the circuit is gone; that aborts ours.
                    await Task.Delay(500);
                }
            }

            await form.Locator("[data-loaded=true]").WaitForAsync(new() { Timeout = 30_000 });
            Assert.DoesNotContain("/inloggen", form.Url, StringComparison.Ordinal);
            await Expect(form.GetByText("Uw contact dat nog niet was opgeslagen, staat er weer.")).ToBeVisibleAsync();
            await Expect(form.GetByRole(AriaRole.Region, new() { Name = "Vraag 1" }).GetByLabel("Vraag", new() { Exact = true }))
                .ToHaveValueAsync($"Waar kan ik mijn grofvuil kwijt? ({marker})");
            var served = await form.EvaluateAsync<string>("async () => (await fetch('/health/live')).headers.get('X-Kcc-Server')");
            Assert.Equal(HostPort(serverB), served);
            await AxeAsync(form);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException(
                $"{e.Message}\n--- server A ---\n{Tail(serverA.Output)}\n--- server B ---\n{Tail(serverB.Output)}\n--- nginx ---\n{nginx.Output}", e);
        }
        finally
        {
            folderA.Delete(recursive: true);
            folderB.Delete(recursive: true);
        }
    }

    private static string HostPort(AppProcess server) => new Uri(server.BaseUrl).Authority;

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];

    /// <summary>A browser context pinned to one server by nginx's route cookie, as a browser gets it on its first request.</summary>
    private async Task<IBrowserContext> ContextOnAsync(Nginx nginx, string route)
    {
        var context = await shared.NewContextAsync(nginx.BaseUrl);
        await context.AddCookiesAsync([new Cookie { Name = "kcc_route", Value = route, Url = nginx.BaseUrl }]);
        return context;
    }
}
