using System.Text.Json;
using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.WebTests;

/// <summary>Pastry's tables and Kelips' groups as the page draws them, against the grains and `--json`.</summary>
[Collection(WebCollection.Name)]
public sealed class StructuredPageTests(WebFixture web)
{
    [Fact]
    public async Task Pastry_shows_a_peers_routing_table_and_a_lookup_with_the_digits_of_pastry_lookup_json()
    {
        await web.PostAsync("/api/overlays", new { name = "pastry-page", protocol = "pastry" });
        await web.PostAsync("/api/overlays/pastry-page/join", new { count = 48 });
        var members = await web.Client.GetGrain<IOverlayRegistryGrain>("pastry-page").GetMembersAsync();
        var peer = members[5];
        var space = new PastryParameters().Space;
        var state = await web.Client.GetGrain<IPastryPeerGrain>(PeerKeys.For("pastry-page", peer)).GetStateAsync();

        var (page, errors) = await web.OpenAsync("#pastry-page");
        await page.WaitForFunctionAsync("() => document.getElementById('main').dataset.marks === '48'");
        await page.EvaluateAsync("id => window.p2p.view.showPeer(id)", space.Format(peer));
        await page.WaitForSelectorAsync("#routing");
        Assert.Equal(state.RoutingTable.Length, await page.Locator("#routing td.filled").CountAsync());

        var cli = await CliRunner.JsonAsync(web.Client, "pastry", "lookup", "pastry-page", "film.mkv", "--from", space.Format(peer));
        var search = page.Locator("#actions [data-action=lookup]");
        await search.Locator("input[name=key]").FillAsync("film.mkv");
        await search.Locator("input[name=from]").FillAsync(space.Format(peer));
        await search.Locator("button").ClickAsync();
        await page.WaitForSelectorAsync("#hops");
        Assert.Equal(Strings(cli, "path"), (await page.Locator("#main").GetAttributeAsync("data-hops"))!.Split(','));
        Assert.Equal(cli.GetProperty("digits").EnumerateArray().Select(d => d.GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture)),
            await page.Locator("#hops tbody tr td:nth-child(3)").AllTextContentsAsync());
        await page.WaitForTimeoutAsync(1200);
        await WebFixture.ScreenshotAsync(page, "pastry");
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Kelips_draws_its_affinity_groups_and_a_one_hop_lookup()
    {
        await web.PostAsync("/api/overlays", new { name = "kelips-page", protocol = "kelips", expected = 49, bits = 32 });
        await web.PostAsync("/api/overlays/kelips-page/join", new { count = 49 });
        await web.PostAsync("/api/overlays/kelips-page/step", new { rounds = 20 });
        var members = await web.Client.GetGrain<IOverlayRegistryGrain>("kelips-page").GetMembersAsync();
        await web.PostAsync("/api/overlays/kelips-page/put", new { key = "song.mp3", value = "la la", from = members[3].ToDecimal() });
        await web.PostAsync("/api/overlays/kelips-page/step", new { rounds = 10 });

        var (page, errors) = await web.OpenAsync("#kelips-page");
        await page.WaitForFunctionAsync("() => document.getElementById('main').dataset.marks === '49'");
        Assert.Equal("7", await page.Locator("#main").GetAttributeAsync("data-groups")); // k = ceil(sqrt(49))

        var cli = await CliRunner.JsonAsync(web.Client, "kelips", "lookup", "kelips-page", "song.mp3", "--from", members[10].ToDecimal());
        var search = page.Locator("#actions [data-action=lookup]");
        await search.Locator("input[name=key]").FillAsync("song.mp3");
        await search.Locator("input[name=from]").FillAsync(members[10].ToDecimal());
        await search.Locator("button").ClickAsync();
        await page.WaitForSelectorAsync("#hops");
        Assert.Equal(Strings(cli, "path"), (await page.Locator("#main").GetAttributeAsync("data-hops"))!.Split(','));

        // a converged join from the page (`kelips join --converged`): the newcomers' views are complete at once
        var join = page.Locator("#actions [data-action=join]");
        await join.Locator("input[name=count]").FillAsync("6");
        await join.Locator("input[name=converged]").CheckAsync();
        await join.Locator("button").ClickAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('main').dataset.marks === '55'");
        var check = await web.Client.GetGrain<Kelips.IKelipsOverlayGrain>("kelips-page").CheckAsync();
        Assert.Equal(55, check.Peers);
        Assert.Equal(1.0, check.ViewCompleteness);

        // a peer's contacts: the grain's, one row each, with their groups
        var state = await web.Client.GetGrain<Kelips.IKelipsPeerGrain>(PeerKeys.For("kelips-page", members[10])).GetStateAsync();
        Assert.NotEmpty(state.Contacts);
        await page.EvaluateAsync("id => window.p2p.view.showPeer(id)", members[10].ToDecimal());
        await page.WaitForSelectorAsync("#contacts");
        Assert.Equal(state.Contacts.Select(c => c.Group.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            await page.Locator("#contacts tbody tr td:nth-child(1)").AllTextContentsAsync());
        await page.WaitForTimeoutAsync(800);
        await WebFixture.ScreenshotAsync(page, "kelips");
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    private static List<string> Strings(JsonElement json, string property) =>
        [.. json.GetProperty(property).EnumerateArray().Select(e => e.GetString()!)];
}
