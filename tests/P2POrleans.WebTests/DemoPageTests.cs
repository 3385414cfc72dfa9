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
        var demo = Task.Run(() => P2PCli.RunAsync(["demo", "--web", "--port", "0", "--pause", "300", "--peers", "8"], web.Client, output, TextWriter.Null, stop.Token));

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

        // the demo's scenes arrive as pushes: the page switches overlay by itself, and the demo waits
        // for the page to report each scene drawn, so none is missed however slow the page is
        string[] expected = ["demo-chord", "demo-pastry", "demo-kelips", "demo-gnutella", "demo-swarm"];
        await page.WaitForFunctionAsync("() => window.p2p.followed.includes('demo-swarm')", null, new() { Timeout = 240_000 });
        var followed = await page.EvaluateAsync<string[]>("() => window.p2p.followed");
        var positions = expected.Select(o => Array.IndexOf(followed, o)).ToArray();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions); // in the demo's order
        Assert.Contains("demo-gnutella", await page.EvaluateAsync<string[]>("() => window.p2p.traced")); // the TTL-7 flood it printed, drawn
        await WebFixture.ScreenshotAsync(page, "demo-swarm");

        Assert.False(string.IsNullOrEmpty(await page.Locator("#focus").TextContentAsync()));

        // once the demo is over the page stays up until Ctrl+C (here: the command's cancellation), then exit 0
        for (var i = 0; i < 1200 && !Over(); i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.True(Over(), "the demo did not end");
        Assert.Empty(errors);
        await page.CloseAsync(); // before the server stops: a page left open then reports the fetches it lost
        await stop.CancelAsync();
        Assert.Equal(0, await demo);
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/")]
    private static partial Regex Url();
}
