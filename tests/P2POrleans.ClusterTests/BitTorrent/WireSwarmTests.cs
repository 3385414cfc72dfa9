using System.Net;
using System.Net.Sockets;
using P2POrleans.BitTorrent;
using P2POrleans.BitTorrent.Messages;
using P2POrleans.BitTorrent.Torrent;
using P2POrleans.BitTorrent.Wire;
using P2POrleans.Common;

namespace P2POrleans.ClusterTests.BitTorrent;

/// <summary>
/// Swarms on the wire in the 3-silo test cluster: members speak BEP 3 over real TCP sockets on
/// 127.0.0.1 (any free ports) and announce to the swarm's HTTP tracker. Bad peers are raw sockets
/// that send what BEP 3 forbids.
/// </summary>
[Collection(SharedCluster.Name)]
public sealed class WireSwarmTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Members_trade_over_TCP_and_every_leechers_copy_is_the_original()
    {
        var (path, original) = SwarmHarness.WriteFile(1_500_000, seed: 21);
        try
        {
            var swarm = await SwarmHarness.ShareAsync(fixture.Client, "bt-wire", path, new SwarmParameters { Peers = 4, PieceLength = 64 * 1024, SharedStorage = false, Seed = 2 });
            var serving = await swarm.ServeAsync("127.0.0.1", 0, 0);
            Assert.Equal(5, serving.Peers.Count);
            Assert.All(serving.Peers, p => Assert.StartsWith("127.0.0.1:", p.Endpoint, StringComparison.Ordinal));
            Assert.Equal(5, serving.Peers.Select(p => p.Endpoint).Distinct().Count());

            var statuses = await WaitForAsync(swarm, s => s.All(p => p.Have == p.Pieces));
            foreach (var leecher in statuses.Where(s => s.Behaviour != PeerBehaviour.Seed))
            {
                Assert.Equal(original, await SwarmHarness.ReadAllAsync(fixture.Client, "bt-wire", leecher.Peer, leecher.Pieces));
                Assert.NotNull(leecher.Listen);
                Assert.True(leecher.BytesDown >= original.Length);
            }

            // Every byte came over a socket: nothing was received that no member sent (blocks in flight
            // when a connection closed were sent but never received).
            Assert.InRange(statuses.Sum(s => s.BytesDown), 4L * original.Length, statuses.Sum(s => s.BytesUp));
            var scrape = await swarm.ScrapeAsync();
            Assert.Equal(4, scrape.Downloaded);
            await Assert.ThrowsAsync<P2PException>(() => swarm.StepAsync(1));
        }
        finally
        {
            await fixture.Client.GetGrain<IOverlayRegistryGrain>("bt-wire").DeleteAsync();
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Bad_peers_are_closed_and_counted_and_the_seed_goes_on_serving()
    {
        var (path, original) = SwarmHarness.WriteFile(300_000, seed: 22);
        try
        {
            var swarm = await SwarmHarness.ShareAsync(fixture.Client, "bt-wire-bad", path, new SwarmParameters { Peers = 0, PieceLength = 32 * 1024, Seed = 3 });
            var serving = await swarm.ServeAsync("127.0.0.1", 0, 0);
            var seed = serving.Peers.Single().Endpoint;
            var meta = Metainfo.Parse(await swarm.GetTorrentAsync());
            var layout = meta.Layout;
            var ours = new WireHandshake(meta.InfoHash, RawWirePeer.Id("bad"));

            // Another torrent's info hash: no answer, closed.
            await using (var other = await RawWirePeer.ConnectAsync(seed, layout))
            {
                await other.SendAsync(new WireHandshake(InfoHash.Compute("other"u8), RawWirePeer.Id("x")).ToBytes());
                Assert.Null(await other.ReadHandshakeAsync());
            }

            (string Case, byte[] Bytes, bool CloseOurSide)[] cases =
            [
                ("unknown message id", Convert.FromHexString("000000011400"), false),
                ("length over the limit", Convert.FromHexString("00100000"), false),
                ("truncated frame", Convert.FromHexString("0000000D0600000000"), true),
                ("request outside the torrent", FrameEncoder.Encode([new RequestMessage(new BlockRequest(layout.PieceCount, 0, 16384))]), false),
            ];
            foreach (var (name, bytes, closeOurSide) in cases)
            {
                await using var peer = await RawWirePeer.ConnectAsync(seed, layout);
                await peer.SendAsync(ours.ToBytes());
                Assert.NotNull(await peer.ReadHandshakeAsync());
                await peer.SendAsync(bytes);
                if (closeOurSide)
                {
                    peer.ShutdownSend();
                }

                Assert.True(await peer.ClosedByOtherSideAsync(), $"{name}: the seed kept the connection open");
            }

            var status = (await WaitForAsync(swarm, s => s.Single().Closed.Values.Sum() >= 5)).Single();
            Assert.Equal(1, status.Closed["WrongInfoHash"]);
            Assert.Equal(1, status.Closed["UnknownMessageId"]);
            Assert.Equal(1, status.Closed["LengthOverLimit"]);
            Assert.Equal(1, status.Closed["Truncated"]);
            Assert.Equal(1, status.Closed["RequestOutsideTorrent"]);

            // The seed goes on: a well-behaved peer is unchoked and served a block with the right bytes.
            await using var good = await RawWirePeer.ConnectAsync(seed, layout);
            await good.SendAsync(ours.ToBytes());
            Assert.NotNull(await good.ReadHandshakeAsync());
            await good.SendAsync(new InterestedMessage());
            while (await good.ReadAsync() is { } message and not UnchokeMessage)
            {
                Assert.IsNotType<ChokeMessage>(message);
            }

            var block = layout.Block(1, 1);
            await good.SendAsync(new RequestMessage(block));
            PeerMessage? answer;
            while ((answer = await good.ReadAsync()) is not PieceMessage and not null)
            {
            }

            var piece = Assert.IsType<PieceMessage>(answer);
            Assert.Equal(block, piece.Block);
            Assert.Equal(original.AsSpan((int)layout.PieceOffset(1) + block.Offset, block.Length).ToArray(), piece.Data.ToArray());
        }
        finally
        {
            await fixture.Client.GetGrain<IOverlayRegistryGrain>("bt-wire-bad").DeleteAsync();
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_peer_sending_pieces_that_fail_their_hash_is_struck_and_banned()
    {
        var (path, original) = SwarmHarness.WriteFile(400_000, seed: 23);
        var torrent = Metainfo.Create("bad-pieces.bin", original, "http://127.0.0.1:1/announce", 32 * 1024);
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var swarm = fixture.Client.GetGrain<ISwarmGrain>("bt-wire-ban");
        try
        {
            await swarm.JoinTorrentAsync(torrent.ToTorrentBytes(), new SwarmParameters { Peers = 1, Seed = 4 });
            await swarm.ServeAsync("127.0.0.1", 0, 0);
            await swarm.AddPeerAsync("127.0.0.1", port);

            // A seed that answers every request with garbage of the right length.
            await using var liar = await RawWirePeer.AcceptAsync(listener, torrent.Layout);
            Assert.NotNull(await liar.ReadHandshakeAsync());
            await liar.SendAsync(new WireHandshake(torrent.InfoHash, RawWirePeer.Id("liar")).ToBytes());
            await liar.SendAsync(new BitfieldMessage(BitField.Full(torrent.PieceCount).ToBytes()), new UnchokeMessage());
            var served = 0;
            try
            {
                while (await liar.ReadAsync() is { } message)
                {
                    if (message is RequestMessage request)
                    {
                        served++;
                        await liar.SendAsync(new PieceMessage(request.Block.Piece, request.Block.Offset, new byte[request.Block.Length]));
                    }
                }
            }
            catch (SocketException)
            {
                // the leecher closed the connection while we were writing: the ban
            }

            var leecher = (await WaitForAsync(swarm, s => s.Single().Banned.Count > 0 && s.Single().Closed.ContainsKey("Banned"))).Single();
            Assert.True(served >= 3 * 2, $"only {served} blocks were asked for");
            Assert.True(leecher.HashFailures >= 3);
            Assert.Equal([new PeerId("-XX0001-liar~~~~~~~~")], leecher.Banned);
            Assert.Equal(1, leecher.Closed["Banned"]);
            Assert.Equal(0, leecher.Have);
        }
        finally
        {
            await fixture.Client.GetGrain<IOverlayRegistryGrain>("bt-wire-ban").DeleteAsync();
            File.Delete(path);
        }
    }

    /// <summary>Polls the members' status until the condition holds (a barrier, bounded by <see cref="Limit"/>).</summary>
    internal static async Task<IReadOnlyList<SwarmPeerStatus>> WaitForAsync(ISwarmGrain swarm, Func<IReadOnlyList<SwarmPeerStatus>, bool> condition)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (true)
        {
            var statuses = await swarm.GetStatusAsync();
            if (condition(statuses))
            {
                return statuses;
            }

            Assert.True(DateTime.UtcNow < deadline, "the swarm did not get there in time: " + string.Join("; ", statuses.Select(s => $"{s.Peer} {s.Have}/{s.Pieces} closed {string.Join(",", s.Closed)}")));
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
