using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Orleans.TestingHost;
using P2POrleans.Common;
using P2POrleans.Hosting;
using P2POrleans.Web;

namespace P2POrleans.WebTests;

/// <summary>
/// One in-process silo (TestingHost), the web view on a free loopback port over its client, and a
/// headless Debian chromium driven by Playwright: shared by every web test (starting them takes seconds).
/// </summary>
public sealed class WebFixture : IAsyncLifetime
{
    /// <summary>The Debian browser; Playwright's own browser download cannot work here (no network).</summary>
    public const string Chromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public TestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public WebServer Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>Where the tests write a screenshot of each view (docs/web/*.png are copies of some).</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async ValueTask InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        Server = await P2PWeb.StartAsync(Cluster.Client, new WebOptions { Port = 0 });

        // building 10,000 converged Pastry peers (ScaleMeasurements) takes minutes on a loaded machine
        Http = new HttpClient { BaseAddress = Server.Url, Timeout = TimeSpan.FromMinutes(10) };

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,

            // No network but loopback here: keep chromium from calling home. Playwright's Launch gives
            // every run a fresh temporary profile (user-data-dir) of its own and deletes it on close.
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        Http?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        if (Cluster is not null)
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }
    }

    /// <summary>A new page at the web view, with every console error and page error collected.</summary>
    public async Task<(IPage Page, List<string> Errors)> OpenAsync(string fragment = "")
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add(error);
            }
        };
        await page.GotoAsync(new Uri(Server.Url, "/" + fragment).ToString());
        await page.WaitForFunctionAsync("() => window.p2p && window.p2p.ready && window.p2p.connected");
        return (page, errors);
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });

    public async Task<JsonElement> PostAsync(string path, object body)
    {
        using var response = await Http.PostAsJsonAsync(path, body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {json}");
        return json;
    }

    public sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddP2POrleans();
    }
}
