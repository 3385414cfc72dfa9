namespace P2POrleans.BitTorrent.Bencoding;

/// <summary>Malformed or non-canonical bencoded input; <see cref="Offset"/> is where it was found.</summary>
public sealed class BencodeException(string message, int offset)
    : Exception($"{message} (at byte {offset})")
{
    public int Offset { get; } = offset;
}
