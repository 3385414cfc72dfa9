using P2POrleans.BitTorrent;
using P2POrleans.Common;

namespace P2POrleans.ClusterTests.BitTorrent;

[Collection(SharedCluster.Name)]
public sealed class SwarmClusterTests(ClusterFixture fixture)
{
    private static SwarmParameters Small(int seed) => new()
    {
        Peers = 20,
        Seeds = 1,
        PieceLength = 64 * 1024,
        UploadRate = 256 * 1024,
        DownloadRate = 1024 * 1024,
        SharedStorage = false, // every member keeps its own bytes, so the comparison below means something
        Seed = seed,
    };

    [Fact]
    public async Task The_bitfields_follow_the_members_pieces_from_empty_to_full()
    {
        var swarm = fixture.Client.GetGrain<ISwarmGrain>("bt-bitfields");
        var created = await swarm.CreateAsync(Small(9));
        var peers = await swarm.GetPeersAsync();
        var before = await swarm.GetBitfieldsAsync();
        Assert.Equal(peers.Count, before.Count);
        Assert.All(before, b => Assert.Equal((created.Pieces + 7) / 8, b.Length));
        for (var i = 0; i < peers.Count; i++)
        {
            // the seed holds every piece, a leecher that has not arrived none
            Assert.Equal(peers[i].Behaviour == PeerBehaviour.Seed ? created.Pieces : 0, Ones(before[i]));
        }

        await swarm.StepAsync(10, stopWhenDone: false);
        var statuses = await swarm.GetStatusAsync();
        var middle = await swarm.GetBitfieldsAsync();
        Assert.Equal(statuses.Select(s => s.Have), middle.Select(Ones));

        var progress = await SwarmHarness.RunAsync(swarm, 2_000);
        Assert.True(progress.Done);
        Assert.All(await swarm.GetBitfieldsAsync(), b => Assert.Equal(created.Pieces, Ones(b)));
    }

    private static int Ones(byte[] bitfield) => bitfield.Sum(b => System.Numerics.BitOperations.PopCount(b));

