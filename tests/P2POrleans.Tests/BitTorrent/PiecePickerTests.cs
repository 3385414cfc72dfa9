using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.BitTorrent;
using P2POrleans.BitTorrent.PiecePicking;
using P2POrleans.BitTorrent.Storage;
using P2POrleans.BitTorrent.Torrent;

namespace P2POrleans.Tests.BitTorrent;

/// <summary>Piece selection (Cohen 2003 section 2.3): each policy checked on small hand-made swarms.</summary>
public sealed class PiecePickerTests
{
    private const int Piece = 64 * 1024; // 4 blocks a piece

    private static readonly PeerId Me = new("me");
    private static readonly PeerId A = new("a");
    private static readonly PeerId B = new("b");
    private static readonly PeerId C = new("c");

    private sealed record World(PieceLayout Layout, BitField Have, PieceRequests Requests, Availability Availability);

    private static World NewWorld(int pieces, int lastPieceLength = Piece)
    {
        var layout = new PieceLayout(((long)(pieces - 1) * Piece) + lastPieceLength, Piece);
        var have = new BitField(pieces);
        return new World(layout, have, new PieceRequests(layout, have), new Availability(pieces));
    }

    private static BitField Bits(int length, params int[] set)
    {
        var bits = new BitField(length);
        foreach (var i in set)
        {
            bits[i] = true;
        }

        return bits;
    }

    public static Arbitrary<(int Seed, int Pieces, int Peers, int Density)> Swarms() =>
        (from seed in Gen.Choose(0, int.MaxValue)
         from pieces in Gen.Choose(1, 60)
         from peers in Gen.Choose(1, 12)
         from density in Gen.Choose(5, 95)
         select (seed, pieces, peers, density)).ToArbitrary();

    [Property(Arbitrary = [typeof(PiecePickerTests)], MaxTest = 300)]
    public bool Rarest_first_picks_a_piece_of_minimal_availability_among_those_the_peer_can_give(
        (int Seed, int Pieces, int Peers, int Density) s)
    {
        var rng = new Random(s.Seed);
        var w = NewWorld(s.Pieces);
        for (var p = 0; p < s.Peers; p++)
        {
            var bits = new BitField(s.Pieces);
            for (var i = 0; i < s.Pieces; i++)
            {
                bits[i] = rng.Next(100) < s.Density;
            }

            w.Availability.OnBitfield(new PeerId($"p{p}"), bits);
        }

        for (var i = 0; i < s.Pieces; i++)
        {
            w.Have[i] = rng.Next(100) < 20;
        }

        // Some pieces already fully requested from elsewhere: they are not candidates.
        var other = new PeerId("other");
        for (var i = 0; i < s.Pieces; i++)
        {
            if (!w.Have[i] && rng.Next(100) < 20)
            {
                foreach (var block in w.Layout.Blocks(i))
                {
                    w.Requests.Add(other, block);
                }
            }
        }

        var peer = new PeerId($"p{rng.Next(s.Peers)}");
        var available = w.Availability.PiecesOf(peer).Except(w.Have);
        var picker = new RarestFirstPicker(new RandomisedPicker(new StandardPicker(w.Requests), rng), w.Availability);
        var picked = picker.Pick(peer, available, 3);

        // Brute force: the minimal availability among pieces the peer has, we lack, with blocks left to request.
        var candidates = Enumerable.Range(0, s.Pieces).Where(i => available[i] && w.Requests.HasUnrequestedBlocks(i)).ToList();
        if (candidates.Count == 0)
        {
            return picked.Count == 0;
        }

        var rarest = candidates.Min(i => w.Availability[i]);
        return picked.Count == 3
            && picked.Select(b => b.Piece).Distinct().Count() == 1
            && w.Availability[picked[0].Piece] == rarest
            && candidates.Contains(picked[0].Piece);
    }

    [Fact]
    public void Rarest_first_breaks_ties_at_random_with_the_seeded_generator()
    {
        var w = NewWorld(10);
        w.Availability.OnBitfield(A, BitField.Full(10));
        var picks = Enumerable.Range(0, 40).Select(seed =>
            new RarestFirstPicker(new RandomisedPicker(new StandardPicker(w.Requests), new Random(seed)), w.Availability)
                .Pick(A, BitField.Full(10), 1)[0].Piece).ToList();
        Assert.True(picks.Distinct().Count() > 3);
        // Same seed, same choice.
        var again = new RarestFirstPicker(new RandomisedPicker(new StandardPicker(w.Requests), new Random(5)), w.Availability);
        Assert.Equal(picks[5], again.Pick(A, BitField.Full(10), 1)[0].Piece);
    }

