using System.Globalization;
using System.Net;
using System.Text;

namespace P2POrleans.BitTorrent.Tracker;

/// <summary>
/// A BEP 3 announce as the HTTP tracker receives it: the torrent, the peer (its id, and the
/// address it listens on), what it has left, the event, and how it wants its peer list.
/// </summary>
public sealed record TrackerAnnounce(InfoHash InfoHash, byte[] PeerId, IPEndPoint Endpoint, long Left, AnnounceEvent Event, bool Compact, int NumWant)
{
    public const int DefaultNumWant = 50;

    /// <summary>The tracker's key for the peer: the address it listens on.</summary>
    public PeerId Peer => new(Endpoint.ToString());

    /// <summary>Reads an announce from a query string; the error names the first bad or missing field.</summary>
    public static (TrackerAnnounce? Announce, string? Error) Parse(string query, IPAddress remote)
    {
        if (TrackerQuery.Parse(query) is not { } q)
        {
            return (null, "malformed percent escape in the query");
        }

        if (!q.TryGetValue("info_hash", out var hash) || hash.Length != InfoHash.Length)
        {
            return (null, "info_hash must be 20 bytes");
        }

        if (!q.TryGetValue("peer_id", out var peerId) || peerId.Length != 20)
        {
            return (null, "peer_id must be 20 bytes");
        }

        if (!TryNumber(q, "port", out var port) || port is < 1 or > 65535)
        {
            return (null, "port must be a number between 1 and 65535");
        }

        if (!TryNumber(q, "left", out var left) || left < 0)
        {
            return (null, "left must be a non-negative number");
        }

        var announceEvent = Text(q, "event") switch
        {
            null or "" or "empty" => AnnounceEvent.None,
            "started" => AnnounceEvent.Started,
            "completed" => AnnounceEvent.Completed,
            "stopped" => AnnounceEvent.Stopped,
            _ => (AnnounceEvent?)null,
        };
        if (announceEvent is null)
        {
            return (null, "event must be started, completed, stopped or empty");
        }

        var numWant = TryNumber(q, "numwant", out var n) ? (int)Math.Clamp(n, 0, 200) : DefaultNumWant;
        var address = Text(q, "ip") is { } ip && IPAddress.TryParse(ip, out var given) ? given : remote;
        var compact = Text(q, "compact") == "1";
        return (new TrackerAnnounce(InfoHash.FromBytes(hash), peerId, new IPEndPoint(address, (int)port), left, announceEvent.Value, compact, numWant), null);
    }

    private static string? Text(Dictionary<string, byte[]> q, string key) => q.TryGetValue(key, out var v) ? Encoding.Latin1.GetString(v) : null;

    private static bool TryNumber(Dictionary<string, byte[]> q, string key, out long value)
    {
        value = 0;
        return Text(q, key) is { } text && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