    [Fact]
    public async Task One_seed_and_twenty_leechers_on_a_real_file_all_end_with_the_original_bytes()
    {
        var client = fixture.Client;
        var (path, original) = SwarmHarness.WriteFile(2 * 1024 * 1024 + 12345, seed: 5);
        try
        {
            var swarm = await SwarmHarness.ShareAsync(client, "bt-real-file", path, Small(5));
            var progress = await SwarmHarness.RunAsync(swarm, 2_000);
            Assert.True(progress.Done, $"not done after {progress.Tick} ticks: {progress.Completed}/{progress.Leechers}");
            Assert.Equal(20, progress.Completed);

            foreach (var (peer, behaviour) in await swarm.GetPeersAsync())
            {
                var bytes = await SwarmHarness.ReadAllAsync(client, "bt-real-file", peer, progress.Pieces);
                Assert.True(original.AsSpan().SequenceEqual(bytes), $"{peer} ({behaviour}) holds different bytes");
            }

            var scrape = await swarm.ScrapeAsync();
            Assert.Equal(21, scrape.Complete);
            Assert.Equal(0, scrape.Incomplete);
            Assert.Equal(20, scrape.Downloaded);

            // Pieces were traded between leechers, not all fetched from the seed.
            var statuses = await swarm.GetStatusAsync();
            var seedUp = statuses.Single(s => s.Behaviour == PeerBehaviour.Seed).BytesUp;
            Assert.True(statuses.Where(s => s.Behaviour != PeerBehaviour.Seed).Sum(s => s.BytesUp) > seedUp);

            // A download span per leecher, naming where its pieces came from.
            var spans = SpansOf("bt-real-file");
            Assert.Equal(20, spans.Count);
            Assert.All(spans, s => Assert.Equal(progress.Pieces, (int)s.GetTagItem("p2p.bt.pieces")!));
            Assert.All(spans, s => Assert.False(string.IsNullOrEmpty((string?)s.GetTagItem("p2p.bt.sources"))));

            var history = await swarm.GetHistoryAsync();
            Assert.Equal(progress.Pieces, history[^1].DistinctPieces);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_corrupting_peer_is_counted_and_banned_and_everyone_still_gets_the_right_bytes()
    {
        var client = fixture.Client;
        var (path, original) = SwarmHarness.WriteFile(2 * 1024 * 1024, seed: 9);
        try
        {
            var swarm = await SwarmHarness.ShareAsync(client, "bt-corrupt", path, Small(9) with { Peers = 21, Corrupters = 1 });
            var progress = await SwarmHarness.RunAsync(swarm, 3_000);
            Assert.True(progress.Done, $"not done after {progress.Tick} ticks: {progress.Completed}/{progress.Leechers}");

            var peers = await swarm.GetPeersAsync();
            var corrupter = peers.Single(p => p.Behaviour == PeerBehaviour.Corrupter).Peer;
            foreach (var (peer, _) in peers)
            {
                var bytes = await SwarmHarness.ReadAllAsync(client, "bt-corrupt", peer, progress.Pieces);
                Assert.True(original.AsSpan().SequenceEqual(bytes), $"{peer} holds different bytes");
            }

            var statuses = await swarm.GetStatusAsync();
            Assert.True(statuses.Sum(s => s.HashFailures) > 0);
            Assert.Contains(statuses, s => s.Banned.Contains(corrupter));
            Assert.DoesNotContain(statuses, s => s.Banned.Any(b => b != corrupter && b.Value.StartsWith("seed", StringComparison.Ordinal)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_run()
    {
        var client = fixture.Client;
        // Few peers per announce, so the tracker's random answers shape the run; the names differ on
        // purpose, and the last run creates the first swarm again (its tracker must start afresh).
        var parameters = Small(3) with { Peers = 8, NumWant = 3, FileSize = 512 * 1024, PieceLength = 32 * 1024, SharedStorage = true };
        var times = new List<string>();
        foreach (var name in new[] { "bt-det-a", "bt-det-b", "bt-det-a" })
        {
            var swarm = client.GetGrain<ISwarmGrain>(name);
            await swarm.CreateAsync(parameters);
            var progress = await SwarmHarness.RunAsync(swarm, 1_000);
            Assert.True(progress.Done);
            times.Add(string.Join(",", progress.Completions.OrderBy(c => c.Peer.Value, StringComparer.Ordinal).Select(c => $"{c.Peer}:{c.CompletedAt}")));
            await client.GetGrain<IOverlayRegistryGrain>(name).DeleteAsync();
        }

        Assert.Equal(times[0], times[1]);
        Assert.Equal(times[0], times[2]);
    }

    [Fact]
    public async Task Private_storage_gives_every_member_the_original_bytes_and_the_same_run_as_shared_storage()
    {
        var client = fixture.Client;
        var (path, original) = SwarmHarness.WriteFile(1024 * 1024 + 777, seed: 12);
        try
        {
            // Both runs on the same content: private storage must not change a single completion time.
            var runs = new List<string>();
            foreach (var (name, shared) in new[] { ("bt-private", false), ("bt-shared", true) })
            {
                var swarm = await SwarmHarness.ShareAsync(client, name, path, Small(12) with { Peers = 6, SharedStorage = shared });
                var progress = await SwarmHarness.RunAsync(swarm, 2_000);
                Assert.True(progress.Done, $"not done after {progress.Tick} ticks: {progress.Completed}/{progress.Leechers}");
                foreach (var (peer, _) in await swarm.GetPeersAsync())
                {
                    var bytes = await SwarmHarness.ReadAllAsync(client, name, peer, progress.Pieces);
                    Assert.True(original.AsSpan().SequenceEqual(bytes), $"{peer} holds different bytes");
                }

                runs.Add(string.Join(",", progress.Completions.OrderBy(c => c.Peer.Value, StringComparer.Ordinal).Select(c => c.CompletedAt)));
                await client.GetGrain<IOverlayRegistryGrain>(name).DeleteAsync();
            }

            Assert.Equal(runs[0], runs[1]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private List<System.Diagnostics.Activity> SpansOf(string overlay)
    {
        lock (fixture.Spans)
        {
            return fixture.Spans.Where(s => s.OperationName == "swarm.download" && (string?)s.GetTagItem("p2p.overlay") == overlay).ToList();
        }
    }
}
