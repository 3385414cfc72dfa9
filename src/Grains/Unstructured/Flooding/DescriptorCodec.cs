using System.Buffers.Binary;
using System.Text;

namespace P2POrleans.Unstructured.Flooding;

/// <summary>
/// Encodes and decodes Gnutella 0.4 descriptors to the exact byte layout of the Clip2/GDF
/// specification (section 2.2). Byte order follows the spec, not "network byte order": the payload
/// length, ports, file index, file size, speed and counts are little-endian; IP addresses are
/// big-endian (spec 2.2.3: "IP Address ... big endian"). Strict 0.4: no GGEP/HUGE extensions, so a
/// Query's text ends at the last byte and a QueryHit's result set is followed directly by the
/// 16-byte servent id. Text is UTF-8 (the spec does not name an encoding); invalid UTF-8 is rejected.
/// </summary>
public static class DescriptorCodec
{
    public const int HeaderLength = 23;
    public const int PongLength = 14;
    public const int PushLength = 26;

    /// <summary>Default upper bound on the payload length; larger descriptors are rejected as abuse.</summary>
    public const int DefaultMaxPayloadLength = 64 * 1024;

    private const int QueryHitFixedLength = 11; // hit count 1, port 2, ip 4, speed 4
    private const int ServentIdLength = 16;

