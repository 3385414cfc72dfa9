using Microsoft.Playwright;
using P2POrleans.Common;

namespace P2POrleans.WebTests;

/// <summary>
/// The action bar drives the cluster through the same grain operations as the console: what the page
/// joins, fails, leaves, steps and puts is what the registry and `p2p chord get --json` then see.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class PageActionTests(WebFixture web)
{
    private const string Ring = "actions-ring";

    [Fact]
    public async Task Join_fail_leave_step_and_put_from_the_page_change_the_cluster_as_the_console_sees_it()
    {
        await web.PostAsync("/api/overlays", new { name = Ring, protocol = "chord", bits = 32 });
        await web.PostAsync($"/api/overlays/{Ring}/join", new { count = 16 });
        var registry = web.Client.GetGrain<IOverlayRegistryGrain>(Ring);
        var (page, errors) = await web.OpenAsync($"#{Ring}");
        await MarksAsync(page, 16);

        await ActAsync(page, "join", ("count", "4"));
        await MarksAsync(page, 20);
        Assert.Equal(20, (await registry.GetMembersAsync()).Count);

        await ActAsync(page, "fail", ("count", "1"));
        await MarksAsync(page, 19);
        Assert.Equal(19, (await registry.GetMembersAsync()).Count);

        var leaving = (await registry.GetMembersAsync())[3];
        await ActAsync(page, "leave", ("id", leaving.ToDecimal()));
        await MarksAsync(page, 18);
        var members = await registry.GetMembersAsync();
        Assert.Equal(18, members.Count);
        Assert.DoesNotContain(leaving, members);

        var round = (await registry.GetAsync())!.Round;
        await ActAsync(page, "step", ("rounds", "3"));
        Assert.Equal(round + 3, (await registry.GetAsync())!.Round);

        await ActAsync(page, "put", ("key", "page-song.mp3"), ("value", "stored-from-the-page"));
        var cli = await CliRunner.JsonAsync(web.Client, "chord", "get", Ring, "page-song.mp3");
        Assert.True(cli.GetProperty("found").GetBoolean());
        Assert.Equal("stored-from-the-page", cli.GetProperty("value").GetString());

        // and what the console stores, the page's get reads
        await CliRunner.JsonAsync(web.Client, "chord", "put", Ring, "console-song.mp3", "stored-from-the-console");
        await ActAsync(page, "get", ("key", "console-song.mp3"));
        await page.WaitForFunctionAsync("() => document.getElementById('side').textContent.includes('stored-from-the-console')");

        Assert.Empty(errors);
        await page.CloseAsync();
    }

    /// <summary>Fills an action's fields, clicks it and waits until the page is done with it (the button is enabled again).</summary>
    private static async Task ActAsync(IPage page, string action, params (string Field, string Value)[] fields)
    {
        var group = page.Locator($"#actions [data-action={action}]");
        foreach (var (field, value) in fields)
        {
            await group.Locator($"input[name={field}]").FillAsync(value);
        }

        var button = group.Locator("button");
        await button.ClickAsync();
        await page.WaitForFunctionAsync($"() => !document.querySelector('#actions [data-action={action}] button').disabled");
        Assert.True(await page.Locator("#error").IsHiddenAsync(), $"{action}: {await page.Locator("#error").TextContentAsync()}");
    }

    private static Task MarksAsync(IPage page, int marks) =>
        page.WaitForFunctionAsync($"() => document.getElementById('main').dataset.marks === '{marks}'");
}
