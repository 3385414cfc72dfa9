using P2POrleans.BitTorrent;
using P2POrleans.BitTorrent.Messages;
using P2POrleans.BitTorrent.Swarm;

namespace P2POrleans.Tests.BitTorrent;

public sealed class SwarmPostboxTests
{
    private static readonly PeerId A = new("a");
    private static readonly PeerId B = new("b");
    private static readonly PeerId C = new("c");

    private static SwarmBatch Batch(PeerId from, PeerId to, long tick, int piece) => new(from, to, tick, [new HaveMessage(piece)]);

    [Fact]
    public void A_batch_for_a_live_member_waits_for_its_next_tick_and_is_handed_over_once()
    {
        var postbox = new SwarmPostbox();
        postbox.Post([Batch(A, B, 4, 1), Batch(C, B, 4, 2), Batch(A, C, 4, 3)], _ => true);

        var forB = postbox.Take(B);
        Assert.Equal([1, 2], forB.Batches.Select(b => ((HaveMessage)b.Messages[0]).Piece));
        Assert.Empty(forB.Unreachable);
        Assert.Empty(postbox.Take(B).Batches); // taken: gone from the postbox
        Assert.Single(postbox.Take(C).Batches);
        Assert.Same(SwarmDelivery.Empty, postbox.Take(A));
        Assert.Equal(0, postbox.Waiting);
    }

    [Fact]
    public void A_batch_for_a_member_that_is_gone_is_dropped_and_its_sender_learns_once_that_the_peer_is_unreachable()
    {
        var postbox = new SwarmPostbox();
        postbox.Post([Batch(A, B, 7, 1), Batch(A, B, 7, 2), Batch(A, C, 7, 3)], peer => peer != B);

        var forA = postbox.Take(A);
        Assert.Equal([B], forA.Unreachable);
        Assert.Empty(forA.Batches);
        Assert.Empty(postbox.Take(B).Batches);
        Assert.Single(postbox.Take(C).Batches);
    }
}
