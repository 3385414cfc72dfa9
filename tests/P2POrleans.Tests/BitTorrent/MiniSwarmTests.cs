using P2POrleans.BitTorrent;
using P2POrleans.BitTorrent.Choking;
using P2POrleans.BitTorrent.Storage;
using P2POrleans.BitTorrent.Torrent;

namespace P2POrleans.Tests.BitTorrent;

/// <summary>
/// One seed and ten leechers share 2 MiB through the pure classes only; every leecher must end
/// with exactly the original bytes, whatever the piece policy or choking rule.
/// </summary>
public sealed class MiniSwarmTests
{
    [Theory]
    [InlineData(PiecePolicy.RarestFirst, true, 1)]
    [InlineData(PiecePolicy.RarestFirst, true, 2)]
    [InlineData(PiecePolicy.Random, true, 3)]
    [InlineData(PiecePolicy.Sequential, true, 4)]
    [InlineData(PiecePolicy.RarestFirst, false, 5)]
    public void Every_leecher_ends_with_the_original_bytes(PiecePolicy policy, bool choking, int seed)
    {
        var content = new byte[2 * 1024 * 1024];
        new Random(seed).NextBytes(content);
        var meta = Metainfo.Parse(Metainfo.Create("data.bin", content, "http://tracker/announce", 32 * 1024).ToTorrentBytes());
        var options = new ChokerOptions(Enabled: choking);
        var peers = new List<SimPeer> { new(new PeerId("seed"), PieceStore.Seed(meta, content), policy, options, seed * 100) };
        for (var i = 0; i < 10; i++)
        {
            peers.Add(new SimPeer(new PeerId($"leecher{i:00}"), new PieceStore(meta), policy, options, (seed * 100) + i + 1));
        }

        var swarm = new MiniSwarm(peers, blocksPerTick: 4);
        var ticks = swarm.Run(maxTicks: 5000);

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{policy} choking={choking}: {ticks} ticks, seed uploaded {peers[0].Uploaded}, leechers {peers.Skip(1).Sum(p => p.Uploaded)}");
        Assert.True(ticks > 0, "the swarm did not finish");
        foreach (var leecher in peers.Skip(1))
        {
            Assert.Equal(content, leecher.Store.ToArray());
            Assert.Equal(0, leecher.HashFailures);
        }

        // Tit for tat at work: the leechers served each other, not only the seed.
        Assert.True(peers.Skip(1).Sum(p => p.Uploaded) > peers[0].Uploaded);
    }
}
