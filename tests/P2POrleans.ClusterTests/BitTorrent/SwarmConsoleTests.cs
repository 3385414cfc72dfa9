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
    [InlineData("swarm", "create", "bt-bad", "--peers", "0")]
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
}
