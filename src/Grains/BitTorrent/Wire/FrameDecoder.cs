using System.Buffers.Binary;
using P2POrleans.BitTorrent.Messages;
using P2POrleans.BitTorrent.Torrent;

namespace P2POrleans.BitTorrent.Wire;

/// <summary>
/// Decodes BEP 3 peer wire frames for one torrent: a 4-byte big-endian length, then (unless the
/// length is 0, a keep-alive) a message id and its payload. Every frame is checked against the
/// torrent before it reaches the member: exact lengths per id, bitfield size and spare bits, piece
/// indices, and blocks that are exactly one 16 KiB block of the layout. Stateless and allocation
/// free except for the payload of piece and bitfield messages; never throws on any input.
/// </summary>
public sealed class FrameDecoder
{
    private readonly PieceLayout _layout;
    private readonly int _bitfieldLength;

    public FrameDecoder(PieceLayout layout)
    {
        _layout = layout;
        _bitfieldLength = (layout.PieceCount + 7) / 8;
        // The longest message of this torrent: a piece message of one block, or the bitfield.
        MaxFrameLength = Math.Max(9 + PieceLayout.BlockLength, 1 + _bitfieldLength);
    }

    /// <summary>The largest length prefix accepted; a larger one closes the connection before its bytes arrive.</summary>
    public int MaxFrameLength { get; }

    /// <summary>
    /// Decodes the frame at the start of <paramref name="buffer"/>. On <see cref="FrameStatus.Frame"/>,
    /// <paramref name="consumed"/> bytes are used and <paramref name="message"/> is the message (null for
    /// the ignored DHT port message); on <see cref="FrameStatus.Error"/>, <paramref name="error"/> says why.
    /// </summary>
    public FrameStatus TryDecode(ReadOnlySpan<byte> buffer, out PeerMessage? message, out int consumed, out WireCloseReason error)
    {
        message = null;
        consumed = 0;
        error = WireCloseReason.Closed;
        if (buffer.Length < 4)
        {
            return FrameStatus.NeedMore;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(buffer);
        if (length > (uint)MaxFrameLength)
        {
            error = WireCloseReason.LengthOverLimit;
            return FrameStatus.Error;
        }

        if (buffer.Length < 4 + (int)length)
        {
            return FrameStatus.NeedMore;
        }

        consumed = 4 + (int)length;
        if (length == 0)
        {
            message = new KeepAliveMessage();
            return FrameStatus.Frame;
        }

        var payload = buffer.Slice(5, (int)length - 1);
        error = Decode(buffer[4], payload, out message);
        return error == WireCloseReason.Closed ? FrameStatus.Frame : FrameStatus.Error;
    }

    private WireCloseReason Decode(byte id, ReadOnlySpan<byte> payload, out PeerMessage? message)
    {
        message = null;
        switch (id)
        {
            case 0 or 1 or 2 or 3:
                if (payload.Length != 0)
                {
                    return WireCloseReason.BadMessageLength;
                }

                message = id switch
                {
                    0 => new ChokeMessage(),
                    1 => new UnchokeMessage(),
                    2 => new InterestedMessage(),
                    _ => new NotInterestedMessage(),
                };
                return WireCloseReason.Closed;
            case 4:
                if (payload.Length != 4)
                {
                    return WireCloseReason.BadMessageLength;
                }

                var piece = BinaryPrimitives.ReadUInt32BigEndian(payload);
                if (piece >= (uint)_layout.PieceCount)
                {
                    return WireCloseReason.BadPieceIndex;
                }

                message = new HaveMessage((int)piece);
                return WireCloseReason.Closed;
            case 5:
                if (payload.Length != _bitfieldLength)
                {
                    return WireCloseReason.BadMessageLength;
                }

                // BEP 3: spare bits at the end must be zero.
                var spare = (_bitfieldLength * 8) - _layout.PieceCount;
                if (spare > 0 && (payload[^1] & ((1 << spare) - 1)) != 0)
                {
                    return WireCloseReason.BadPieceIndex;
                }

                message = new BitfieldMessage(payload.ToArray());
                return WireCloseReason.Closed;
            case 6 or 8:
                if (payload.Length != 12)
                {
                    return WireCloseReason.BadMessageLength;
                }

                if (ReadBlock(payload) is not { } block)
                {
                    return WireCloseReason.RequestOutsideTorrent;
                }

                message = id == 6 ? new RequestMessage(block) : new CancelMessage(block);
                return WireCloseReason.Closed;
            case 7:
                if (payload.Length < 8)
                {
                    return WireCloseReason.BadMessageLength;
                }

                var data = payload[8..];
                var index = BinaryPrimitives.ReadUInt32BigEndian(payload);
                var begin = BinaryPrimitives.ReadUInt32BigEndian(payload[4..]);
                if (index > int.MaxValue || begin > int.MaxValue
                    || _layout.Validate(new BlockRequest((int)index, (int)begin, data.Length)) != BlockError.None)
                {
                    return WireCloseReason.BlockOutsideTorrent;
                }

                message = new PieceMessage((int)index, (int)begin, data.ToArray());
                return WireCloseReason.Closed;
            case 9:
                // DHT port (BEP 5): harmless, and we run no DHT; ignored.
                return payload.Length == 2 ? WireCloseReason.Closed : WireCloseReason.BadMessageLength;
            default:
                return WireCloseReason.UnknownMessageId;
        }
    }

    private BlockRequest? ReadBlock(ReadOnlySpan<byte> payload)
    {
        var index = BinaryPrimitives.ReadUInt32BigEndian(payload);
        var begin = BinaryPrimitives.ReadUInt32BigEndian(payload[4..]);
        var length = BinaryPrimitives.ReadUInt32BigEndian(payload[8..]);
        if (index > int.MaxValue || begin > int.MaxValue || length > int.MaxValue)
        {
            return null;
        }

        var block = new BlockRequest((int)index, (int)begin, (int)length);
        return _layout.Validate(block) == BlockError.None ? block : null;
    }
}
