namespace P2POrleans.WebTests;

[Collection(WebCollection.Name)]
public sealed class SwarmPageTests(WebFixture web)
{
    [Fact]
    public async Task The_swarm_heatmap_changes_as_the_swarm_runs()
    {
        var (page, errors) = await web.OpenAsync();
        await page.SelectOptionAsync("#create select[name=protocol]", "swarm");
        await page.FillAsync("#create input[name=name]", "page-swarm");
        await page.FillAsync("#create input[name=peers]", "30");
        await page.FillAsync("#create input[name=size_mb]", "4");
        await page.ClickAsync("#create button[type=submit]");
        await page.WaitForFunctionAsync("() => document.getElementById('main').dataset.marks === '31'"); // 30 leechers and the seed
        var atStart = await HaveAsync(page);
        var picture = await page.Locator("#main").ScreenshotAsync();

        await page.Locator("#actions [data-action=run] button").ClickAsync();

        // each short step of the run is pushed: the pieces drawn grow, then the swarm is done
        await page.WaitForFunctionAsync($"() => Number(document.getElementById('main').dataset.have) > {atStart}");
        await WebFixture.ScreenshotAsync(page, "swarm-running");
        await page.WaitForFunctionAsync("() => document.getElementById('view-stats').textContent.includes('· done')", null, new() { Timeout = 120_000 });
        var atEnd = await HaveAsync(page);
        var progress = await web.Client.GetGrain<BitTorrent.ISwarmGrain>("page-swarm").GetProgressAsync();
        Assert.True(progress.Done);
        Assert.Equal(31 * progress.Pieces, atEnd); // every member holds every piece
        Assert.NotEqual(picture, await page.Locator("#main").ScreenshotAsync());
        await WebFixture.ScreenshotAsync(page, "swarm");
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    private static async Task<int> HaveAsync(Microsoft.Playwright.IPage page) =>
        int.Parse((await page.Locator("#main").GetAttributeAsync("data-have"))!, System.Globalization.CultureInfo.InvariantCulture);
}
