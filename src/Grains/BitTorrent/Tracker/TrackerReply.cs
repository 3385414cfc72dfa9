using System.Net;
using P2POrleans.BitTorrent.Bencoding;

namespace P2POrleans.BitTorrent.Tracker;

/// <summary>The bencoded bodies an HTTP tracker answers with (BEP 3; compact peer lists as in BEP 23).</summary>
public static class TrackerReply
{
    /// <summary>
    /// An announce answer: counts, the re-announce interval and the peers — 6 bytes each (IPv4
    /// address and port, big-endian) when compact, else a list of dictionaries with peer id, ip, port.
    /// </summary>
    public static byte[] Announce(AnnounceResponse response, bool compact, Func<PeerId, byte[]?> peerIdOf)
    {
        var endpoints = response.Peers.Select(p => IPEndPoint.TryParse(p.Value, out var e) ? (p, e) : default).Where(x => x.e is not null).ToList();
        BValue peers;
        if (compact)
        {
            var v4 = endpoints.Where(x => x.e!.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork).ToList();
            var bytes = new byte[v4.Count * 6];
            for (var i = 0; i < v4.Count; i++)
            {
                v4[i].e!.Address.GetAddressBytes().CopyTo(bytes, i * 6);
                bytes[(i * 6) + 4] = (byte)(v4[i].e!.Port >> 8);
                bytes[(i * 6) + 5] = (byte)v4[i].e!.Port;
            }

            peers = new BString(bytes);
        }
        else
        {
            peers = new BList(endpoints.Select(x =>
            {
                var d = new BDictionary
                {
                    ["ip"] = new BString(x.e!.Address.ToString()),
                    ["port"] = new BInteger(x.e.Port),
                };
                if (peerIdOf(x.p) is { } id)
                {
                    d["peer id"] = new BString(id);
                }

                return (BValue)d;
            }));
        }

        return Bencode.Encode(new BDictionary
        {
            ["complete"] = new BInteger(response.Seeders),
            ["incomplete"] = new BInteger(response.Leechers),
            ["interval"] = new BInteger(response.IntervalSeconds),
            ["peers"] = peers,
        });
    }

    /// <summary>BEP 3: a failure is a dictionary with a human-readable "failure reason".</summary>
    public static byte[] Failure(string reason) => Bencode.Encode(new BDictionary { ["failure reason"] = new BString(reason) });

    /// <summary>The scrape convention: files keyed by raw info hash, each with complete, downloaded, incomplete.</summary>
    public static byte[] Scrape(IEnumerable<(InfoHash Hash, ScrapeResult Result)> torrents)
    {
        var files = new BDictionary();
        foreach (var (hash, result) in torrents)
        {
            files.Set(hash.ToBytes(), new BDictionary
            {
                ["complete"] = new BInteger(result.Complete),
                ["downloaded"] = new BInteger(result.Downloaded),
                ["incomplete"] = new BInteger(result.Incomplete),
            });
        }

        return Bencode.Encode(new BDictionary { ["files"] = files });
    }
}