    private static readonly UTF8Encoding _strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] Encode(Descriptor descriptor, int maxPayloadLength = DefaultMaxPayloadLength)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var payloadLength = PayloadLength(descriptor.Payload);
        if (payloadLength > maxPayloadLength)
        {
            throw new DescriptorFormatException($"payload of {payloadLength} bytes exceeds the maximum of {maxPayloadLength}");
        }

        var bytes = new byte[HeaderLength + payloadLength];
        var span = bytes.AsSpan();
        WriteGuid(span[..16], descriptor.Id);
        span[16] = (byte)descriptor.Type;
        span[17] = descriptor.Ttl;
        span[18] = descriptor.Hops;
        BinaryPrimitives.WriteUInt32LittleEndian(span[19..23], (uint)payloadLength);
        WritePayload(span[HeaderLength..], descriptor.Payload);
        return bytes;
    }

    /// <summary>Decodes exactly one descriptor; the buffer must hold the header and the whole payload and nothing more.</summary>
    public static Descriptor Decode(ReadOnlySpan<byte> bytes, int maxPayloadLength = DefaultMaxPayloadLength)
    {
        var descriptor = DecodeFirst(bytes, out var consumed, maxPayloadLength);
        if (consumed != bytes.Length)
        {
            throw new DescriptorFormatException(
                $"bad length: the header announces {consumed - HeaderLength} payload bytes but {bytes.Length - HeaderLength} follow");
        }

        return descriptor;
    }

    /// <summary>Decodes the first descriptor of a stream buffer and tells how many bytes it used.</summary>
    public static Descriptor DecodeFirst(ReadOnlySpan<byte> bytes, out int consumed, int maxPayloadLength = DefaultMaxPayloadLength)
    {
        if (bytes.Length < HeaderLength)
        {
            throw new DescriptorFormatException($"truncated header: {bytes.Length} of {HeaderLength} bytes");
        }

        var id = new Guid(bytes[..16]);
        var type = (PayloadType)bytes[16];
        if (!Enum.IsDefined(type))
        {
            throw new DescriptorFormatException($"unknown payload type 0x{bytes[16]:x2}");
        }

        var ttl = bytes[17];
        var hops = bytes[18];
        var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[19..23]);
        if (length > (uint)maxPayloadLength)
        {
            throw new DescriptorFormatException($"payload of {length} bytes exceeds the maximum of {maxPayloadLength}");
        }

        if (bytes.Length - HeaderLength < length)
        {
            throw new DescriptorFormatException($"truncated payload: {bytes.Length - HeaderLength} of {length} bytes");
        }

        var payload = bytes.Slice(HeaderLength, (int)length);
        consumed = HeaderLength + (int)length;
        return new Descriptor(id, ttl, hops, ReadPayload(type, payload));
    }

    public static int PayloadLength(DescriptorPayload payload) => payload switch
    {
        Ping => 0,
        Pong => PongLength,
        Push => PushLength,
        Query q => 2 + TextLength(q.SearchCriteria, "search criteria") + 1,
        QueryHit h => QueryHitFixedLength + ResultSetLength(h) + ServentIdLength,
        _ => throw new DescriptorFormatException($"unknown payload {payload.GetType().Name}"),
    };

    private static int ResultSetLength(QueryHit hit)
    {
        if (hit.HitCount is 0 or > byte.MaxValue)
        {
            throw new DescriptorFormatException($"a QueryHit carries 1 to 255 results, not {hit.HitCount}");
        }

        var total = 0;
        foreach (var r in hit.Results)
        {
            total += 8 + TextLength(r.FileName, "file name") + 2; // index, size, name, double NUL
        }

        return total;
    }

    private static int TextLength(string text, string what)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new DescriptorFormatException($"the {what} contains a NUL, which terminates it on the wire");
        }

        try
        {
            return _strictUtf8.GetByteCount(text);
        }
        catch (EncoderFallbackException e)
        {
            throw new DescriptorFormatException($"the {what} is not valid Unicode text", e);
        }
    }

    private static void WritePayload(Span<byte> span, DescriptorPayload payload)
    {
        switch (payload)
        {
            case Ping:
                break;
            case Pong p:
                BinaryPrimitives.WriteUInt16LittleEndian(span[0..2], p.Port);
                BinaryPrimitives.WriteUInt32BigEndian(span[2..6], p.Address);
                BinaryPrimitives.WriteUInt32LittleEndian(span[6..10], p.FilesShared);
                BinaryPrimitives.WriteUInt32LittleEndian(span[10..14], p.KilobytesShared);
                break;
            case Push p:
                WriteGuid(span[0..16], p.ServentId);
                BinaryPrimitives.WriteUInt32LittleEndian(span[16..20], p.FileIndex);
                BinaryPrimitives.WriteUInt32BigEndian(span[20..24], p.Address);
                BinaryPrimitives.WriteUInt16LittleEndian(span[24..26], p.Port);
                break;
            case Query q:
                BinaryPrimitives.WriteUInt16LittleEndian(span[0..2], q.MinimumSpeed);
                var n = _strictUtf8.GetBytes(q.SearchCriteria, span[2..]);
                span[2 + n] = 0;
                break;
            case QueryHit h:
                span[0] = (byte)h.HitCount;
                BinaryPrimitives.WriteUInt16LittleEndian(span[1..3], h.Port);
                BinaryPrimitives.WriteUInt32BigEndian(span[3..7], h.Address);
                BinaryPrimitives.WriteUInt32LittleEndian(span[7..11], h.Speed);
                var at = QueryHitFixedLength;
                foreach (var r in h.Results)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(span[at..(at + 4)], r.FileIndex);
                    BinaryPrimitives.WriteUInt32LittleEndian(span[(at + 4)..(at + 8)], r.FileSize);
                    at += 8;
                    at += _strictUtf8.GetBytes(r.FileName, span[at..]);
                    span[at++] = 0;
                    span[at++] = 0;
                }

                WriteGuid(span[at..(at + ServentIdLength)], h.ServentId);
                break;
            default:
                throw new DescriptorFormatException($"unknown payload {payload.GetType().Name}");
        }
    }

    private static DescriptorPayload ReadPayload(PayloadType type, ReadOnlySpan<byte> p)
    {
        switch (type)
        {
            case PayloadType.Ping:
                ExpectLength(p, 0, "Ping");
                return Ping.Instance;
            case PayloadType.Pong:
                ExpectLength(p, PongLength, "Pong");
                return new Pong(
                    BinaryPrimitives.ReadUInt16LittleEndian(p[0..2]),
                    BinaryPrimitives.ReadUInt32BigEndian(p[2..6]),
                    BinaryPrimitives.ReadUInt32LittleEndian(p[6..10]),
                    BinaryPrimitives.ReadUInt32LittleEndian(p[10..14]));
            case PayloadType.Push:
                ExpectLength(p, PushLength, "Push");
                return new Push(
                    new Guid(p[0..16]),
                    BinaryPrimitives.ReadUInt32LittleEndian(p[16..20]),
                    BinaryPrimitives.ReadUInt32BigEndian(p[20..24]),
                    BinaryPrimitives.ReadUInt16LittleEndian(p[24..26]));
            case PayloadType.Query:
                return ReadQuery(p);
            case PayloadType.QueryHit:
                return ReadQueryHit(p);
            default:
                throw new DescriptorFormatException($"unknown payload type 0x{(byte)type:x2}");
        }
    }

    private static Query ReadQuery(ReadOnlySpan<byte> p)
    {
        if (p.Length < 3)
        {
            throw new DescriptorFormatException($"truncated Query: {p.Length} bytes, at least 3 needed");
        }

        var text = p[2..];
        var nul = text.IndexOf((byte)0);
        if (nul < 0)
        {
            throw new DescriptorFormatException("Query search criteria are not NUL-terminated");
        }

        if (nul != text.Length - 1)
        {
            throw new DescriptorFormatException($"Query has {text.Length - 1 - nul} bytes after the NUL terminator");
        }

        return new Query(BinaryPrimitives.ReadUInt16LittleEndian(p[0..2]), ReadText(text[..nul], "search criteria"));
    }

    private static QueryHit ReadQueryHit(ReadOnlySpan<byte> p)
    {
        if (p.Length < QueryHitFixedLength + ServentIdLength)
        {
            throw new DescriptorFormatException($"truncated QueryHit: {p.Length} bytes, at least {QueryHitFixedLength + ServentIdLength} needed");
        }

        int hitCount = p[0];
        if (hitCount == 0)
        {
            throw new DescriptorFormatException("inconsistent hit count: a QueryHit with 0 results");
        }

        var port = BinaryPrimitives.ReadUInt16LittleEndian(p[1..3]);
        var address = BinaryPrimitives.ReadUInt32BigEndian(p[3..7]);
        var speed = BinaryPrimitives.ReadUInt32LittleEndian(p[7..11]);
        var resultSet = p[QueryHitFixedLength..^ServentIdLength];
        var results = new QueryHitResult[hitCount];
        var at = 0;
        for (var i = 0; i < hitCount; i++)
        {
            if (resultSet.Length - at < 10)
            {
                throw new DescriptorFormatException($"inconsistent hit count: {hitCount} announced, the result set ends after {i}");
            }

            var index = BinaryPrimitives.ReadUInt32LittleEndian(resultSet[at..(at + 4)]);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(resultSet[(at + 4)..(at + 8)]);
            at += 8;
            var nul = resultSet[at..].IndexOf((byte)0);
            if (nul < 0)
            {
                throw new DescriptorFormatException($"result {i} of the QueryHit has no NUL-terminated file name");
            }

            var name = ReadText(resultSet.Slice(at, nul), "file name");
            at += nul + 1;
            if (at >= resultSet.Length || resultSet[at] != 0)
            {
                throw new DescriptorFormatException($"result {i} of the QueryHit does not end with the double NUL");
            }

            at++;
            results[i] = new QueryHitResult(index, size, name);
        }

        if (at != resultSet.Length)
        {
            throw new DescriptorFormatException(
                $"inconsistent hit count: {resultSet.Length - at} bytes follow the {hitCount} announced results");
        }

        return new QueryHit(port, address, speed, results, new Guid(p[^ServentIdLength..]));
    }

    private static void ExpectLength(ReadOnlySpan<byte> payload, int expected, string what)
    {
        if (payload.Length != expected)
        {
            throw new DescriptorFormatException($"bad length: a {what} payload has {expected} bytes, not {payload.Length}");
        }
    }

    private static string ReadText(ReadOnlySpan<byte> bytes, string what)
    {
        try
        {
            return _strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new DescriptorFormatException($"the {what} is not valid UTF-8", e);
        }
    }

    private static void WriteGuid(Span<byte> destination, Guid id)
    {
        if (!id.TryWriteBytes(destination))
        {
            throw new DescriptorFormatException("no room for a 16-byte GUID");
        }
    }
}
