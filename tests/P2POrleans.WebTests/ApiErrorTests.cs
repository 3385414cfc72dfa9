using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using P2POrleans.Common;

namespace P2POrleans.WebTests;

/// <summary>Bad input to the API: a 4xx with a JSON {"error"} in words, and nothing changed.</summary>
[Collection(WebCollection.Name)]
public sealed class ApiErrorTests(WebFixture web)
{
    [Theory]
    [InlineData("POST", "/api/overlays/no-such-overlay/join", "{\"count\": 4}", 404, "no overlay named 'no-such-overlay'")]
    [InlineData("GET", "/api/overlays/no-such-overlay/peers", null, 404, "no overlay named")]
    [InlineData("POST", "/api/overlays/errors-ring/lookup", "{\"key_id\": \"0xzz\"}", 400, "'key_id': '0xzz' is not a hexadecimal id")]
    [InlineData("GET", "/api/overlays/errors-ring/peers/12abc", null, 400, "'id': '12abc' is not a decimal or 0x-hex id")]
    [InlineData("POST", "/api/overlays/errors-ring/leave", "{\"id\": \"99999999999\"}", 400, "does not fit in 16 bits")]
    [InlineData("POST", "/api/overlays/errors-ring/join", "{\"count\": 100000}", 400, "'count' must be between 1 and 20,000")]
    [InlineData("POST", "/api/overlays/errors-ring/join", "{\"count\": \"many\"}", 400, "'count' must be a whole number")]
    [InlineData("POST", "/api/overlays/errors-ring/join", "{\"count\": 4", 400, "not valid JSON")]
    [InlineData("POST", "/api/overlays/errors-ring/explode", "{}", 404, "no action 'explode'")]
    [InlineData("POST", "/api/overlays", "{\"name\": \"x\", \"protocol\": \"kademlia\"}", 400, "unknown protocol 'kademlia'")]
    [InlineData("POST", "/api/overlays", "{\"name\": \"bad name!\", \"protocol\": \"chord\"}", 400, "may only hold letters")]
    [InlineData("POST", "/api/overlays", "{\"name\": \"errors-ring\", \"protocol\": \"chord\"}", 409, "exists already")]
    [InlineData("POST", "/api/overlays", "{\"name\": \"y\", \"protocol\": \"chord\", \"bits\": 0}", 400, "'bits' must be between 1 and 160")]
    public async Task Bad_input_gets_a_4xx_json_error_and_changes_nothing(string method, string path, string? body, int status, string message)
    {
        await EnsureRingAsync();
        var before = await StateAsync();

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await web.Http.SendAsync(request);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString()!;
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task Too_many_peers_in_total_are_refused_before_any_join()
    {
        await EnsureRingAsync();
        using var response = await web.Http.PostAsJsonAsync("/api/overlays/errors-ring/join", new { count = 19_999 });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("too many peers", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(8, (await web.Client.GetGrain<IOverlayRegistryGrain>("errors-ring").GetMembersAsync()).Count);
    }

    /// <summary>One join rule for the three structured protocols (one MemberProtocolApi.JoinAsync): an id joins one peer, never a converged build.</summary>
    [Theory]
    [InlineData("chord")]
    [InlineData("pastry")]
    [InlineData("kelips")]
    public async Task A_join_of_one_id_cannot_be_a_converged_build_in_any_structured_protocol(string protocol)
    {
        var name = $"errors-{protocol}-join";
        var registry = web.Client.GetGrain<IOverlayRegistryGrain>(name);
        if (await registry.GetAsync() is null)
        {
            await web.PostAsync("/api/overlays", new { name, protocol, bits = 16 });
            await web.PostAsync($"/api/overlays/{name}/join", new { count = 2 });
        }

        var before = await registry.GetMembersAsync();
        using var response = await web.Http.PostAsJsonAsync($"/api/overlays/{name}/join", new { id = "5", converged = true });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("cannot be combined with 'converged'", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await registry.GetMembersAsync());
    }

    private async Task EnsureRingAsync()
    {
        if (await web.Client.GetGrain<IOverlayRegistryGrain>("errors-ring").GetAsync() is null)
        {
            await web.PostAsync("/api/overlays", new { name = "errors-ring", protocol = "chord", bits = 16 });
            await web.PostAsync("/api/overlays/errors-ring/join", new { count = 8 });
        }
    }

    /// <summary>The overlays and the ring's members and round: what a refused request must leave as it was.</summary>
    private async Task<string> StateAsync()
    {
        var names = (await web.Client.GetGrain<IOverlayCatalogGrain>(0).ListAsync()).Select(o => o.Name);
        var registry = web.Client.GetGrain<IOverlayRegistryGrain>("errors-ring");
        var info = await registry.GetAsync();
        var members = await registry.GetMembersAsync();
        return $"{string.Join(",", names.Order())}|{info!.Members}|{info.Round}|{string.Join(",", members)}";
    }
}
