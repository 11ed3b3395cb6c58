using Kcc.Workbench.EndToEnd.Support;
using Microsoft.Playwright;
using static Kcc.Workbench.EndToEnd.Support.Ui;
using static Microsoft.Playwright.Assertions;

namespace Kcc.Workbench.EndToEnd;

/// <summary>
/// What one agent costs the server: keystrokes in the contact form's text fields stay in the browser, and the server
/// hears the text once, after a pause. Counted as the messages the page sends over the circuit's WebSocket.
/// </summary>
[Collection(FrontOfficeAccount.Name)]
public sealed class DeferredTypingTests(KccApp app) : BrowserTest(app)
{
    private int sent;

    private async Task OpenFormAsync()
    {
        // The circuit's WebSocket opens with the page: listen before navigating.
        Page.WebSocket += (_, socket) => socket.FrameSent += (_, _) => Interlocked.Increment(ref sent);
        await LoginAsync(Page, "fo.demo");
        await OpenEmptyContactFormAsync(Page);
    }

    [Fact]
    public async Task Typing_an_answer_sends_nothing_per_key_and_the_text_once_after_a_pause()
    {
        await OpenFormAsync();
        var answer = Page.GetByLabel("Antwoord", new() { Exact = true });
        await answer.FocusAsync();
        await Page.WaitForTimeoutAsync(500); // let the focus's own traffic settle
        var before = Volatile.Read(ref sent);

        const string text = "U kunt een nieuw paspoort aanvragen bij de balie.";
        await Page.Keyboard.TypeAsync(text, new() { Delay = 15 });
        var whileTyping = Volatile.Read(ref sent) - before;

        // The counter below the field follows every key in the browser.
        await Expect(Page.Locator("#q0-answer-counter")).ToContainTextAsync($"{text.Length} / ");
        // Without deferring every key is a message (49 here). Allowed: a SignalR keep-alive, and one change with its
        // render acknowledgement should a slow moment in the test browser stretch the gap between two keys past the pause.
        Assert.True(whileTyping <= 4, $"{whileTyping} messages sent to the server while typing {text.Length} keys");

        // After the pause the server hears the text, in one change; the field keeps what was typed.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Volatile.Read(ref sent) - before == whileTyping && waited.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Page.WaitForTimeoutAsync(50);
        }

        Assert.True(Volatile.Read(ref sent) - before > whileTyping, "the text never reached the server");
        await Page.WaitForTimeoutAsync(500);
        await Expect(answer).ToHaveValueAsync(text);
        await Expect(answer).ToBeFocusedAsync();
    }

    /// <summary>Waits until the page has sent nothing for 700 ms (at most 10 s).</summary>
    private async Task QuietAsync()
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var last = Volatile.Read(ref sent);
        var quietSince = waited.Elapsed;
        while (waited.Elapsed - quietSince < TimeSpan.FromMilliseconds(700) && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Page.WaitForTimeoutAsync(50);
            if (Volatile.Read(ref sent) != last)
            {
                last = Volatile.Read(ref sent);
                quietSince = waited.Elapsed;
            }
        }
    }

    [Fact]
    public async Task The_resident_search_sends_a_pause_only_when_it_changes_the_search_and_the_text_on_leaving_the_field()
    {
        await OpenFormAsync();
        var search = Page.GetByLabel("Zoek inwoner");
        var results = Page.GetByRole(AriaRole.List, new() { Name = "Gevonden inwoners" });
        await search.FocusAsync();
        await QuietAsync();

        // One letter searches nothing: the pause after it sends nothing either.
        var before = Volatile.Read(ref sent);
        await Page.Keyboard.TypeAsync("J");
        await Page.WaitForTimeoutAsync(900);
        Assert.True(Volatile.Read(ref sent) - before <= 1, $"{Volatile.Read(ref sent) - before} messages after one letter"); // a keep-alive at most

        // Two letters and more search, as the agent types.
        await Page.Keyboard.TypeAsync("ansen");
        await Expect(results).ToContainTextAsync("Jansen");
        await QuietAsync(); // a slow test browser may have sent "Jans" first: let "Jansen" and its render go through

        // A space after the name starts the same search: nothing is sent, and what is shown stays.
        before = Volatile.Read(ref sent);
        await Page.Keyboard.TypeAsync(" ");
        await Page.WaitForTimeoutAsync(900);
        Assert.True(Volatile.Read(ref sent) - before <= 1, $"{Volatile.Read(ref sent) - before} messages after a space");
        await Expect(results).ToContainTextAsync("Jansen");

        // Leaving the field sends the text as typed (the form's draft keeps it).
        before = Volatile.Read(ref sent);
        await Page.Keyboard.PressAsync("Shift+Tab");
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Volatile.Read(ref sent) == before && waited.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Page.WaitForTimeoutAsync(50);
        }

        Assert.True(Volatile.Read(ref sent) > before, "leaving the field did not send the text");

        // Back to one letter: that does change what is shown (no results), so it is sent.
        await search.FocusAsync();
        await Page.Keyboard.PressAsync("Control+a");
        await Page.Keyboard.TypeAsync("J");
        await Expect(results).ToBeHiddenAsync();
        await Expect(search).ToHaveValueAsync("J");
    }

    [Fact]
    public async Task The_circuit_s_WebSocket_is_not_compressed()
    {
        // Per-message deflate costs the server CPU on every render and every event; the browser offers it, the app declines.
        var cdp = await Page.Context.NewCDPSessionAsync(Page);
        var handshakes = new System.Collections.Concurrent.ConcurrentQueue<(string Url, string Extensions)>();
        cdp.Event("Network.webSocketHandshakeResponseReceived").OnEvent += (_, e) =>
        {
            if (e is not { } json)
            {
                return;
            }

            var headers = json.GetProperty("response").GetProperty("headers");
            var extensions = headers.EnumerateObject()
                .Where(h => h.Name.Equals("Sec-WebSocket-Extensions", StringComparison.OrdinalIgnoreCase))
                .Select(h => h.Value.GetString() ?? "").FirstOrDefault() ?? "";
            handshakes.Enqueue((json.GetProperty("requestId").GetString() ?? "", extensions));
        };
        await cdp.SendAsync("Network.enable");

        await OpenFormAsync();
        await Page.GetByLabel("Zoek inwoner").FillAsync("Jansen");
        await Expect(Page.GetByRole(AriaRole.List, new() { Name = "Gevonden inwoners" })).ToContainTextAsync("Jansen");

        Assert.NotEmpty(handshakes);
        Assert.All(handshakes, h => Assert.DoesNotContain("permessage-deflate", h.Extensions, StringComparison.OrdinalIgnoreCase));
    }
}
