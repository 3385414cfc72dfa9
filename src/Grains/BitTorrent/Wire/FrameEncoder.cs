using System.Buffers;
using System.Buffers.Binary;
using P2POrleans.BitTorrent.Messages;

namespace P2POrleans.BitTorrent.Wire;

/// <summary>
/// Writes BEP 3 peer wire frames: a 4-byte big-endian length, the message id, its payload. The
/// handshake and "connection closed" are not frames (the connection handles them), so they write nothing.
/// </summary>
public static class FrameEncoder
{
    public static void Write(PeerMessage message, IBufferWriter<byte> output)
    {
        switch (message)
        {
            case KeepAliveMessage:
                Header(output, 0, null);
                break;
            case ChokeMessage:
                Header(output, 1, 0);
                break;
            case UnchokeMessage:
                Header(output, 1, 1);
                break;
            case InterestedMessage:
                Header(output, 1, 2);
                break;
            case NotInterestedMessage:
                Header(output, 1, 3);
                break;
            case HaveMessage have:
                Header(output, 5, 4);
                Int(output, have.Piece);
                break;
            case BitfieldMessage bitfield:
                Header(output, 1 + bitfield.Bits.Length, 5);
                output.Write(bitfield.Bits);
                break;
            case RequestMessage request:
                Block(output, 6, request.Block);
                break;
            case CancelMessage cancel:
                Block(output, 8, cancel.Block);
                break;
            case PieceMessage piece:
                Header(output, 9 + piece.Data.Length, 7);
                Int(output, piece.Piece);
                Int(output, piece.Offset);
                output.Write(piece.Data.Span);
                break;
            case HandshakeMessage or ConnectionClosedMessage:
                break;
            default:
                throw new ArgumentException($"no wire form for {message.GetType().Name}", nameof(message));
        }
    }

    /// <summary>The frames of <paramref name="messages"/>, one after the other.</summary>
    public static byte[] Encode(IEnumerable<PeerMessage> messages)
    {
        var output = new ArrayBufferWriter<byte>();
        foreach (var message in messages)
        {
            Write(message, output);
        }

        return output.WrittenSpan.ToArray();
    }

    private static void Header(IBufferWriter<byte> output, int length, byte? id)
    {
        Int(output, length);
        if (id is { } b)
        {
            output.GetSpan(1)[0] = b;
            output.Advance(1);
        }
    }

    private static void Block(IBufferWriter<byte> output, byte id, BlockRequest block)
    {
        Header(output, 13, id);
        Int(output, block.Piece);
        Int(output, block.Offset);
        Int(output, block.Length);
    }

    private static void Int(IBufferWriter<byte> output, int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(output.GetSpan(4), value);
        output.Advance(4);
    }
}
