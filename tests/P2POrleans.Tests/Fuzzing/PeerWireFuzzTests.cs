using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.BitTorrent;
using P2POrleans.BitTorrent.Messages;
using P2POrleans.BitTorrent.Torrent;
using P2POrleans.BitTorrent.Wire;

namespace P2POrleans.Tests.Fuzzing;

/// <summary>
/// The peer wire frame decoder on hostile bytes: random buffers, and valid frame streams mutated
/// (a byte changed, cut short, a byte inserted). Decoding a buffer frame by frame never throws,
/// never consumes more than it was given, and always ends (every frame consumes at least 4 bytes).
/// </summary>
public sealed class PeerWireFuzzTests
{
    private static readonly PieceLayout Layout = new((37L * 64 * 1024) + 1234, 64 * 1024);
    private static readonly FrameDecoder Decoder = new(Layout);

    public static Arbitrary<byte[]> Streams() => Gen.OneOf(
        Gen.ArrayOf(FuzzInput.Bytes),
        Gen.ArrayOf(Gen.Elements<byte>(0, 0, 0, 1, 4, 5, 6, 7, 8, 9, 13, 0x40, 0xFF)),
        FuzzInput.Mutate(ValidStream()),
        FuzzInput.Mutate(FuzzInput.Mutate(ValidStream()))).ToArbitrary();

    [Property(Arbitrary = [typeof(PeerWireFuzzTests)], MaxTest = 5000)]
    public bool Any_bytes_decode_to_frames_or_one_error_without_an_exception(byte[] input)
    {
        var offset = 0;
        while (true)
        {
            var status = Decoder.TryDecode(input.AsSpan(offset), out var message, out var consumed, out var error);
            switch (status)
            {
                case FrameStatus.NeedMore:
                    return offset <= input.Length && message is null;
                case FrameStatus.Error:
                    return message is null && error != WireCloseReason.Closed;
                default:
                    if (consumed < 4 || offset + consumed > input.Length)
                    {
                        return false;
                    }

                    // A message that decoded is valid for the torrent: it re-encodes to the same frame.
                    if (message is not null && !FrameEncoder.Encode([message]).AsSpan().SequenceEqual(input.AsSpan(offset, consumed)))
                    {
                        return false;
                    }

                    offset += consumed;
                    break;
            }
        }
    }

    /// <summary>Frames of every kind a peer of this torrent may send.</summary>
    private static Gen<byte[]> ValidStream() =>
        from piece in Gen.Choose(0, Layout.PieceCount - 1)
        from block in Gen.Choose(0, Layout.BlockCount(piece) - 1)
        from kinds in Gen.ArrayOf(Gen.Choose(0, 9))
        select FrameEncoder.Encode(kinds.Select(k => Message(k, Layout.Block(piece, block))));

    private static PeerMessage Message(int kind, BlockRequest block) => kind switch
    {
        0 => new KeepAliveMessage(),
        1 => new ChokeMessage(),
        2 => new UnchokeMessage(),
        3 => new InterestedMessage(),
        4 => new NotInterestedMessage(),
        5 => new HaveMessage(block.Piece),
        6 => new BitfieldMessage(BitField.Full(Layout.PieceCount).ToBytes()),
        7 => new RequestMessage(block),
        8 => new CancelMessage(block),
        _ => new PieceMessage(block.Piece, block.Offset, new byte[block.Length]),
    };
}
