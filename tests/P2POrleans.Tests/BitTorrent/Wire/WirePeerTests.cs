using P2POrleans.BitTorrent;
using P2POrleans.BitTorrent.Torrent;
using P2POrleans.BitTorrent.Wire;

namespace P2POrleans.Tests.BitTorrent.Wire;

/// <summary>
/// <see cref="WirePeer"/>: the simulated swarm's engine driven by connection events and a clock,
/// with every message going through the real BEP 3 frame codec (<see cref="WireLoop"/>).
/// </summary>
public sealed class WirePeerTests
{
    private static readonly byte[] Content = Enumerable.Range(0, (5 * 32 * 1024) + 777).Select(i => (byte)((i * 13) ^ (i >> 9))).ToArray();
    private static readonly Metainfo Meta = Metainfo.Create("wire.bin", Content, "http://127.0.0.1:1/announce", 32 * 1024);

    [Fact]
    public void A_leecher_downloads_the_seeds_bytes_through_the_frame_codec()
    {
        var loop = new WireLoop();
        var seed = WireLoop.Peer("seed-0", PeerBehaviour.Seed, Meta, Content);
        var leecher = WireLoop.Peer("peer-001", PeerBehaviour.Leecher, Meta, null);
        loop.Connect(leecher, seed);

        Assert.True(loop.RunUntil(() => leecher.Member.Store.IsComplete, 60, [seed, leecher]), "the leecher never completed" + Describe(leecher) + Describe(seed));
        Assert.Equal(Content, leecher.Member.Store.ToArray());
        Assert.Equal(Content.Length, leecher.Member.BytesDown);
        Assert.Equal(Content.Length, seed.Member.BytesUp);
        var link = Assert.Single(leecher.Links);
        Assert.Equal(new PeerId("seed-0"), link.Peer);
        Assert.False(link.Outside);
    }

    private static string Describe(WirePeer p) => $" | {p.Member.Self}: have {p.Member.Store.Have.Count} links {p.Links.Count} closed {string.Join(",", p.Closed)} conns " +
        string.Join(";", p.Member.Connections.Select(c => $"{c.Id} amChoking={c.AmChoking} amInt={c.AmInterested} peerChoking={c.PeerChoking} peerInt={c.PeerInterested} req={c.Requests.Count}"));

    [Fact]
    public void When_both_ends_dial_at_once_both_keep_the_same_connection()
    {
        var loop = new WireLoop();
        var a = WireLoop.Peer("peer-001", PeerBehaviour.Leecher, Meta, null);
        var b = WireLoop.Peer("peer-002", PeerBehaviour.Leecher, Meta, null);
        var fromA = loop.Connect(a, b);
        var fromB = loop.Connect(b, a);

        // "-PO1000-peer-001" < "-PO1000-peer-002": the connection a opened survives, on both sides.
        Assert.True(loop.IsOpen(a, fromA));
        Assert.False(loop.IsOpen(b, fromB));
        Assert.Single(a.Links);
        Assert.Single(b.Links);
        Assert.Equal(fromA, a.Links.Single().Connection);
        Assert.True(a.Member.IsConnected(b.Member.Self) && b.Member.IsConnected(a.Member.Self));
        Assert.Contains(loop.Closes, c => c.Reason == WireCloseReason.Duplicate);
    }

    [Fact]
    public void A_connection_to_ourselves_is_closed_and_counted()
    {
        var loop = new WireLoop();
        var a = WireLoop.Peer("peer-001", PeerBehaviour.Leecher, Meta, null);
        loop.Connect(a, a);
        Assert.Empty(a.Links);
        Assert.True(a.Closed["SelfConnection"] >= 1);
    }

    [Fact]
    public void A_peer_whose_pieces_fail_their_hash_is_banned_and_the_download_completes_from_another()
    {
        var loop = new WireLoop();
        var parameters = new SwarmParameters { Seed = 3, BanThreshold = 2 };
        var corrupter = WireLoop.Peer("peer-bad", PeerBehaviour.Corrupter, Meta, Content, parameters, seed: 5);
        var leecher = WireLoop.Peer("peer-001", PeerBehaviour.Leecher, Meta, null, parameters, seed: 7);
        loop.Connect(leecher, corrupter);
        Assert.True(loop.RunUntil(() => leecher.Member.Banned.Count > 0, 30, [corrupter, leecher]), "the corrupter was never banned");

        Assert.Contains(new PeerId("peer-bad"), leecher.Member.Banned);
        Assert.Equal(1, leecher.Closed["Banned"]);
        Assert.True(leecher.Member.HashFailures >= 2);
        Assert.Empty(leecher.Links);

        // A banned peer that comes back is refused at once; an honest seed completes the download.
        loop.Connect(corrupter, leecher);
        Assert.Equal(2, leecher.Closed["Banned"]);
        var seed = WireLoop.Peer("seed-0", PeerBehaviour.Seed, Meta, Content, parameters, seed: 9);
        loop.Connect(leecher, seed);
        Assert.True(loop.RunUntil(() => leecher.Member.Store.IsComplete, 60, [corrupter, leecher, seed]), "the leecher never completed");
        Assert.Equal(Content, leecher.Member.Store.ToArray());
    }

    [Fact]
    public void A_closed_connection_returns_its_requests_and_a_new_one_finishes_the_download()
    {
        var loop = new WireLoop();
        var seed = WireLoop.Peer("seed-0", PeerBehaviour.Seed, Meta, Content);
        var leecher = WireLoop.Peer("peer-001", PeerBehaviour.Leecher, Meta, null);
        var first = loop.Connect(leecher, seed);
        loop.RunUntil(() => leecher.Member.BytesDown > 0, 5, [seed, leecher]);
        leecher.OnClosed(first, WireCloseReason.Timeout);
        Assert.Empty(leecher.Links);
        Assert.False(leecher.Member.IsConnected(seed.Member.Self));
        Assert.Equal(1, leecher.Closed["Timeout"]);

        // The seed still believes in the old connection until its socket reports the close.
        var stale = Assert.Single(seed.Links).Connection;
        seed.OnClosed(stale, WireCloseReason.Closed);
        loop.Connect(leecher, seed);
        Assert.True(loop.RunUntil(() => leecher.Member.Store.IsComplete, 60, [seed, leecher]));
        Assert.Equal(Content, leecher.Member.Store.ToArray());
    }
}