    [Fact]
    public void Strict_priority_finishes_a_started_piece_before_a_rarer_one()
    {
        var w = NewWorld(5);
        w.Availability.OnBitfield(A, BitField.Full(5));
        w.Availability.OnBitfield(B, BitField.Full(5));
        w.Availability.OnBitfield(C, Bits(5, 0, 1, 2, 3)); // piece 4 is the rarest
        w.Have[0] = true; // past random first
        // Piece 2 was started: one block requested from C.
        w.Requests.Add(C, w.Layout.Block(2, 0));
        var picker = PiecePickers.Create(PiecePolicy.RarestFirst, w.Requests, w.Availability, new Random(1));
        var picked = picker.Pick(A, w.Availability.PiecesOf(A).Except(w.Have), 10);
        Assert.Equal([w.Layout.Block(2, 1), w.Layout.Block(2, 2), w.Layout.Block(2, 3)], picked);

        // Without the started piece, rarest first chooses piece 4.
        var fresh = NewWorld(5);
        fresh.Have[0] = true;
        fresh.Availability.OnBitfield(A, BitField.Full(5));
        fresh.Availability.OnBitfield(B, BitField.Full(5));
        fresh.Availability.OnBitfield(C, Bits(5, 0, 1, 2, 3));
        var rarest = PiecePickers.Create(PiecePolicy.RarestFirst, fresh.Requests, fresh.Availability, new Random(1));
        Assert.All(rarest.Pick(A, fresh.Availability.PiecesOf(A).Except(fresh.Have), 4), b => Assert.Equal(4, b.Piece));
    }

    [Fact]
    public void Random_first_ignores_rarity_until_the_first_piece_completes()
    {
        var picks = new List<int>();
        for (var seed = 0; seed < 40; seed++)
        {
            var w = NewWorld(10);
            w.Availability.OnBitfield(A, BitField.Full(10));
            w.Availability.OnBitfield(B, Bits(10, 1, 2, 3, 4, 5, 6, 7, 8, 9)); // piece 0 rarest
            var picker = PiecePickers.Create(PiecePolicy.RarestFirst, w.Requests, w.Availability, new Random(seed));
            picks.Add(picker.Pick(A, BitField.Full(10), 1)[0].Piece);

            w.Have[9] = true; // the first piece is complete: rarest first from now on
            var after = PiecePickers.Create(PiecePolicy.RarestFirst, w.Requests, w.Availability, new Random(seed));
            Assert.Equal(0, after.Pick(A, BitField.Full(10).Except(w.Have), 1)[0].Piece);
        }

        Assert.True(picks.Count(p => p != 0) > 20, "random first should mostly miss the single rarest piece");
    }

    [Fact]
    public void Plain_random_picking_spreads_over_the_pieces()
    {
        var w = NewWorld(8);
        w.Availability.OnBitfield(A, BitField.Full(8));
        w.Availability.OnBitfield(B, Bits(8, 1)); // rarity is ignored
        var picks = Enumerable.Range(0, 40)
            .Select(seed => PiecePickers.Create(PiecePolicy.Random, w.Requests, w.Availability, new Random(seed)).Pick(A, BitField.Full(8), 1)[0].Piece)
            .ToList();
        Assert.True(picks.Distinct().Count() >= 5);
        Assert.Equal(0, PiecePickers.Create(PiecePolicy.Sequential, w.Requests, w.Availability, new Random(0)).Pick(A, BitField.Full(8), 1)[0].Piece);
    }

