using System.Numerics;
using System.Security.Cryptography;
using P2POrleans.BitTorrent.Bencoding;

namespace P2POrleans.BitTorrent.Torrent;

/// <summary>
/// A metainfo (.torrent) file, BEP 3: the tracker's announce URL and the info dictionary (name,
/// piece length, the concatenated SHA-1 of every piece, and either a length or a list of files).
/// The torrent's identity is <see cref="InfoHash"/>, the SHA-1 of the info dictionary's bytes
/// exactly as they appear in the file.
/// </summary>
public sealed class Metainfo
{
    public const int DefaultPieceLength = 256 * 1024;
    public const int MinPieceLength = 32 * 1024;
    public const int MaxPieceLength = 4 * 1024 * 1024;
    public const int HashLength = 20;

    /// <summary>One SHA-1 context per thread, reused for every piece that thread verifies.</summary>
    [ThreadStatic]
    private static IncrementalHash? _hasher;

    private readonly byte[] _pieces;
    private readonly byte[] _infoBytes;

    private Metainfo(string announce, string name, int pieceLength, byte[] pieces, IReadOnlyList<MetainfoFile> files, bool isMultiFile, byte[] infoBytes)
    {
        Announce = announce;
        Name = name;
        PieceLength = pieceLength;
        _pieces = pieces;
        Files = files;
        IsMultiFile = isMultiFile;
        TotalLength = files.Sum(f => f.Length);
        Layout = new PieceLayout(TotalLength, pieceLength);
        if (pieces.Length != Layout.PieceCount * HashLength)
        {
            throw new MetainfoException($"{Layout.PieceCount} pieces need {Layout.PieceCount * HashLength} bytes of hashes, got {pieces.Length}");
        }

        _infoBytes = infoBytes;
        InfoHash = InfoHash.Compute(infoBytes);
    }

    public string Announce { get; }

    /// <summary>The file name (single file) or the directory name (multi-file).</summary>
    public string Name { get; }

    public int PieceLength { get; }

    public IReadOnlyList<MetainfoFile> Files { get; }

    public bool IsMultiFile { get; }

    public long TotalLength { get; }

    public PieceLayout Layout { get; }

    public int PieceCount => Layout.PieceCount;

    public InfoHash InfoHash { get; }

    /// <summary>The bencoded info dictionary, exactly the bytes hashed into <see cref="InfoHash"/>.</summary>
    public ReadOnlySpan<byte> InfoBytes => _infoBytes;

