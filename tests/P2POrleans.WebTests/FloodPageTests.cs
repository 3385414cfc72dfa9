using P2POrleans.Common;

namespace P2POrleans.WebTests;

[Collection(WebCollection.Name)]
public sealed class FloodPageTests(WebFixture web)
{
    [Fact]
    public async Task The_gnutella_flood_shows_the_peers_reached_by_gnutella_query_json()
    {
        await web.PostAsync("/api/overlays", new { name = "flood", protocol = "gnutella", peers = 200, topology = "random", seed = 5 });
        var cli = await CliRunner.JsonAsync(web.Client, "gnutella", "query", "flood", "oasis vogue", "--from", "3", "--ttl", "3");
        var expected = cli.GetProperty("reached").EnumerateArray().Select(r => r.GetInt32()).Order().ToList();
        Assert.InRange(expected.Count, 2, 199); // a TTL-3 flood on a 4-regular graph reaches some peers, not all

        var (page, errors) = await web.OpenAsync("#flood");
        await page.WaitForFunctionAsync("() => document.getElementById('main').dataset.marks === '200'");
        var search = page.Locator("#actions [data-action=lookup]");
        await search.Locator("input[name=key]").FillAsync("oasis vogue");
        await search.Locator("input[name=from]").FillAsync("3");
        await search.Locator("input[name=ttl]").FillAsync("3");
        await search.Locator("button").ClickAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('main').dataset.reached !== undefined");

        var shown = (await page.Locator("#main").GetAttributeAsync("data-reached"))!.Split(',').Select(int.Parse).ToList();
        Assert.Equal(expected, shown);

        // the waves table adds up to the same peers: TTL 3 gives waves 0..3
        var perWave = await page.Locator("#waves tbody tr td:nth-child(2)").AllTextContentsAsync();
        Assert.Equal(expected.Count, perWave.Sum(int.Parse));
        await page.WaitForTimeoutAsync(2000); // the wave-by-wave replay, for the picture
        await WebFixture.ScreenshotAsync(page, "gnutella-flood");
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Napster_shows_its_server_and_fasttrack_its_supernodes()
    {
        await web.PostAsync("/api/overlays", new { name = "nap", protocol = "napster", peers = 120, seed = 2 });
        await web.PostAsync("/api/overlays", new { name = "ft", protocol = "fasttrack", peers = 300, seed = 2 });

        var (page, errors) = await web.OpenAsync("#nap");
        await page.WaitForFunctionAsync("() => document.getElementById('main').dataset.marks === '120'");
        Assert.Contains("server up: 120 peers", await page.Locator("#view-stats").TextContentAsync(), StringComparison.Ordinal);
        var search = page.Locator("#actions [data-action=lookup]");
        await search.Locator("input[name=key]").FillAsync("beatles");
        await search.Locator("button").ClickAsync();
        await page.WaitForSelectorAsync("#waves");
        await page.WaitForTimeoutAsync(1000); // let the search's replay finish for the picture
        await WebFixture.ScreenshotAsync(page, "napster");
        await page.Locator("#actions [data-action=fail-server] button").ClickAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('view-stats').textContent.includes('server down')");
        await page.Locator("#actions [data-action=recover-server] button").ClickAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('view-stats').textContent.includes('server up')");

        var supernodes = (await web.Client.GetGrain<FastTrack.IFastTrackOverlayGrain>("ft").SupernodesAsync()).Count;
        Assert.True(supernodes > 0);
        await page.GotoAsync(new Uri(web.Server.Url, "/#ft").ToString());
        await page.WaitForFunctionAsync("() => window.p2p.ready && document.getElementById('main').dataset.marks === '300'");
        Assert.Contains($"{supernodes} supernodes", await page.Locator("#view-stats").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(supernodes.ToString(System.Globalization.CultureInfo.InvariantCulture), await page.Locator("#main").GetAttributeAsync("data-supernodes"));
        await WebFixture.ScreenshotAsync(page, "fasttrack");
        Assert.Empty(errors);
        await page.CloseAsync();
    }
}
