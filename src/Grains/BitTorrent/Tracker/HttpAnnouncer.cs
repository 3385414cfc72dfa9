using System.Globalization;
using System.Net;
using P2POrleans.BitTorrent.Bencoding;

namespace P2POrleans.BitTorrent.Tracker;

/// <summary>
/// The client side of a BEP 3 HTTP tracker: one GET with the torrent, our peer id and port, the
/// bytes moved and left, the event, compact=1 (BEP 23); the answer's peers (compact or not) and
/// interval. A "failure reason" or an unreadable answer is a <see cref="TrackerException"/>.
/// </summary>
public static class HttpAnnouncer
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static readonly HttpClient Http = new() { Timeout = Timeout };

    public static string Url(string announce, InfoHash infoHash, byte[] peerId, int port, long uploaded, long downloaded, long left, AnnounceEvent announceEvent, int numWant)
    {
        var query = string.Create(CultureInfo.InvariantCulture,
            $"info_hash={TrackerQuery.Encode(infoHash.ToBytes())}&peer_id={TrackerQuery.Encode(peerId)}&port={port}&uploaded={uploaded}&downloaded={downloaded}&left={left}&compact=1&numwant={numWant}");
        if (announceEvent != AnnounceEvent.None)
        {
            query += "&event=" + announceEvent.ToString().ToLowerInvariant();
        }

        return announce + (announce.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query;
    }

    public static async Task<(IReadOnlyList<IPEndPoint> Peers, int IntervalSeconds)> AnnounceAsync(string url, CancellationToken cancellationToken)
    {
        byte[] body;
        try
        {
            body = await Http.GetByteArrayAsync(url, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new TrackerException($"the tracker at {new Uri(url).GetLeftPart(UriPartial.Path)} did not answer ({e.Message})");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TrackerException($"the tracker at {new Uri(url).GetLeftPart(UriPartial.Path)} did not answer within {Timeout.TotalSeconds:F0} s");
        }

        return Read(body);
    }

    /// <summary>Reads an announce answer.</summary>
    public static (IReadOnlyList<IPEndPoint> Peers, int IntervalSeconds) Read(byte[] body)
    {
        BValue decoded;
        try
        {
            decoded = Bencode.Decode(body);
        }
        catch (BencodeException e)
        {
            throw new TrackerException($"the tracker's answer is not bencoded ({e.Message})");
        }

        if (decoded is not BDictionary answer)
        {
            throw new TrackerException("the tracker's answer is not a dictionary");
        }

        if (answer.TryGetValue("failure reason", out var failure) && failure is BString reason)
        {
            throw new TrackerException($"the tracker refused: {reason.Text}");
        }

        var interval = answer.TryGetValue("interval", out var i) && i is BInteger n ? (int)Math.Clamp(n.Value, 1, 86400) : 1800;
        var peers = new List<IPEndPoint>();
        if (answer.TryGetValue("peers", out var value))
        {
            if (value is BString compact && compact.Length % 6 == 0)
            {
                var bytes = compact.Span;
                for (var k = 0; k < bytes.Length; k += 6)
                {
                    peers.Add(new IPEndPoint(new IPAddress(bytes.Slice(k, 4)), (bytes[k + 4] << 8) | bytes[k + 5]));
                }
            }
            else if (value is BList list)
            {
                foreach (var entry in list.Items.OfType<BDictionary>())
                {
                    if (entry.TryGetValue("ip", out var ip) && ip is BString ipText && IPAddress.TryParse(ipText.Text, out var address)
                        && entry.TryGetValue("port", out var port) && port is BInteger p && p.Value is > 0 and < 65536)
                    {
                        peers.Add(new IPEndPoint(address, (int)p.Value));
                    }
                }
            }
            else
            {
                throw new TrackerException("the tracker's peer list is neither compact nor a list");
            }
        }

        return (peers, interval);
    }
}
