using System.Diagnostics;
using System.Globalization;
using P2POrleans.Common;

namespace P2POrleans.WebTests;

/// <summary>
/// Page load and update latency with 1,000 and 10,000 peers (docs/web.md). Explicit: it measures,
/// asserts no timing, and runs only when asked:
/// `dotnet test --project tests/P2POrleans.WebTests -- --filter-class '*ScaleMeasurements*' --explicit only`.
/// Writes bin/.../screenshots/latency.txt.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class ScaleMeasurements(WebFixture web)
{
    private const int Repeats = 5;

    [Theory(Explicit = true)]
    [InlineData("chord", 1_000)]
    [InlineData("chord", 10_000)]
    [InlineData("gnutella", 1_000)]
    [InlineData("gnutella", 10_000)]
    [InlineData("pastry", 1_000)]
    [InlineData("pastry", 10_000)]
    [InlineData("kelips", 1_000)]
    [InlineData("kelips", 10_000)]
    public async Task Measure_page_load_and_update_latency(string protocol, int peers)
    {
        var name = $"scale-{protocol}-{peers}";
        var build = Stopwatch.StartNew();
        if (protocol == "gnutella")
        {
            await web.PostAsync("/api/overlays", new { name, protocol, peers, topology = "random", degree = 4 });
        }
        else if (protocol == "kelips")
        {
            await web.PostAsync("/api/overlays", new { name, protocol, expected = peers });
            await web.PostAsync($"/api/overlays/{name}/join", new { count = peers });
        }
        else
        {
            await web.PostAsync("/api/overlays", new { name, protocol, bits = 32 });
            await web.PostAsync($"/api/overlays/{name}/join", new { count = peers, converged = true });
        }

        build.Stop();
        var loads = new List<double>();
        var pushed = new List<double>();
        var watched = new List<double>();
        for (var i = 0; i < Repeats; i++)
        {
            // load: navigation start -> the draw that shows every peer (performance.now() at that draw)
            var (page, _) = await web.OpenAsync($"#{name}");
            await page.WaitForFunctionAsync($"() => Number(document.getElementById('main').dataset.marks) >= {peers}", null, new() { Timeout = 300_000 });
            loads.Add(await page.EvaluateAsync<double>("() => window.p2p.lastDraw"));

            // a change made through the API (one peer joins): the push reaching the page -> the redraw that shows it
            var expected = await page.EvaluateAsync<int>("() => Number(document.getElementById('main').dataset.marks)") + 1;
            await web.PostAsync($"/api/overlays/{name}/join", new { count = 1 });
            pushed.Add(await ValueAsync(page, $"() => Number(document.getElementById('main').dataset.marks) >= {expected} && window.p2p.pushToDraw"));

            // a change made elsewhere (as the console does): one peer joins through the overlay grain; from
            // that call's return to the redraw that shows it, through the once-a-second watcher (one wall clock)
            expected++;
            await JoinOneElsewhereAsync(protocol, name);
            var t0 = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            watched.Add(await ValueAsync(page, $"() => Number(document.getElementById('main').dataset.marks) >= {expected} && window.p2p.lastDrawDone") - t0);
            await page.CloseAsync();
        }

        var line = string.Create(CultureInfo.InvariantCulture,
            $"{DateTimeOffset.UtcNow:u} {protocol} {peers} peers (built in {build.Elapsed.TotalSeconds:F1} s): load median {Median(loads):F0} ms [{string.Join(" ", loads.Select(x => x.ToString("F0", CultureInfo.InvariantCulture)))}], " +
            $"update pushed median {Median(pushed):F0} ms [{string.Join(" ", pushed.Select(x => x.ToString("F0", CultureInfo.InvariantCulture)))}], " +
            $"update from elsewhere median {Median(watched):F0} ms [{string.Join(" ", watched.Select(x => x.ToString("F0", CultureInfo.InvariantCulture)))}]; load average {LoadAverage()}");
        TestContext.Current.SendDiagnosticMessage(line);
        await File.AppendAllTextAsync(Path.Combine(WebFixture.ScreenshotFolder, "latency.txt"), line + Environment.NewLine);
        await web.Client.GetGrain<IOverlayRegistryGrain>(name).DeleteAsync();
    }

    /// <summary>The value the predicate returns at the first animation frame where it is truthy.</summary>
    private static async Task<double> ValueAsync(Microsoft.Playwright.IPage page, string predicate)
    {
        var handle = await page.WaitForFunctionAsync(predicate, null, new() { Timeout = 120_000 });
        return await handle.JsonValueAsync<double>();
    }

    private async Task JoinOneElsewhereAsync(string protocol, string name)
    {
        switch (protocol)
        {
            case "chord":
                await web.Client.GetGrain<Chord.IChordOverlayGrain>(name).JoinHostsAsync(1);
                break;
            case "pastry":
                await web.Client.GetGrain<Pastry.IPastryOverlayGrain>(name).JoinHostsAsync(1);
                break;
            case "kelips":
                await web.Client.GetGrain<Kelips.IKelipsOverlayGrain>(name).JoinHostsAsync(1);
                break;
            default:
                await web.Client.GetGrain<Gnutella.IGnutellaOverlayGrain>(name).JoinAsync([]);
                break;
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
