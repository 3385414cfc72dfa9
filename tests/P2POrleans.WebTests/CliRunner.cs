using System.Text.Json;
using P2POrleans.Client;

namespace P2POrleans.WebTests;

/// <summary>Runs a `p2p ... --json` command line on the test cluster: what the page must agree with.</summary>
public static class CliRunner
{
    public static async Task<JsonElement> JsonAsync(IClusterClient client, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await P2PCli.RunAsync([.. args, "--json"], client, output, error, TestContext.Current.CancellationToken);
        Assert.True(code == 0, $"p2p {string.Join(' ', args)} exited {code}: {error}");
        return JsonDocument.Parse(output.ToString()).RootElement.Clone();
    }
}
