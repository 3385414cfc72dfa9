using System.Text;

namespace P2POrleans.Common;

/// <summary>
/// Grain references made without Orleans' per-call resolution of the grain interface:
/// <c>GetGrain&lt;T&gt;(key)</c> reads T's attributes by reflection and formats type names on every
/// call, which took about 13% of the CPU of a `p2p bench` run (docs/bench.md, where the time goes).
/// The grain type and interface type of T are resolved once, through Orleans' own GetGrain, and
/// every later reference is built from them and the key's bytes. The references are the same
/// grains GetGrain would give (same grain id, same interface).
/// </summary>
public static class GrainReferences
{
    /// <summary>The peer "&lt;overlay&gt;/&lt;40 hex digits&gt;" (<see cref="PeerKeys"/>), its key written straight to bytes.</summary>
    public static TGrain Peer<TGrain>(IGrainFactory factory, string overlay, NodeId id)
        where TGrain : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(overlay);
        var (grainType, interfaceType) = Types<TGrain>.Resolved ??= Resolve((GrainReference)(object)factory.GetGrain<TGrain>("resolve/types"));
        var length = Encoding.UTF8.GetByteCount(overlay);
        var key = new byte[length + 41];
        Encoding.UTF8.GetBytes(overlay, key);
        key[length] = (byte)'/';
        Span<byte> id20 = stackalloc byte[20];
        id.WriteBigEndian(id20);
        for (var i = 0; i < 20; i++)
        {
            key[length + 1 + (2 * i)] = Hex(id20[i] >> 4);
            key[length + 2 + (2 * i)] = Hex(id20[i] & 0xF);
        }

        return (TGrain)factory.GetGrain(GrainId.Create(grainType, new IdSpan(key)), interfaceType);
    }

    /// <summary>The grain of an integer key.</summary>
    public static TGrain Integer<TGrain>(IGrainFactory factory, long key)
        where TGrain : IGrainWithIntegerKey
    {
        ArgumentNullException.ThrowIfNull(factory);
        var (grainType, interfaceType) = Types<TGrain>.Resolved ??= Resolve((GrainReference)(object)factory.GetGrain<TGrain>(0));
        return (TGrain)factory.GetGrain(GrainId.Create(grainType, GrainIdKeyExtensions.CreateIntegerKey(key)), interfaceType);
    }

    private static (GrainType, GrainInterfaceType) Resolve(GrainReference sample) => (sample.GrainId.Type, sample.InterfaceType);

    private static byte Hex(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);

    /// <summary>One resolution per grain interface (the same in every silo and client of a process: they share the type system).</summary>
    private static class Types<TGrain>
    {
        public static (GrainType Grain, GrainInterfaceType Interface)? Resolved;
    }
}
