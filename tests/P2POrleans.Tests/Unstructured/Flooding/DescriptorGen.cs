using FsCheck;
using FsCheck.Fluent;
using P2POrleans.Unstructured;
using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.Tests.Unstructured.Flooding;

/// <summary>Generators of valid descriptors (every payload type, texts with multi-byte UTF-8) and of fuzz input.</summary>
public static class DescriptorGen
{
    public static Gen<string> Text =>
        Gen.ArrayOf(Gen.Elements("a", "Zz", " ", "-", ".mp3", "é", "日本", "😀", "0", "\t", "Ω"))
            .Select(parts => string.Concat(parts));

    public static Gen<Guid> Guids =>
        Gen.ArrayOf(Gen.Choose(0, 255), 16).Select(b => new Guid(b.Select(x => (byte)x).ToArray()));

    public static Gen<uint> UInts =>
        Gen.OneOf(Gen.Elements(0u, 1u, 255u, 256u, uint.MaxValue), Gen.Choose(int.MinValue, int.MaxValue).Select(x => unchecked((uint)x)));

    public static Gen<ushort> UShorts => Gen.Choose(0, ushort.MaxValue).Select(x => (ushort)x);

    public static Gen<byte> Bytes => Gen.Choose(0, 255).Select(x => (byte)x);

    public static Gen<QueryHitResult> Results =>
        from index in UInts
        from size in UInts
        from name in Text
        select new QueryHitResult(index, size, name);

    public static Gen<DescriptorPayload> Payloads => Gen.OneOf(
        Gen.Constant<DescriptorPayload>(Ping.Instance),
        from port in UShorts
        from ip in UInts
        from files in UInts
        from kb in UInts
        select (DescriptorPayload)new Pong(port, ip, files, kb),
        from id in Guids
        from index in UInts
        from ip in UInts
        from port in UShorts
        select (DescriptorPayload)new Push(id, index, ip, port),
        from speed in UShorts
        from text in Text
        select (DescriptorPayload)new Query(speed, text),
        from port in UShorts
        from ip in UInts
        from speed in UInts
        from count in Gen.Frequency((10, Gen.Choose(1, 6)), (1, Gen.Elements(254, 255)))
        from results in Gen.ArrayOf(Results, count)
        from id in Guids
        select (DescriptorPayload)new QueryHit(port, ip, speed, results, id));

    public static Gen<Descriptor> Descriptors =>
        from id in Guids
        from ttl in Bytes
        from hops in Bytes
        from payload in Payloads
        select new Descriptor(id, ttl, hops, payload);

    public static Arbitrary<Descriptor> DescriptorArbitrary() => Descriptors.ToArbitrary();

    /// <summary>
    /// Fuzz input: pure random bytes, random bytes behind a plausible header (known type, length
    /// matching or not), and valid encodings with a byte changed, cut short or extended.
    /// </summary>
    public static Arbitrary<Fuzz> FuzzArbitrary()
    {
        var randomBytes = Gen.ArrayOf(Bytes);
        var plausible =
            from header in Gen.ArrayOf(Bytes, 16)
            from type in Gen.Elements<byte>(0x00, 0x01, 0x40, 0x80, 0x81, 0x02, 0xFF)
            from ttl in Bytes
            from payload in Gen.ArrayOf(Bytes)
            from lengthDelta in Gen.Elements(0, 0, 0, -1, 1, 1_000_000)
            select Frame(header, type, ttl, payload, lengthDelta);
        var mutated =
            from d in Descriptors
            from position in Gen.Choose(0, 10_000)
            from value in Bytes
            from mode in Gen.Choose(0, 2)
            select Mutate(DescriptorCodec.Encode(d), position, value, mode);
        return Gen.OneOf(randomBytes, plausible, mutated).Select(b => new Fuzz(b)).ToArbitrary();
    }

    private static byte[] Frame(byte[] id, byte type, byte ttl, byte[] payload, int lengthDelta)
    {
        var bytes = new byte[23 + payload.Length];
        id.CopyTo(bytes, 0);
        bytes[16] = type;
        bytes[17] = ttl;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(19, 4), Math.Max(0, payload.Length + lengthDelta));
        payload.CopyTo(bytes, 23);
        return bytes;
    }

    private static byte[] Mutate(byte[] bytes, int position, byte value, int mode)
    {
        var at = position % bytes.Length;
        switch (mode)
        {
            case 0:
                bytes[at] = value;
                return bytes;
            case 1:
                return bytes[..at];
            default:
                return [.. bytes, value];
        }
    }
}