    [Fact]
    public void The_pipeline_is_filled_to_its_depth_and_refilled_as_blocks_arrive()
    {
        var w = NewWorld(6);
        w.Availability.OnBitfield(A, BitField.Full(6));
        var requester = new PieceRequester(w.Requests, w.Availability, PiecePickers.Create(PiecePolicy.RarestFirst, w.Requests, w.Availability, new Random(3)), pipelineDepth: 7);
        var first = requester.FillPipeline(A);
        Assert.Equal(7, first.Count);
        Assert.Equal(7, first.Distinct().Count());
        Assert.Empty(requester.FillPipeline(A));
        Assert.Empty(requester.BlockReceived(A, first[0]));
        Assert.Single(requester.FillPipeline(A));
        // Strict priority: the 7 first requests cover whole pieces before opening a new one.
        Assert.True(first.Select(b => b.Piece).Distinct().Count() <= 2);
        // Choked: the outstanding requests return to the pool.
        Assert.Equal(7, requester.OnChoked(A).Count);
        Assert.Equal(0, w.Requests.Outstanding(A));
    }

    [Fact]
    public void Endgame_requests_the_last_blocks_from_every_peer_and_cancels_duplicates_on_arrival()
    {
        var w = NewWorld(2, lastPieceLength: 2 * PieceLayout.BlockLength);
        w.Have[0] = true;
        foreach (var peer in new[] { A, B, C })
        {
            w.Availability.OnBitfield(peer, BitField.Full(2));
        }

        var requester = new PieceRequester(w.Requests, w.Availability, PiecePickers.Create(PiecePolicy.RarestFirst, w.Requests, w.Availability, new Random(1)), pipelineDepth: 5);
        var fromA = requester.FillPipeline(A);
        Assert.Equal(2, fromA.Count); // the whole last piece: every remaining block is now requested
        Assert.True(w.Requests.AllRemainingRequested());

        var fromB = requester.FillPipeline(B);
        var fromC = requester.FillPipeline(C);
        Assert.Equal(fromA.OrderBy(b => b.Offset), fromB.OrderBy(b => b.Offset));
        Assert.Equal(fromA.OrderBy(b => b.Offset), fromC.OrderBy(b => b.Offset));
        Assert.Empty(requester.FillPipeline(B)); // never the same block twice from one peer

        var block = w.Layout.Block(1, 1);
        var cancels = requester.BlockReceived(B, block);
        Assert.Equal([(A, block), (C, block)], cancels.OrderBy(c => c.Peer.Value));
        Assert.False(w.Requests.IsRequestedFrom(A, block));
        Assert.Empty(requester.BlockReceived(A, block)); // a late duplicate cancels nothing more
    }

    [Fact]
    public void Endgame_stays_off_while_some_block_is_unrequested()
    {
        var w = NewWorld(3);
        w.Have[0] = true;
        w.Availability.OnBitfield(A, Bits(3, 1));
        w.Availability.OnBitfield(B, Bits(3, 1, 2));
        var requester = new PieceRequester(w.Requests, w.Availability, PiecePickers.Create(PiecePolicy.RarestFirst, w.Requests, w.Availability, new Random(1)), pipelineDepth: 8);
        Assert.Equal(4, requester.FillPipeline(A).Count);
        Assert.False(w.Requests.AllRemainingRequested()); // piece 2 untouched
        var fromB = requester.FillPipeline(B);
        // New blocks first; only once piece 2 is all requested does endgame duplicate piece 1.
        Assert.Equal(8, fromB.Count);
        Assert.All(fromB.Take(4), b => Assert.Equal(2, b.Piece));
        Assert.All(fromB.Skip(4), b => Assert.Equal(1, b.Piece));
        Assert.True(w.Requests.AllRemainingRequested());
    }

    [Fact]
    public void A_failed_piece_returns_all_its_blocks_to_the_pool()
    {
        var w = NewWorld(2);
        w.Availability.OnBitfield(A, BitField.Full(2));
        w.Have[0] = true;
        var requester = new PieceRequester(w.Requests, w.Availability, PiecePickers.Create(PiecePolicy.RarestFirst, w.Requests, w.Availability, new Random(1)), pipelineDepth: 10);
        foreach (var block in requester.FillPipeline(A))
        {
            requester.BlockReceived(A, block);
        }

        Assert.False(w.Requests.HasUnrequestedBlocks(1));
        requester.OnBlockResult(new BlockResult(BlockOutcome.PieceFailed, 1, [A]));
        Assert.Equal(4, w.Requests.UnrequestedBlocks(1).Count());
        Assert.Equal(4, requester.FillPipeline(A).Count);
    }
}
