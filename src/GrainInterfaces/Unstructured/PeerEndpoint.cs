using System.Globalization;

namespace P2POrleans.Unstructured;

/// <summary>
/// The "ip:port" of a simulated peer. The IPv4 address is a <see cref="uint"/> whose most
/// significant byte is the first octet, so 10.0.0.1 is 0x0A000001 (the order the Gnutella 0.4
/// spec writes it on the wire, big-endian).
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.PeerEndpoint")]
public readonly record struct PeerEndpoint : IComparable<PeerEndpoint>
{
    public PeerEndpoint(uint address, ushort port)
    {
        Address = address;
        Port = port;
    }

    [Id(0)] public uint Address { get; init; }

    [Id(1)] public ushort Port { get; init; }

    /// <summary>A deterministic address for node <paramref name="index"/> of a simulation: 10.x.y.z:6346.</summary>
    public static PeerEndpoint ForNode(int index, ushort port = 6346)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, 0x00FFFFFD);
        return new PeerEndpoint(0x0A000000u + (uint)index + 1, port);
    }

    public static PeerEndpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.LastIndexOf(':');
        if (colon < 0
            || !ushort.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            throw new FormatException($"'{text}' is not ip:port");
        }

        var octets = text[..colon].Split('.');
        if (octets.Length != 4)
        {
            throw new FormatException($"'{text}' does not have a dotted IPv4 address");
        }

        uint address = 0;
        foreach (var octet in octets)
        {
            if (!byte.TryParse(octet, NumberStyles.None, CultureInfo.InvariantCulture, out var b))
            {
                throw new FormatException($"'{text}' has a bad IPv4 octet '{octet}'");
            }

            address = (address << 8) | b;
        }

        return new PeerEndpoint(address, port);
    }

    public int CompareTo(PeerEndpoint other)
    {
        var c = Address.CompareTo(other.Address);
        return c != 0 ? c : Port.CompareTo(other.Port);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Address >> 24}.{(Address >> 16) & 0xFF}.{(Address >> 8) & 0xFF}.{Address & 0xFF}:{Port}");
}
