using P2POrleans.BitTorrent;
using P2POrleans.Common;

namespace P2POrleans.ClusterTests.BitTorrent;

/// <summary>
/// Interop with a BitTorrent client nobody here wrote: transmission-cli 3.x against our swarm on the
/// wire, over TCP on 127.0.0.1 with our HTTP tracker. Transmission ignores loopback addresses in
/// tracker answers (libtransmission treats 127.0.0.0/8 as "martian"), so our members dial it
/// (`swarm add-peer`); it accepts incoming connections from loopback. Small files: each test takes
/// seconds; the 50 MB transfers are measurements (docs/bittorrent.md), not tests.
/// </summary>
[Collection(SharedCluster.Name)]
public sealed class TransmissionInteropTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Transmission_downloads_a_file_seeded_by_our_swarm_byte_for_byte()
    {
        var folder = Directory.CreateTempSubdirectory("p2p-tr-leech-").FullName;
        var (path, original) = SwarmHarness.WriteFile(1_200_000, seed: 31);
        try
        {
            var (swarm, started) = await ShareWithTransmissionAsync("bt-tr-seed", path, new SwarmParameters { Peers = 0, PieceLength = 64 * 1024, Seed = 5 }, folder);
            await using var transmission = started;
            await transmission.WaitForFileAsync(Path.Combine(folder, Path.GetFileName(path)), original);

            var seed = (await swarm.GetStatusAsync()).Single();
            Assert.True(seed.BytesUp >= original.Length, $"our seed sent {seed.BytesUp} bytes");
        }
        finally
        {
            await fixture.Client.GetGrain<IOverlayRegistryGrain>("bt-tr-seed").DeleteAsync();
            File.Delete(path);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Our_leechers_download_a_file_seeded_by_transmission()
    {
        var folder = Directory.CreateTempSubdirectory("p2p-tr-seed-").FullName;
        var original = new byte[900_000];
        new Random(32).NextBytes(original);
        var file = Path.Combine(folder, "from-transmission.bin");
        await File.WriteAllBytesAsync(file, original, TestContext.Current.CancellationToken);
        var tracker = TransmissionPeer.FreePort();
        var torrent = Path.Combine(folder, "made-elsewhere.torrent");
        try
        {
            await TransmissionPeer.CreateTorrentAsync(file, torrent, $"http://127.0.0.1:{tracker}/announce");
            await using var transmission = TransmissionPeer.Start(torrent, folder);
            await transmission.WaitSeedingAsync();

            var swarm = fixture.Client.GetGrain<ISwarmGrain>("bt-tr-leech");
            await swarm.JoinTorrentAsync(await File.ReadAllBytesAsync(torrent, TestContext.Current.CancellationToken), new SwarmParameters { Peers = 3, Seed = 6 });
            var serving = await swarm.ServeAsync("127.0.0.1", 0, tracker);
            Assert.Equal($"http://127.0.0.1:{tracker}/announce", serving.AnnounceUrl);
            await swarm.AddPeerAsync("127.0.0.1", transmission.Port);

            var statuses = await WireSwarmTests.WaitForAsync(swarm, s => s.All(p => p.Have == p.Pieces));
            foreach (var leecher in statuses)
            {
                Assert.Equal(original, await SwarmHarness.ReadAllAsync(fixture.Client, "bt-tr-leech", leecher.Peer, leecher.Pieces));
            }

            // The traces name the outside client among the sources of the pieces.
            var downloads = DownloadSpans("bt-tr-leech");
            Assert.Equal(3, downloads.Count);
            Assert.Contains(downloads, d => ((string?)d.GetTagItem("p2p.bt.sources") ?? "").Contains("-TR", StringComparison.Ordinal));
            // ... and list the wire connections, the outside client marked, with the bytes it sent us.
            Assert.Contains(downloads, d => d.GetTagItem("p2p.bt.outside") is 1);
            Assert.Contains(downloads, d => ((string?)d.GetTagItem("p2p.bt.links") ?? "").Contains("(outside -TR", StringComparison.Ordinal));
        }
        finally
        {
            await fixture.Client.GetGrain<IOverlayRegistryGrain>("bt-tr-leech").DeleteAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_mixed_swarm_of_transmission_and_our_members_completes_everywhere()
    {
        var folder = Directory.CreateTempSubdirectory("p2p-tr-mixed-").FullName;
        var (path, original) = SwarmHarness.WriteFile(1_600_000, seed: 33);
        try
        {
            var (swarm, started) = await ShareWithTransmissionAsync("bt-tr-mixed", path, new SwarmParameters { Peers = 3, PieceLength = 32 * 1024, Seed = 7 }, folder);
            await using var transmission = started;
            await transmission.WaitForFileAsync(Path.Combine(folder, Path.GetFileName(path)), original);
            var statuses = await WireSwarmTests.WaitForAsync(swarm, s => s.All(p => p.Have == p.Pieces));
            foreach (var leecher in statuses.Where(s => s.Behaviour != PeerBehaviour.Seed))
            {
                Assert.Equal(original, await SwarmHarness.ReadAllAsync(fixture.Client, "bt-tr-mixed", leecher.Peer, leecher.Pieces));
            }
        }
        finally
        {
            await fixture.Client.GetGrain<IOverlayRegistryGrain>("bt-tr-mixed").DeleteAsync();
            File.Delete(path);
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Our swarm shares the file and serves it on the wire; Transmission starts on the swarm's torrent in
    /// <paramref name="folder"/> and, once it listens, our members dial it.
    /// </summary>
    private async Task<(ISwarmGrain Swarm, TransmissionPeer Transmission)> ShareWithTransmissionAsync(string overlay, string path, SwarmParameters parameters, string folder)
    {
        var swarm = await SwarmHarness.ShareAsync(fixture.Client, overlay, path, parameters);
        await swarm.ServeAsync("127.0.0.1", 0, 0);
        var torrent = Path.Combine(folder, overlay + ".torrent");
        await File.WriteAllBytesAsync(torrent, await swarm.GetTorrentAsync(), TestContext.Current.CancellationToken);
        var transmission = TransmissionPeer.Start(torrent, folder);
        try
        {
            await transmission.WaitListeningAsync();
            await swarm.AddPeerAsync("127.0.0.1", transmission.Port);
            return (swarm, transmission);
        }
        catch
        {
            await transmission.DisposeAsync();
            throw;
        }
    }

    private List<System.Diagnostics.Activity> DownloadSpans(string overlay)
    {
        lock (fixture.Spans)
        {
            return [.. fixture.Spans.Where(s => s.OperationName == "swarm.download" && (string?)s.GetTagItem("p2p.overlay") == overlay)];
        }
    }
}
