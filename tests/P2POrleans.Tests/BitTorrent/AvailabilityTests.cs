using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.BitTorrent;
using P2POrleans.BitTorrent.PiecePicking;

namespace P2POrleans.Tests.BitTorrent;

public sealed class AvailabilityTests
{
    public static Arbitrary<(int Kind, int Peer, int Piece, int Seed)[]> Operations() =>
        Gen.Choose(0, 60).SelectMany(n => Gen.ArrayOf(
            from kind in Gen.Choose(0, 2)
            from peer in Gen.Choose(0, 5)
            from piece in Gen.Choose(0, 19)
            from seed in Gen.Choose(0, 1000)
            select (kind, peer, piece, seed), n)).ToArbitrary();

    [Property(Arbitrary = [typeof(AvailabilityTests)], MaxTest = 200)]
    public bool Counts_equal_the_number_of_connected_peers_holding_each_piece((int Kind, int Peer, int Piece, int Seed)[] ops)
    {
        const int pieces = 20;
        var availability = new Availability(pieces);
        var model = new Dictionary<int, HashSet<int>>();
        foreach (var (kind, peer, piece, seed) in ops)
        {
            var id = new PeerId($"p{peer}");
            switch (kind)
            {
                case 0:
                    var rng = new Random(seed);
                    var bits = new BitField(pieces);
                    var set = new HashSet<int>();
                    for (var i = 0; i < pieces; i++)
                    {
                        if (rng.Next(2) == 0)
                        {
                            bits[i] = true;
                            set.Add(i);
                        }
                    }

                    availability.OnBitfield(id, bits);
                    model[peer] = set;
                    break;
                case 1:
                    availability.OnHave(id, piece);
                    (model.TryGetValue(peer, out var s) ? s : model[peer] = []).Add(piece);
                    break;
                default:
                    availability.OnDisconnect(id);
                    model.Remove(peer);
                    break;
            }
        }

        return Enumerable.Range(0, pieces).All(i => availability[i] == model.Values.Count(s => s.Contains(i)))
            && availability.Peers.Count == model.Count;
    }
}
