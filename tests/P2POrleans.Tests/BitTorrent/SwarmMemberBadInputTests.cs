using P2POrleans.BitTorrent;
using P2POrleans.BitTorrent.Messages;
using P2POrleans.BitTorrent.Storage;
using P2POrleans.BitTorrent.Swarm;
using P2POrleans.BitTorrent.Torrent;

namespace P2POrleans.Tests.BitTorrent;

/// <summary>
/// A swarm member facing a peer that sends bad requests: requests beyond the piece,
/// longer than 16 KiB, for pieces that do not exist or at negative offsets are never served, and
/// the member goes on serving the good ones until the other side has the file.
/// </summary>
public sealed class SwarmMemberBadInputTests
{
    private static readonly PeerId SeedId = new("seed");
    private static readonly PeerId LeecherId = new("leecher");

    [Fact]
    public void Bad_requests_are_dropped_and_the_seed_keeps_serving_good_ones()
    {
        var content = Enumerable.Range(0, 128 * 1024).Select(i => (byte)(i * 7)).ToArray();
        var meta = Metainfo.Create("bad-input.bin", content, "http://tracker/announce", 32 * 1024);
        var parameters = new SwarmParameters { Peers = 1, Seeds = 1, FileSize = content.Length, PieceLength = 32 * 1024, Seed = 1 };
        var seed = new SwarmMember(SeedId, PeerBehaviour.Seed, parameters, PieceStore.Seed(meta, content), new Random(1), new Random(2), _ => 20);
        var leecher = new SwarmMember(LeecherId, PeerBehaviour.Leecher, parameters, new PieceStore(meta), new Random(3), new Random(4), _ => 20);
        leecher.OnAnnounced([SeedId], 0);

        BlockRequest[] bad =
        [
            new(0, 32 * 1024, 16 * 1024),     // beyond the piece
            new(0, 16 * 1024, 32 * 1024),     // longer than 16 KiB
            new(0, 0, 0),                     // empty
            new(0, -16 * 1024, 16 * 1024),    // negative offset
            new(meta.Layout.PieceCount, 0, 16 * 1024), // no such piece
            new(-1, 0, 16 * 1024),
        ];
        var served = new List<PieceMessage>();
        for (var tick = 1; tick <= 200 && !leecher.Store.IsComplete; tick++)
        {
            var now = tick * parameters.TickSeconds;
            if (tick % 3 == 0)
            {
                // The leecher side "sends" bad requests besides its real ones, every few ticks.
                seed.Receive(LeecherId, tick - 1, [.. bad.Select(b => new RequestMessage(b))]);
            }

            var fromSeed = seed.Tick(tick, now);
            var fromLeecher = leecher.Tick(tick, now);
            foreach (var (to, messages) in fromSeed.Outgoing.Where(o => o.To == LeecherId))
            {
                served.AddRange(messages.OfType<PieceMessage>());
                leecher.Receive(SeedId, tick, messages);
            }

            foreach (var (to, messages) in fromLeecher.Outgoing.Where(o => o.To == SeedId))
            {
                seed.Receive(LeecherId, tick, messages);
            }
        }

        Assert.True(leecher.Store.IsComplete, "the leecher never completed");
        Assert.NotEmpty(served);
        Assert.All(served, p => Assert.Equal(BlockError.None, meta.Layout.Validate(p.Block)));
        Assert.DoesNotContain(served, p => bad.Contains(p.Block));
        Assert.Equal(content, leecher.Store.ToArray());
    }
}
