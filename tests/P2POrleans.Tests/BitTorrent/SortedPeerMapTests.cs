using FsCheck.Xunit;
using P2POrleans.BitTorrent;

namespace P2POrleans.Tests.BitTorrent;

public sealed class SortedPeerMapTests
{
    [Property(MaxTest = 200)]
    public bool Keys_and_values_follow_peer_id_order_after_any_adds_and_removes(byte[] operations)
    {
        var map = new SortedPeerMap<int>();
        var model = new SortedDictionary<PeerId, int>(PeerIdComparer.Instance);
        foreach (var op in operations)
        {
            var peer = new PeerId($"p{op % 23}");
            if (op % 3 == 0)
            {
                Assert.Equal(model.Remove(peer), map.Remove(peer));
            }
            else
            {
                map[peer] = op;
                model[peer] = op;
            }

            if (!map.Keys.SequenceEqual(model.Keys) || !map.Values.SequenceEqual(model.Values) || map.Count != model.Count)
            {
                return false;
            }
        }

        return model.Keys.All(k => map.TryGetValue(k, out var v) && v == model[k] && map.ContainsKey(k));
    }

    [Fact]
    public void A_snapshot_of_the_keys_stays_as_it_was_while_the_map_changes()
    {
        var map = new SortedPeerMap<string>();
        map[new PeerId("b")] = "B";
        map[new PeerId("a")] = "A";
        var keys = map.Keys;
        foreach (var peer in keys)
        {
            map.Remove(peer);
        }

        Assert.Equal([new PeerId("a"), new PeerId("b")], keys);
        Assert.Empty(map.Keys);
        Assert.Equal(0, map.Count);
    }
}