    public ReadOnlySpan<byte> PieceHash(int piece)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(piece);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(piece, PieceCount);
        return _pieces.AsSpan(piece * HashLength, HashLength);
    }

    /// <summary>True when <paramref name="data"/> is the whole of piece <paramref name="piece"/> (length and SHA-1).</summary>
    public bool VerifyPiece(int piece, ReadOnlySpan<byte> data)
    {
        if (data.Length != Layout.PieceSize(piece))
        {
            return false;
        }

        Span<byte> hash = stackalloc byte[HashLength];
        SHA1.HashData(data, hash);
        return hash.SequenceEqual(PieceHash(piece));
    }

    /// <summary>
    /// True when <paramref name="blocks"/>, in order, are the whole of piece <paramref name="piece"/>
    /// (length and SHA-1): hashed where they lie, without first copying them into one buffer.
    /// </summary>
    public bool VerifyPiece(int piece, IReadOnlyList<ReadOnlyMemory<byte>> blocks)
    {
        var length = 0L;
        foreach (var block in blocks)
        {
            length += block.Length;
        }

        if (length != Layout.PieceSize(piece))
        {
            return false;
        }

        if (blocks.Count == 1)
        {
            return VerifyPiece(piece, blocks[0].Span);
        }

        var sha1 = _hasher ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        foreach (var block in blocks)
        {
            sha1.AppendData(block.Span);
        }

        Span<byte> hash = stackalloc byte[HashLength];
        sha1.GetHashAndReset(hash);
        return hash.SequenceEqual(PieceHash(piece));
    }

    /// <summary>A single-file torrent of <paramref name="content"/>.</summary>
    public static Metainfo Create(string name, ReadOnlySpan<byte> content, string announce, int pieceLength = DefaultPieceLength)
    {
        CheckPieceLength(pieceLength);
        if (content.IsEmpty)
        {
            throw new ArgumentException("a torrent needs at least one byte", nameof(content));
        }

        var info = new BDictionary
        {
            ["length"] = new BInteger(content.Length),
            ["name"] = new BString(name),
            ["piece length"] = new BInteger(pieceLength),
            ["pieces"] = new BString(HashPieces(content, pieceLength)),
        };
        return FromInfo(announce, info);
    }

    /// <summary>A multi-file torrent: the pieces run across the concatenation of the files in order (BEP 3).</summary>
    public static Metainfo CreateMultiFile(string name, IReadOnlyList<(IReadOnlyList<string> Path, byte[] Content)> files, string announce, int pieceLength = DefaultPieceLength)
    {
        CheckPieceLength(pieceLength);
        if (files.Count == 0 || files.All(f => f.Content.Length == 0))
        {
            throw new ArgumentException("a torrent needs at least one byte", nameof(files));
        }

        var all = files.SelectMany(f => f.Content).ToArray();
        var list = new BList(files.Select(f => (BValue)new BDictionary
        {
            ["length"] = new BInteger(f.Content.Length),
            ["path"] = new BList(f.Path.Select(p => (BValue)new BString(p))),
        }));
        var info = new BDictionary
        {
            ["files"] = list,
            ["name"] = new BString(name),
            ["piece length"] = new BInteger(pieceLength),
            ["pieces"] = new BString(HashPieces(all, pieceLength)),
        };
        return FromInfo(announce, info);
    }

    /// <summary>Parses a .torrent file; the info hash is taken over the info bytes as found in it.</summary>
    public static Metainfo Parse(ReadOnlyMemory<byte> torrent)
    {
        if (Bencode.Decode(torrent) is not BDictionary root)
        {
            throw new MetainfoException("a metainfo file is a dictionary");
        }

        var announce = Text(root, "announce");
        if (!root.TryGetValue("info", out var infoValue) || infoValue is not BDictionary info)
        {
            throw new MetainfoException("missing info dictionary");
        }

        return FromInfo(announce, info, info.Raw.ToArray());
    }

    public static Metainfo Parse(byte[] torrent) => Parse(torrent.AsMemory());

    /// <summary>The same torrent announcing elsewhere (the info dictionary, and so the info hash, unchanged).</summary>
    public Metainfo WithAnnounce(string announce) => new(announce, Name, PieceLength, _pieces, Files, IsMultiFile, _infoBytes);

    /// <summary>The .torrent file: a dictionary with announce and info.</summary>
    public byte[] ToTorrentBytes()
    {
        var info = Bencode.Decode(_infoBytes.AsMemory());
        return Bencode.Encode(new BDictionary
        {
            ["announce"] = new BString(Announce),
            ["info"] = info,
        });
    }

    private static Metainfo FromInfo(string announce, BDictionary info, byte[]? infoBytes = null)
    {
        var name = Text(info, "name");
        var pieceLength = Integer(info, "piece length");
        if (pieceLength is <= 0 or > int.MaxValue)
        {
            throw new MetainfoException($"piece length {pieceLength} out of range");
        }

        if (!info.TryGetValue("pieces", out var piecesValue) || piecesValue is not BString pieces || pieces.Length % HashLength != 0)
        {
            throw new MetainfoException("pieces must be a string of 20-byte SHA-1 hashes");
        }

        var hasLength = info.ContainsKey("length");
        var hasFiles = info.ContainsKey("files");
        if (hasLength == hasFiles)
        {
            throw new MetainfoException("info needs exactly one of length (single file) and files (multi-file)");
        }

        List<MetainfoFile> files;
        if (hasLength)
        {
            files = [new MetainfoFile([name], NonNegative(Integer(info, "length"), "length"))];
        }
        else
        {
            if (info["files"] is not BList list || list.Count == 0)
            {
                throw new MetainfoException("files must be a non-empty list");
            }

            files = [];
            foreach (var entry in list.Items)
            {
                if (entry is not BDictionary file || !file.TryGetValue("path", out var pathValue) || pathValue is not BList path || path.Count == 0 || path.Items.Any(p => p is not BString))
                {
                    throw new MetainfoException("each file needs a length and a non-empty path of strings");
                }

                files.Add(new MetainfoFile([.. path.Items.Cast<BString>().Select(s => s.Text)], NonNegative(Integer(file, "length"), "length")));
            }
        }

        if (files.Sum(f => f.Length) <= 0)
        {
            throw new MetainfoException("the torrent has no bytes");
        }

        return new Metainfo(announce, name, (int)pieceLength, pieces.ToArray(), files, hasFiles, infoBytes ?? Bencode.Encode(info));
    }

    private static byte[] HashPieces(ReadOnlySpan<byte> content, int pieceLength)
    {
        var count = (content.Length + pieceLength - 1) / pieceLength;
        var hashes = new byte[count * HashLength];
        for (var i = 0; i < count; i++)
        {
            var start = i * pieceLength;
            SHA1.HashData(content.Slice(start, Math.Min(pieceLength, content.Length - start)), hashes.AsSpan(i * HashLength, HashLength));
        }

        return hashes;
    }

    private static void CheckPieceLength(int pieceLength)
    {
        // BEP 3: "almost always a power of two"; 32 KiB .. 4 MiB is the range clients use.
        if (pieceLength < MinPieceLength || pieceLength > MaxPieceLength || !BitOperations.IsPow2(pieceLength))
        {
            throw new ArgumentOutOfRangeException(nameof(pieceLength), pieceLength, "piece length must be a power of two from 32 KiB to 4 MiB");
        }
    }

    private static string Text(BDictionary d, string key) =>
        d.TryGetValue(key, out var v) && v is BString s ? s.Text : throw new MetainfoException($"missing string '{key}'");

    private static long Integer(BDictionary d, string key) =>
        d.TryGetValue(key, out var v) && v is BInteger i ? i.Value : throw new MetainfoException($"missing integer '{key}'");

    private static long NonNegative(long value, string key) =>
        value >= 0 ? value : throw new MetainfoException($"'{key}' is negative");
}
