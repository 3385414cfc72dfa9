using System.Security.Cryptography;

namespace P2POrleans.BitTorrent;

/// <summary>
/// The 20-byte SHA-1 of the bencoded info dictionary (BEP 3): the identity of a torrent, and the
/// key of its tracker. Held as lower-case hex so that equality and hashing are by value.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.InfoHash")]
public readonly record struct InfoHash
{
    public const int Length = 20;

    [Id(0)] private readonly string? _hex;

    private InfoHash(string hex) => _hex = hex;

    public string Hex => _hex ?? new string('0', Length * 2);

    public static InfoHash FromBytes(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != Length)
        {
            throw new ArgumentException($"an info hash is {Length} bytes, got {hash.Length}", nameof(hash));
        }

        return new InfoHash(Convert.ToHexStringLower(hash));
    }

    public static InfoHash Parse(string hex) => FromBytes(Convert.FromHexString(hex));

    /// <summary>SHA-1 of the exact bytes of an info dictionary.</summary>
    public static InfoHash Compute(ReadOnlySpan<byte> infoBytes) => FromBytes(SHA1.HashData(infoBytes));

    public byte[] ToBytes() => Convert.FromHexString(Hex);

    public override string ToString() => Hex;
}
