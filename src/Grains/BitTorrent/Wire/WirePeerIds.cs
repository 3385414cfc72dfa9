using System.Text;

namespace P2POrleans.BitTorrent.Wire;

/// <summary>
/// Peer ids on the wire (BEP 3: 20 bytes, chosen by the client). Ours follow the Azureus style most
/// clients use, "-PO1000-" then the member's name padded with '~' to 12 bytes, so a member seen on
/// the wire keeps the name it has in the simulated swarm; anything else is an outside client.
/// </summary>
public static class WirePeerIds
{
    public const string Prefix = "-PO1000-";

    public static byte[] For(PeerId member)
    {
        var name = member.Value.Length > 12 ? member.Value[..12] : member.Value.PadRight(12, '~');
        return Encoding.ASCII.GetBytes(Prefix + name);
    }

    /// <summary>The id the member uses for a remote peer, whether it is an outside client, and which client its id names.</summary>
    public static (PeerId Peer, bool Outside, string Client) Describe(ReadOnlySpan<byte> id)
    {
        var printable = true;
        foreach (var b in id)
        {
            printable &= b is >= 0x20 and < 0x7F;
        }

        var text = printable ? Encoding.ASCII.GetString(id) : "hex:" + Convert.ToHexStringLower(id);
        if (text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return (new PeerId(text[Prefix.Length..].TrimEnd('~')), false, Prefix);
        }

        var client = printable && text.Length >= 8 && text[0] == '-' && text[7] == '-' ? text[..8] : "";
        return (new PeerId(text), true, client);
    }
}
