using System.Net;
using P2POrleans.BitTorrent;
using P2POrleans.BitTorrent.Bencoding;
using P2POrleans.BitTorrent.Tracker;

namespace P2POrleans.Tests.BitTorrent.Wire;

/// <summary>The HTTP tracker's requests and answers (BEP 3; compact peer lists, BEP 23).</summary>
public sealed class HttpTrackerMessagesTests
{
    private static readonly InfoHash Hash = InfoHash.Parse("12345678901234567890abcdefabcdef12345678");

    [Fact]
    public void An_announce_url_carries_the_raw_info_hash_and_peer_id_and_parses_back()
    {
        var peerId = "-TR3000-\u0001\u0002\u00ff+ %&=?abcd"u8.ToArray()[..20];
        var url = HttpAnnouncer.Url("http://127.0.0.1:6969/announce", Hash, peerId, 6881, 10, 20, 30, AnnounceEvent.Started, 50);
        var query = new Uri(url).Query;
        var (announce, error) = TrackerAnnounce.Parse(query, IPAddress.Loopback);
        Assert.Null(error);
        Assert.Equal(Hash, announce!.InfoHash);
        Assert.Equal(peerId, announce.PeerId);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 6881), announce.Endpoint);
        Assert.Equal(30, announce.Left);
        Assert.Equal(AnnounceEvent.Started, announce.Event);
        Assert.True(announce.Compact);
        Assert.Equal(50, announce.NumWant);
        Assert.Equal("127.0.0.1:6881", announce.Peer.Value);
    }

    [Theory]
    [InlineData("peer_id=-TR3000-123456789012&port=1&left=0", "info_hash")]
    [InlineData("info_hash=%12%34&peer_id=-TR3000-123456789012&port=1&left=0", "info_hash")]
    [InlineData("info_hash=12345678901234567890&peer_id=short&port=1&left=0", "peer_id")]
    [InlineData("info_hash=12345678901234567890&peer_id=-TR3000-123456789012&port=70000&left=0", "port")]
    [InlineData("info_hash=12345678901234567890&peer_id=-TR3000-123456789012&port=1&left=-1", "left")]
    [InlineData("info_hash=12345678901234567890&peer_id=-TR3000-123456789012&port=1&left=0&event=paused", "event")]
    [InlineData("info_hash=%ZZ345678901234567890&peer_id=-TR3000-123456789012&port=1&left=0", "percent")]
    public void A_bad_announce_is_refused_naming_the_field(string query, string field)
    {
        var (announce, error) = TrackerAnnounce.Parse(query, IPAddress.Loopback);
        Assert.Null(announce);
        Assert.Contains(field, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_compact_answer_has_six_bytes_per_peer_and_reads_back()
    {
        var response = new AnnounceResponse([new PeerId("127.0.0.1:6881"), new PeerId("10.1.2.3:51413")], 1, 1, 30);
        var body = TrackerReply.Announce(response, compact: true, _ => null);
        var answer = Assert.IsType<BDictionary>(Bencode.Decode(body));
        var peers = Assert.IsType<BString>(answer["peers"]);
        Assert.Equal(Convert.FromHexString("7F0000011AE1" + "0A010203C8D5"), peers.ToArray());
        var (read, interval) = HttpAnnouncer.Read(body);
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 6881), new IPEndPoint(IPAddress.Parse("10.1.2.3"), 51413)], read);
        Assert.Equal(30, interval);
    }

    [Fact]
    public void A_non_compact_answer_lists_dictionaries_with_the_peer_id()
    {
        var id = "-TR3000-abcdefghijkl"u8.ToArray();
        var body = TrackerReply.Announce(new AnnounceResponse([new PeerId("127.0.0.1:6881")], 0, 1, 30), compact: false, _ => id);
        var entry = Assert.IsType<BDictionary>(Assert.IsType<BList>(Assert.IsType<BDictionary>(Bencode.Decode(body))["peers"]).Items.Single());
        Assert.Equal(id, Assert.IsType<BString>(entry["peer id"]).ToArray());
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 6881)], HttpAnnouncer.Read(body).Peers);
    }

    [Fact]
    public void A_failure_reason_or_an_unreadable_answer_is_a_tracker_error_in_words()
    {
        Assert.Contains("no such torrent", Assert.Throws<TrackerException>(() => HttpAnnouncer.Read(TrackerReply.Failure("no such torrent"))).Message, StringComparison.Ordinal);
        Assert.Contains("not bencoded", Assert.Throws<TrackerException>(() => HttpAnnouncer.Read("<html>"u8.ToArray())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scrape_answer_keys_files_by_raw_info_hash()
    {
        var body = TrackerReply.Scrape([(Hash, new ScrapeResult(Hash.Hex, 2, 3, 4))]);
        var files = Assert.IsType<BDictionary>(Assert.IsType<BDictionary>(Bencode.Decode(body))["files"]);
        var (key, value) = Assert.Single(files.Entries);
        Assert.Equal(Hash.ToBytes(), key);
        var counts = Assert.IsType<BDictionary>(value);
        Assert.Equal(2, Assert.IsType<BInteger>(counts["complete"]).Value);
        Assert.Equal(4, Assert.IsType<BInteger>(counts["downloaded"]).Value);
        Assert.Equal(3, Assert.IsType<BInteger>(counts["incomplete"]).Value);
    }
}
