using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.BitTorrent;
using P2POrleans.BitTorrent.Storage;
using P2POrleans.BitTorrent.Torrent;

namespace P2POrleans.Tests.BitTorrent;

/// <summary>Block assembly and SHA-1 verification of pieces (BEP 3).</summary>
public sealed class PieceStoreTests
{
    private static readonly PeerId Alice = new("alice");
    private static readonly PeerId Bob = new("bob");

    private static (Metainfo Meta, byte[] Content) Torrent(int length = (3 * 32768) + 5000, int seed = 7)
    {
        var content = new byte[length];
        new Random(seed).NextBytes(content);
        return (Metainfo.Create("f", content, "http://t", 32768), content);
    }

    private static ReadOnlyMemory<byte> Data(byte[] content, PieceLayout layout, BlockRequest b) =>
        content.AsMemory((int)layout.PieceOffset(b.Piece) + b.Offset, b.Length);

    [Fact]
    public void Blocks_in_any_order_assemble_into_verified_pieces_and_the_content()
    {
        var (meta, content) = Torrent();
        var store = new PieceStore(meta);
        var blocks = Enumerable.Range(0, meta.PieceCount).SelectMany(meta.Layout.Blocks).Reverse().ToList();
        var verified = 0;
        foreach (var block in blocks)
        {
            var result = store.AddBlock(block.Piece % 2 == 0 ? Alice : Bob, block, Data(content, meta.Layout, block));
            verified += result.CompletedPiece ? 1 : 0;
            Assert.NotEqual(BlockOutcome.PieceFailed, result.Outcome);
        }

        Assert.Equal(meta.PieceCount, verified);
        Assert.True(store.IsComplete);
        Assert.Equal(content, store.ToArray());
        var last = meta.Layout.Block(meta.PieceCount - 1, 0);
        Assert.Equal(Data(content, meta.Layout, last).ToArray(), store.ReadBlock(last).ToArray());
        Assert.Equal(BlockOutcome.Duplicate, store.AddBlock(Alice, last, Data(content, meta.Layout, last)).Outcome);
    }

    [Fact]
    public void A_duplicate_block_of_an_incomplete_piece_is_ignored()
    {
        var (meta, content) = Torrent();
        var store = new PieceStore(meta);
        var b = meta.Layout.Block(0, 0);
        Assert.Equal(BlockOutcome.Stored, store.AddBlock(Alice, b, Data(content, meta.Layout, b)).Outcome);
        Assert.Equal(BlockOutcome.Duplicate, store.AddBlock(Bob, b, new byte[b.Length]).Outcome);
        Assert.True(store.HasBlock(b));
        Assert.False(store.HasPiece(0));
    }

    public static Arbitrary<(int Piece, int Position, byte Mask, bool BobSendsBad)> Corruptions() =>
        (from piece in Gen.Choose(0, 3)
         from position in Gen.Choose(0, 32767)
         from mask in Gen.Choose(1, 255)
         from bob in Gen.Elements(true, false)
         select (piece, position, (byte)mask, bob)).ToArbitrary();

    [Property(Arbitrary = [typeof(PieceStoreTests)], MaxTest = 100)]
    public bool A_piece_with_a_corrupted_byte_is_never_marked_held_and_its_senders_are_reported(
        (int Piece, int Position, byte Mask, bool BobSendsBad) c)
    {
        var (meta, content) = Torrent();
        var layout = meta.Layout;
        var store = new PieceStore(meta);
        var position = c.Position % layout.PieceSize(c.Piece);
        var badBlockIndex = position / PieceLayout.BlockLength;
        var blocks = layout.Blocks(c.Piece).ToList();
        BlockResult? last = null;
        for (var i = 0; i < blocks.Count; i++)
        {
            var data = Data(content, layout, blocks[i]).ToArray();
            var sender = i == badBlockIndex && c.BobSendsBad ? Bob : Alice;
            if (i == badBlockIndex)
            {
                data[position % PieceLayout.BlockLength] ^= c.Mask;
            }

            last = store.AddBlock(sender, blocks[i], data);
            if (store.HasPiece(c.Piece))
            {
                return false;
            }
        }

        var expectedSenders = c.BobSendsBad ? new[] { Alice, Bob } : [Alice];
        if (blocks.Count == 1 && c.BobSendsBad)
        {
            expectedSenders = [Bob];
        }

        var reported = last!.Contributors.OrderBy(p => p.Value).ToArray();
        var failedAndReported = last.Outcome == BlockOutcome.PieceFailed
            && reported.SequenceEqual(expectedSenders.OrderBy(p => p.Value))
            && !store.HasBlock(blocks[0])
            && store.Have.Count == 0;

        // The blocks were discarded: a good download of the same piece now verifies.
        foreach (var block in blocks)
        {
            last = store.AddBlock(Alice, block, Data(content, layout, block));
        }

        return failedAndReported && last.CompletedPiece && store.HasPiece(c.Piece);
    }

    [Fact]
    public void Invalid_blocks_and_requests_are_refused_with_a_clear_error()
    {
        var (meta, content) = Torrent();
        var store = new PieceStore(meta);
        Assert.Equal(BlockError.OffsetBeyondPiece,
            Assert.Throws<InvalidBlockException>(() => store.AddBlock(Alice, new BlockRequest(0, 32768, 16384), new byte[16384])).Error);
        Assert.Equal(BlockError.LengthTooLarge,
            Assert.Throws<InvalidBlockException>(() => store.AddBlock(Alice, new BlockRequest(0, 0, 32768), new byte[32768])).Error);
        Assert.Equal(BlockError.Misaligned,
            Assert.Throws<InvalidBlockException>(() => store.AddBlock(Alice, new BlockRequest(0, 8192, 16384), new byte[16384])).Error);
        Assert.Equal(BlockError.DataLengthMismatch,
            Assert.Throws<InvalidBlockException>(() => store.AddBlock(Alice, new BlockRequest(0, 0, 16384), new byte[100])).Error);
        Assert.Equal(BlockError.PieceOutOfRange,
            Assert.Throws<InvalidBlockException>(() => store.ReadBlock(new BlockRequest(9, 0, 16384))).Error);
        // A valid request for a piece we do not hold cannot be served.
        Assert.Throws<InvalidOperationException>(() => store.ReadBlock(new BlockRequest(0, 0, 16384)));
        _ = content;
    }

    [Fact]
    public void A_seed_checks_its_content_and_serves_blocks_from_shared_storage()
    {
        var (meta, content) = Torrent();
        var shared = new MemoryPieceStorage();
        var seed = PieceStore.Seed(meta, content, shared);
        Assert.True(seed.IsComplete);
        var other = new PieceStore(meta, shared);
        foreach (var block in meta.Layout.Blocks(1))
        {
            other.AddBlock(Alice, block, seed.ReadBlock(block));
        }

        Assert.True(other.HasPiece(1));
        Assert.Equal(meta.PieceCount, shared.StoredPieces);
        var bad = (byte[])content.Clone();
        bad[0] ^= 1;
        Assert.Throws<ArgumentException>(() => PieceStore.Seed(meta, bad));
    }
}
