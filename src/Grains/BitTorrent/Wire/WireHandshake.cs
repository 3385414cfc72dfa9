namespace P2POrleans.BitTorrent.Wire;

/// <summary>
/// The BEP 3 handshake: the byte 19, "BitTorrent protocol", 8 reserved bytes (all zero: we
/// negotiate no extension, so a peer must not send extension messages), the 20-byte info hash and
/// the 20-byte peer id — 68 bytes, sent by both ends before any message.
/// </summary>
public sealed record WireHandshake(InfoHash InfoHash, byte[] PeerId)
{
    public const int Length = 68;
    public const int PeerIdLength = 20;

    private static ReadOnlySpan<byte> Protocol => "BitTorrent protocol"u8;

    public byte[] ToBytes()
    {
        if (PeerId.Length != PeerIdLength)
        {
            throw new ArgumentException($"a peer id is {PeerIdLength} bytes, got {PeerId.Length}");
        }

        var bytes = new byte[Length];
        bytes[0] = (byte)Protocol.Length;
        Protocol.CopyTo(bytes.AsSpan(1));
        InfoHash.ToBytes().CopyTo(bytes.AsSpan(28));
        PeerId.CopyTo(bytes.AsSpan(48));
        return bytes;
    }

    /// <summary>Reads a handshake from exactly <see cref="Length"/> bytes; null when it is not one (wrong length byte or protocol string).</summary>
    public static WireHandshake? Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length || bytes[0] != Protocol.Length || !bytes.Slice(1, Protocol.Length).SequenceEqual(Protocol))
        {
            return null;
        }

        // Reserved bytes 20..27 are ignored: whatever the peer supports, we announced nothing.
        return new WireHandshake(InfoHash.FromBytes(bytes.Slice(28, 20)), bytes.Slice(48, PeerIdLength).ToArray());
    }
}
