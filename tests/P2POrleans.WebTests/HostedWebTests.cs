using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using P2POrleans.Web;

namespace P2POrleans.WebTests;

/// <summary>The page served from a host's own grain factory, as the silo does with --web-port (AddP2PWeb).</summary>
[Collection(WebCollection.Name)]
public sealed class HostedWebTests(WebFixture web)
{
    [Fact]
    public async Task A_host_with_AddP2PWeb_serves_the_clusters_overlays_and_stops_with_the_host()
    {
        await web.PostAsync("/api/overlays", new { name = "hosted-ring", protocol = "chord", bits = 16 });
        await web.PostAsync("/api/overlays/hosted-ring/join", new { count = 5 });

        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IGrainFactory>(web.Client);
        builder.Services.AddP2PWeb(new WebOptions { Port = 0 });
        Uri url;
        using (var host = builder.Build())
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
            url = host.Services.GetServices<IHostedService>().OfType<WebHostedService>().Single().Url!;
            using var http = new HttpClient { BaseAddress = url };
            var overlays = await http.GetFromJsonAsync<JsonElement>("/api/overlays", TestContext.Current.CancellationToken);
            var ring = overlays.EnumerateArray().Single(o => o.GetProperty("name").GetString() == "hosted-ring");
            Assert.Equal(5, ring.GetProperty("peers").GetInt32());
            Assert.Contains("P2POrleans live", await http.GetStringAsync("/", TestContext.Current.CancellationToken), StringComparison.Ordinal);
            await host.StopAsync(TestContext.Current.CancellationToken);
        }

        // stopped with its host: nothing listens there any more
        using var after = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => after.GetAsync(new Uri(url, "/api/overlays"), TestContext.Current.CancellationToken));
    }
}
