namespace P2POrleans.Common;

/// <summary>Grain keys of peers: "&lt;overlay&gt;/&lt;40 hex digits&gt;" (docs/architecture.md section 3).</summary>
public static class PeerKeys
{
    public static string For(string overlay, NodeId id) => overlay + "/" + id.ToHex();

    public static (string Overlay, NodeId Id) Parse(string key)
    {
        var slash = key.LastIndexOf('/');
        if (slash <= 0 || key.Length - slash - 1 != 40)
        {
            throw new ArgumentException($"'{key}' is not a peer key", nameof(key));
        }

        var id = NodeId.FromBigEndian(Convert.FromHexString(key[(slash + 1)..]));
        return (key[..slash], id);
    }
}
