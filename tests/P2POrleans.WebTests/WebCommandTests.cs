using P2POrleans.Client;

namespace P2POrleans.WebTests;

/// <summary>`p2p web` and `p2p demo --web` refuse bad options with one line and exit 2, and stop on cancellation.</summary>
[Collection(WebCollection.Name)]
public sealed class WebCommandTests(WebFixture web)
{
    [Theory]
    [InlineData("--host", "example.org", "the web host must be an IP address")]
    [InlineData("--port", "70000", "the web port must be between 1 and 65535")]
    public async Task Bad_options_are_one_error_line_and_exit_2(string option, string value, string message)
    {
        var (code, error) = await RunAsync("web", option, value);
        Assert.Equal(2, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: " + message, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_is_named_in_words()
    {
        var (code, error) = await RunAsync("web", "--port", web.Server.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, code);
        Assert.Contains($"cannot listen on http://127.0.0.1:{web.Server.Url.Port}", error, StringComparison.Ordinal);
        Assert.Contains("choose another --port", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_host_than_loopback_warns_that_there_is_no_authentication()
    {
        using var stop = new CancellationTokenSource();
        var output = new StringWriter();
        var error = new StringWriter();
        var run = P2PCli.RunAsync(["web", "--host", "0.0.0.0", "--port", "0"], web.Client, TextWriter.Synchronized(output), TextWriter.Synchronized(error), stop.Token);
        for (var i = 0; i < 200 && !output.ToString().Contains("web view at", StringComparison.Ordinal); i++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        await stop.CancelAsync();
        Assert.Equal(0, await run);
        Assert.Contains("no authentication", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("web view at http://127.0.0.1:", output.ToString(), StringComparison.Ordinal);
    }

    private async Task<(int Code, string Error)> RunAsync(params string[] args)
    {
        var error = new StringWriter();
        var code = await P2PCli.RunAsync(args, web.Client, TextWriter.Null, error, TestContext.Current.CancellationToken);
        return (code, error.ToString());
    }
}
