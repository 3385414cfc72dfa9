using P2POrleans.Common;

namespace P2POrleans.WebTests;

[Collection(WebCollection.Name)]
public sealed class ChordPageTests(WebFixture web)
{
    [Fact]
    public async Task The_page_loads_with_no_console_error()
    {
        var (page, errors) = await web.OpenAsync();
        Assert.Equal("P2POrleans live", await page.TitleAsync());
        Assert.True(await page.Locator("#create").IsVisibleAsync());
        Assert.Equal("live", await page.Locator("#status").TextContentAsync());

        // everything the page loaded (scripts, styles, the SignalR client) came from the web view itself
        var loaded = await page.EvaluateAsync<string[]>("() => [location.href, ...performance.getEntriesByType('resource').map(e => e.name)]");
        Assert.Contains(loaded, url => url.EndsWith("/lib/signalr/signalr.min.js", StringComparison.Ordinal));
        Assert.All(loaded, url => Assert.StartsWith(web.Server.Url.GetLeftPart(UriPartial.Authority), url, StringComparison.Ordinal));
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_64_peer_ring_created_from_the_page_draws_64_peer_marks()
    {
        var (page, errors) = await web.OpenAsync();
        await page.SelectOptionAsync("#create select[name=protocol]", "chord");
        await page.FillAsync("#create input[name=name]", "page-ring");
        await page.FillAsync("#create input[name=peers]", "64");
        await page.FillAsync("#create input[name=bits]", "32");
        await page.ClickAsync("#create button[type=submit]");
        await page.WaitForFunctionAsync("() => document.getElementById('main').dataset.marks === '64'");

        // the page's ring is the cluster's: 64 members in the registry
        Assert.Equal(64, (await web.Client.GetGrain<IOverlayRegistryGrain>("page-ring").GetMembersAsync()).Count);
        await WebFixture.ScreenshotAsync(page, "chord-ring-64");
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_lookup_highlights_exactly_the_hops_of_chord_lookup_json()
    {
        await web.PostAsync("/api/overlays", new { name = "hops-ring", protocol = "chord", bits = 32 });
        await web.PostAsync("/api/overlays/hops-ring/join", new { count = 48 });
        await web.PostAsync("/api/overlays/hops-ring/step", new { rounds = 12 });
        var members = await web.Client.GetGrain<IOverlayRegistryGrain>("hops-ring").GetMembersAsync();
        var from = members[7].ToDecimal();

        // a key a few hops away from this initiator, for the picture (the console's answer is the reference)
        string key = "";
        List<string> expected = [];
        foreach (var candidate in new[] { "film.mkv", "song.mp3", "talk.ogg", "paper.pdf", "photo.jpg", "notes.txt" })
        {
            var cli = await CliRunner.JsonAsync(web.Client, "chord", "lookup", "hops-ring", candidate, "--from", from);
            var path = cli.GetProperty("path").EnumerateArray().Select(p => p.GetString()!).ToList();
            if (path.Count > expected.Count)
            {
                (key, expected) = (candidate, path);
            }
        }

        Assert.True(expected.Count >= 2, "the lookup should take at least one hop");

        var (page, errors) = await web.OpenAsync("#hops-ring");
        var lookup = page.Locator("#actions [data-action=lookup]");
        await lookup.Locator("input[name=key]").FillAsync(key);
        await lookup.Locator("input[name=from]").FillAsync(from);
        await lookup.Locator("button").ClickAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('main').dataset.hops !== undefined");
        await page.WaitForFunctionAsync($"() => document.querySelectorAll('#hops tbody tr').length === {expected.Count}");

        var drawn = (await page.Locator("#main").GetAttributeAsync("data-hops"))!.Split(',');
        Assert.Equal(expected, drawn);
        var listed = await page.Locator("#hops tbody tr td:nth-child(2)").AllTextContentsAsync();
        Assert.Equal(expected, listed);
        await page.WaitForTimeoutAsync(350 * expected.Count); // let the hop-by-hop replay finish for the picture
        await WebFixture.ScreenshotAsync(page, "chord-lookup");
        Assert.Empty(errors);
        await page.CloseAsync();
    }
}
