using P2POrleans.BitTorrent;
using P2POrleans.BitTorrent.Storage;
using P2POrleans.BitTorrent.Torrent;

namespace P2POrleans.Tests.BitTorrent;

public sealed class FilePieceStorageTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("p2p-bt-storage-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Pieces_written_as_blocks_read_back_whole_or_by_block_and_the_file_has_no_name_left_in_the_folder()
    {
        var content = new byte[(3 * 32768) + 1000];
        new Random(4).NextBytes(content);
        var meta = Metainfo.Create("f", content, "http://t", 32768);
        using var storage = new FilePieceStorage(meta.TotalLength, meta.PieceLength, _folder);
        Assert.Empty(Directory.GetFileSystemEntries(_folder)); // unlinked at once: nothing to clean up

        // A leecher fills it block by block; the last piece is short.
        var store = new PieceStore(meta, storage);
        var sender = new PeerId("seed");
        foreach (var piece in new[] { 3, 0, 2, 1 })
        {
            foreach (var block in meta.Layout.Blocks(piece))
            {
                var data = content.AsMemory((int)meta.Layout.PieceOffset(piece) + block.Offset, block.Length).ToArray();
                store.AddBlock(sender, block, data);
            }
        }

        Assert.True(store.IsComplete);
        Assert.Equal(content, store.ToArray());
        var last = new BlockRequest(3, 0, 1000);
        Assert.Equal(content.AsSpan(3 * 32768, 1000).ToArray(), store.ReadBlock(last).ToArray());
        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }

    [Fact]
    public void Two_private_storages_of_one_torrent_are_independent_copies()
    {
        var content = new byte[65536];
        new Random(5).NextBytes(content);
        var meta = Metainfo.Create("f", content, "http://t", 32768);
        using var first = new FilePieceStorage(meta.TotalLength, meta.PieceLength, _folder);
        using var second = new FilePieceStorage(meta.TotalLength, meta.PieceLength, _folder);
        var seed = PieceStore.Seed(meta, content, first);
        var other = new byte[32768];
        second.Write(0, [other]);
        Assert.Equal(content.AsSpan(0, 32768).ToArray(), seed.ReadPiece(0).ToArray());
        Assert.Equal(other, second.Read(0, 0, 32768).ToArray());
    }

    [FsCheck.Xunit.Property(MaxTest = 30)]
    public bool A_piece_with_a_corrupted_byte_written_to_the_file_is_never_held_and_a_good_download_then_verifies(int position, byte mask, bool badFirst)
    {
        var content = new byte[65536];
        new Random(6).NextBytes(content);
        var meta = Metainfo.Create("f", content, "http://t", 32768);
        using var storage = new FilePieceStorage(meta.TotalLength, meta.PieceLength, _folder);
        var store = new PieceStore(meta, storage);
        var at = (int)((uint)position % 32768);
        var blocks = meta.Layout.Blocks(1).ToList();
        if (badFirst)
        {
            blocks.Reverse(); // the bad block arrives last or first: the piece is checked as stored either way
        }

        BlockResult? last = null;
        foreach (var block in blocks)
        {
            var data = content.AsSpan(32768 + block.Offset, block.Length).ToArray();
            if (at >= block.Offset && at < block.Offset + block.Length)
            {
                data[at - block.Offset] ^= (byte)(mask | 1);
            }

            last = store.AddBlock(block.Offset == 0 ? new PeerId("x") : new PeerId("y"), block, data);
        }

        var refused = last!.Outcome == BlockOutcome.PieceFailed && !store.HasPiece(1) && store.Have.Count == 0;
        foreach (var block in blocks)
        {
            last = store.AddBlock(new PeerId("z"), block, content.AsMemory(32768 + block.Offset, block.Length));
        }

        return refused && last.Outcome == BlockOutcome.PieceVerified && store.ReadPiece(1).Span.SequenceEqual(content.AsSpan(32768, 32768));
    }
}
