using System.Text.RegularExpressions;
using P2POrleans.Client;

namespace P2POrleans.WebTests;

[Collection(WebCollection.Name)]
public sealed partial class DemoPageTests(WebFixture web)
{
    [Fact]
    public async Task The_page_follows_p2p_demo_web_from_overlay_to_overlay()
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var text = new StringWriter();
        var output = TextWriter.Synchronized(text);
        // Each scene stays up 2 s (the command's default is 1.5 s) so the page can read and draw it
        // before the next one takes the focus, even while the other web tests keep the silo busy.
        var demo = Task.Run(() => P2PCli.RunAsync(["demo", "--web", "--port", "0", "--pause", "2000", "--peers", "8"], web.Client, output, TextWriter.Null, stop.Token));

        bool Over()
        {
            lock (output)
            {
                return text.ToString().Contains("the demo is over", StringComparison.Ordinal);
            }
        }

        string? url = null;
        for (var i = 0; i < 600 && url is null; i++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            lock (output)
            {
                url = Url().Match(text.ToString()) is { Success: true } m ? m.Value : null;
            }
        }

        Assert.NotNull(url);
        var page = await web.Browser.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(url);

        // the demo's scenes arrive as pushes: the page switches overlay by itself, in the demo's order
        var seen = new List<string>();
        foreach (var overlay in new[] { "demo-chord", "demo-pastry", "demo-kelips", "demo-gnutella", "demo-swarm" })
        {
            await page.WaitForFunctionAsync($"() => location.hash === '#{overlay}' && document.getElementById('main').dataset.marks > 0", null, new() { Timeout = 120_000 });
            seen.Add(overlay);
            if (overlay == "demo-gnutella")
            {
                await page.WaitForSelectorAsync("#waves", new() { Timeout = 60_000 }); // the TTL-7 flood it printed
                await WebFixture.ScreenshotAsync(page, "demo-gnutella");
            }
        }

        Assert.Equal(5, seen.Count);
        Assert.False(string.IsNullOrEmpty(await page.Locator("#focus").TextContentAsync()));

        // once the demo is over the page stays up until Ctrl+C (here: the command's cancellation), then exit 0
        for (var i = 0; i < 1200 && !Over(); i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.True(Over(), "the demo did not end");
        await stop.CancelAsync();
        Assert.Equal(0, await demo);
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/")]
    private static partial Regex Url();
}
