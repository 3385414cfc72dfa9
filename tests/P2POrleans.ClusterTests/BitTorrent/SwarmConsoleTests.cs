namespace P2POrleans.ClusterTests.BitTorrent;

[Collection(SharedCluster.Name)]
public sealed class SwarmConsoleTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Share_run_status_and_fetch_rebuild_the_file_byte_for_byte()
    {
        var client = fixture.Client;
        var (path, original) = SwarmHarness.WriteFile(700_000, seed: 11);
        var output = path + ".copy";
        var torrent = path + ".torrent";
        try
        {
            var shared = await CliRunner.RunAsync(client, "swarm", "share", path, "--name", "bt-cli", "--peers", "6", "--piece", "32KiB", "--upload", "256KiB", "--torrent", torrent);
            Assert.True(shared.ExitCode == 0, shared.Error);
            Assert.Contains("info hash", shared.Out);
            Assert.True(File.Exists(torrent));

            var run = await CliRunner.RunAsync(client, "swarm", "run", "bt-cli");
            Assert.True(run.ExitCode == 0, run.Error);
            Assert.Contains("done at", run.Out);
            Assert.Contains("6/6 leechers complete", run.Out);

            var status = await CliRunner.RunAsync(client, "swarm", "status", "bt-cli");
            Assert.True(status.ExitCode == 0, status.Error);
            Assert.Contains("peer-006", status.Out);
            Assert.Contains("100.0%", status.Out);

            var fetch = await CliRunner.RunAsync(client, "swarm", "fetch", "bt-cli", "--peer", "peer-003", "--out", output);
            Assert.True(fetch.ExitCode == 0, fetch.Error);
            Assert.Equal(original, await File.ReadAllBytesAsync(output, TestContext.Current.CancellationToken));
        }
        finally
        {
            File.Delete(path);
            File.Delete(output);
            File.Delete(torrent);
        }
    }

    [Theory]
    [InlineData("swarm", "create", "bt-bad", "--size", "12 parsecs")]
    [InlineData("swarm", "create", "bt-bad", "--size", "-5MB")]
    [InlineData("swarm", "create", "bt-bad", "--size", "2GB")]
    [InlineData("swarm", "create", "bt-bad", "--free-riders", "150%")]
    [InlineData("swarm", "create", "bt-bad", "--free-riders", "lots")]
    [InlineData("swarm", "create", "bt-bad", "--piece", "16KiB")]
    [InlineData("swarm", "create", "bt-bad", "--piece", "8MiB")]
    [InlineData("swarm", "create", "bt-bad", "--piece", "100KB")]
    [InlineData("swarm", "create", "bt-bad", "--peers", "-1")]
    [InlineData("swarm", "create", "bt-bad", "--tracker-port", "70000")]
    [InlineData("swarm", "join", "bt-bad", "/nonexistent/x.torrent")]
    [InlineData("swarm", "join", "bt-bad", "/etc/hostname")]
    [InlineData("swarm", "serve", "bt-bad", "--listen", "127.0.0.1:6881")]
    [InlineData("swarm", "serve", "bt-bad", "--listen", "localhost")]
    [InlineData("swarm", "serve", "bt-bad", "--listen", "10.0.0.1:6881")]
    [InlineData("swarm", "add-peer", "bt-bad", "127.0.0.1:6881")]
    [InlineData("swarm", "add-peer", "bt-bad", "127.0.0.1:0")]
    [InlineData("swarm", "create", "bt-bad", "--file", "/nonexistent/file.bin")]
    [InlineData("swarm", "create", "bt-bad", "--file", "/etc/hostname", "--size", "1MB")]
    [InlineData("swarm", "share", "/nonexistent/file.bin")]
    [InlineData("swarm", "run", "bt-missing")]
    [InlineData("swarm", "status", "bt-missing")]
    [InlineData("swarm", "fetch", "bt-missing", "--peer", "peer-001", "--out", "/tmp/x.bin")]
    public async Task Bad_input_is_one_line_exit_2_and_creates_nothing(params string[] args)
    {
        var outcome = await CliRunner.RunAsync(fixture.Client, args);
        Assert.Equal(2, outcome.ExitCode);
        Assert.StartsWith("error: ", outcome.Error);
        Assert.Single(outcome.Error.Trim().Split('\n'));
        Assert.Null(await fixture.Client.GetGrain<P2POrleans.Common.IOverlayRegistryGrain>("bt-bad").GetAsync());
    }

    [Fact]
    public async Task Fetch_refuses_an_unknown_peer_or_an_incomplete_one()
    {
        var client = fixture.Client;
        var created = await CliRunner.RunAsync(client, "swarm", "create", "bt-cli-partial", "--peers", "3", "--size", "256KiB", "--piece", "32KiB");
        Assert.True(created.ExitCode == 0, created.Error);
        var unknown = await CliRunner.RunAsync(client, "swarm", "fetch", "bt-cli-partial", "--peer", "nobody", "--out", "/tmp/bt-never.bin");
        Assert.Equal(2, unknown.ExitCode);
        var incomplete = await CliRunner.RunAsync(client, "swarm", "fetch", "bt-cli-partial", "--peer", "peer-001", "--out", "/tmp/bt-never.bin");
        Assert.Equal(2, incomplete.ExitCode);
        Assert.False(File.Exists("/tmp/bt-never.bin"));
    }

    [Fact]
    public async Task Serve_puts_a_shared_file_on_the_wire_and_status_shows_the_connections()
    {
        var client = fixture.Client;
        var (path, original) = SwarmHarness.WriteFile(500_000, seed: 12);
        var output = path + ".copy";
        var torrent = path + ".torrent";
        try
        {
            var shared = await CliRunner.RunAsync(client, "swarm", "share", path, "--name", "bt-cli-wire", "--peers", "3", "--piece", "32KiB");
            Assert.True(shared.ExitCode == 0, shared.Error);
            var serve = await CliRunner.RunAsync(client, "swarm", "serve", "bt-cli-wire", "--listen", "127.0.0.1:0", "--tracker-port", "0", "--torrent", torrent, "--wait", "--timeout", "90");
            Assert.True(serve.ExitCode == 0, serve.Error + serve.Out);
            Assert.Contains("on the wire: tracker http://127.0.0.1:", serve.Out);
            Assert.Contains("complete 3/3", serve.Out);
            Assert.StartsWith("http://127.0.0.1:", Metainfo(torrent));

            var status = await CliRunner.RunAsync(client, "swarm", "status", "bt-cli-wire");
            Assert.True(status.ExitCode == 0, status.Error);
            Assert.Contains("listen", status.Out);
            Assert.Contains("connections (BEP 3 over TCP", status.Out);
            Assert.Contains("-PO1000-", status.Out);

            // Serving twice, stepping simulated time, or dialling a non-loopback peer is refused in one line.
            CliRunner.AssertRefused(await CliRunner.RunAsync(client, "swarm", "serve", "bt-cli-wire", "--listen", "127.0.0.1:0"));
            CliRunner.AssertRefused(await CliRunner.RunAsync(client, "swarm", "run", "bt-cli-wire"));
            CliRunner.AssertRefused(await CliRunner.RunAsync(client, "swarm", "add-peer", "bt-cli-wire", "192.168.1.1:6881"));

            var fetch = await CliRunner.RunAsync(client, "swarm", "fetch", "bt-cli-wire", "--peer", "peer-002", "--out", output);
            Assert.True(fetch.ExitCode == 0, fetch.Error);
            Assert.Equal(original, await File.ReadAllBytesAsync(output, TestContext.Current.CancellationToken));
        }
        finally
        {
            await client.GetGrain<P2POrleans.Common.IOverlayRegistryGrain>("bt-cli-wire").DeleteAsync();
            File.Delete(path);
            File.Delete(output);
            File.Delete(torrent);
        }
    }

    private static string Metainfo(string torrent) => P2POrleans.BitTorrent.Torrent.Metainfo.Parse(File.ReadAllBytes(torrent)).Announce;
}
