using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.BitTorrent;
using P2POrleans.BitTorrent.Torrent;

namespace P2POrleans.Tests.BitTorrent;

public sealed class PieceLayoutTests
{
    public static Arbitrary<(long Total, int PieceLength)> Layouts() =>
        (from shift in Gen.Choose(15, 22)
         from total in Gen.Choose(1, 20_000_000)
         select ((long)total, 1 << shift)).ToArbitrary();

    [Property(Arbitrary = [typeof(PieceLayoutTests)], MaxTest = 200)]
    public bool Blocks_tile_every_piece_and_pieces_tile_the_content((long Total, int PieceLength) p)
    {
        var layout = new PieceLayout(p.Total, p.PieceLength);
        foreach (var piece in new[] { 0, layout.PieceCount / 2, layout.PieceCount - 1 }.Distinct())
        {
            var offset = 0;
            foreach (var block in layout.Blocks(piece))
            {
                if (block.Offset != offset || block.Length is <= 0 or > PieceLayout.BlockLength || layout.Validate(block) != BlockError.None)
                {
                    return false;
                }

                offset += block.Length;
            }

            if (offset != layout.PieceSize(piece))
            {
                return false;
            }
        }

        var sum = ((long)(layout.PieceCount - 1) * layout.PieceLength) + layout.LastPieceLength;
        return sum == p.Total && layout.LastPieceLength > 0 && layout.LastPieceLength <= p.PieceLength;
    }

    [Fact]
    public void The_last_piece_and_its_last_block_are_shorter()
    {
        var layout = new PieceLayout((2 * 32768) + 20000, 32768);
        Assert.Equal(3, layout.PieceCount);
        Assert.Equal(20000, layout.LastPieceLength);
        Assert.Equal(2, layout.BlockCount(2));
        Assert.Equal(new BlockRequest(2, 16384, 20000 - 16384), layout.Block(2, 1));
        Assert.Equal(2 + 2 + 2, layout.TotalBlocks);
    }

    [Theory]
    [InlineData(3, 0, 16384, BlockError.PieceOutOfRange)]
    [InlineData(-1, 0, 16384, BlockError.PieceOutOfRange)]
    [InlineData(0, 32768, 16384, BlockError.OffsetBeyondPiece)]
    [InlineData(0, -16384, 16384, BlockError.OffsetBeyondPiece)]
    [InlineData(2, 20000, 1, BlockError.OffsetBeyondPiece)]
    [InlineData(0, 0, 16385, BlockError.LengthTooLarge)]
    [InlineData(0, 0, 32768, BlockError.LengthTooLarge)]
    [InlineData(0, 100, 16384, BlockError.Misaligned)]
    [InlineData(0, 0, 100, BlockError.WrongLength)]
    [InlineData(2, 16384, 16384, BlockError.WrongLength)]
    [InlineData(0, 16384, 0, BlockError.WrongLength)]
    [InlineData(2, 16384, 20000 - 16384, BlockError.None)]
    public void Requests_are_validated(int piece, int offset, int length, BlockError expected)
    {
        var layout = new PieceLayout((2 * 32768) + 20000, 32768);
        var request = new BlockRequest(piece, offset, length);
        Assert.Equal(expected, layout.Validate(request));
        if (expected != BlockError.None)
        {
            var error = Assert.Throws<InvalidBlockException>(() => layout.EnsureValid(request));
            Assert.Equal(expected, error.Error);
        }
    }
}
