using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.BitTorrent;
using P2POrleans.BitTorrent.Choking;

namespace P2POrleans.Tests.BitTorrent;

/// <summary>Tit for tat and anti-snubbing (Cohen 2003 section 3; BEP 3).</summary>
public sealed class ChokerTests
{
    private static PeerId P(int i) => new($"p{i:00}");

    /// <summary>Peer i downloads to us at rate i*100 and we upload to it at (20 - i)*100.</summary>
    private static List<ChokerPeer> Peers(int count, double lastBlockAt = 0, Func<int, bool>? interested = null) =>
        [.. Enumerable.Range(0, count).Select(i => new ChokerPeer(P(i), interested?.Invoke(i) ?? true, i * 100, (20 - i) * 100, lastBlockAt))];

    [Fact]
    public void Leeching_unchokes_the_four_best_uploaders_to_us_plus_one_optimistic()
    {
        var choker = new Choker(new ChokerOptions(), new Random(1));
        var d = choker.Tick(0, Peers(10), seeding: false);
        Assert.Equal([P(9), P(8), P(7), P(6)], d.Regular);
        Assert.NotNull(d.Optimistic);
        Assert.DoesNotContain(d.Optimistic!.Value, d.Regular);
        Assert.Equal(5, d.Unchoked.Count);
        Assert.Equal(d.Unchoked.OrderBy(p => p.Value), d.ToUnchoke);
        Assert.Empty(d.ToChoke);
    }

    [Fact]
    public void Seeding_ranks_by_upload_rate_and_only_interested_peers_are_unchoked()
    {
        var choker = new Choker(new ChokerOptions(), new Random(1));
        var d = choker.Tick(0, Peers(10, interested: i => i != 0), seeding: true);
        Assert.Equal([P(1), P(2), P(3), P(4)], d.Regular);
        Assert.NotEqual(P(0), d.Optimistic);
    }

    [Fact]
    public void Rechokes_every_10_s_and_rotates_the_optimistic_unchoke_exactly_every_30_s()
    {
        var choker = new Choker(new ChokerOptions(), new Random(2));
        var rechokes = new List<double>();
        var rotations = new List<double>();
        var optimistic = new List<PeerId?>();
        for (var t = 5.0; t <= 125; t += 0.5)
        {
            var d = choker.Tick(t, Peers(12), seeding: false);
            if (d.Rechoked)
            {
                rechokes.Add(t);
                optimistic.Add(d.Optimistic);
            }

            if (d.OptimisticRotated)
            {
                rotations.Add(t);
            }
        }

        Assert.Equal([5, 15, 25, 35, 45, 55, 65, 75, 85, 95, 105, 115, 125], rechokes);
        Assert.Equal([5, 35, 65, 95, 125], rotations);
        // Between rotations the optimistic peer stays; each rotation draws someone else.
        for (var i = 0; i < optimistic.Count; i++)
        {
            if (i % 3 != 0)
            {
                Assert.Equal(optimistic[i - 1], optimistic[i]);
            }
            else if (i > 0)
            {
                Assert.NotEqual(optimistic[i - 1], optimistic[i]);
            }
        }
    }

    [Fact]
    public void Missed_rounds_are_skipped_but_the_schedule_stays_aligned()
    {
        var choker = new Choker(new ChokerOptions(), new Random(2));
        Assert.True(choker.Tick(0, Peers(6), false).Rechoked);
        Assert.False(choker.Tick(9.99, Peers(6), false).Rechoked);
        var late = choker.Tick(47, Peers(6), false); // rounds at 10..40 missed, and the 30 s rotation
        Assert.True(late.Rechoked && late.OptimisticRotated);
        Assert.Equal(50, choker.NextRechokeAt);
        Assert.Equal(60, choker.NextOptimisticAt);
    }

    [Fact]
    public void Regular_slots_follow_the_rates_at_each_rechoke_and_send_the_difference()
    {
        var choker = new Choker(new ChokerOptions(), new Random(3));
        var first = choker.Tick(0, Peers(10), false);
        // Rates reverse: the 4 slowest become the best.
        var reversed = Enumerable.Range(0, 10).Select(i => new ChokerPeer(P(i), true, (10 - i) * 100, 0, 0)).ToList();
        var second = choker.Tick(10, reversed, false);
        Assert.Equal(first.Optimistic, second.Optimistic); // not yet rotated
        var expected = new[] { P(0), P(1), P(2), P(3) }.Where(p => p != first.Optimistic).ToList();
        Assert.Equal(expected, second.Regular.Take(expected.Count));
        Assert.All(second.ToUnchoke, p => Assert.DoesNotContain(p, first.Unchoked));
        Assert.All(second.ToChoke, p => Assert.DoesNotContain(p, second.Unchoked));
        Assert.Equal(first.Unchoked.Except(second.Unchoked).OrderBy(p => p.Value), second.ToChoke);
    }

    [Fact]
    public void A_peer_silent_for_more_than_60_s_is_snubbed_while_leeching_but_may_be_optimistic()
    {
        var options = new ChokerOptions();
        var peers = Peers(6, lastBlockAt: 100);
        peers[5] = peers[5] with { LastBlockAt = 39 }; // the best rate, but nothing for 61 s
        peers[4] = peers[4] with { LastBlockAt = 40 }; // exactly 60 s: not yet snubbed
        var choker = new Choker(options, new Random(1));
        Assert.True(choker.IsSnubbed(peers[5], 100));
        Assert.False(choker.IsSnubbed(peers[4], 100));
        var d = choker.Tick(100, peers, seeding: false);
        Assert.DoesNotContain(P(5), d.Regular);
        Assert.Contains(P(4), d.Regular);

        var seeding = new Choker(options, new Random(1)).Tick(100, [.. peers.Select(p => p with { UploadRate = p.DownloadRate })], seeding: true);
        Assert.Contains(P(5), seeding.Regular); // a seed gets nothing from anyone: no snubbing

        // Only the snubbed peer left choked: it is the optimistic unchoke.
        var few = new Choker(options, new Random(1)).Tick(100, peers.Skip(1).ToList(), seeding: false);
        Assert.Equal(P(5), few.Optimistic);
    }

    [Fact]
    public void Anti_snubbing_gives_the_regular_slots_snubbed_peers_leave_empty_to_more_optimistic_unchokes()
    {
        // Cohen 2003 section 3.4: p0 and p1 sent a block at 95 s; p2..p7 nothing since 0 s (snubbed at 100 s).
        var peers = Peers(8, lastBlockAt: 0);
        peers[0] = peers[0] with { LastBlockAt = 95 };
        peers[1] = peers[1] with { LastBlockAt = 95 };
        var choker = new Choker(new ChokerOptions(), new Random(3));
        var d = choker.Tick(100, peers, seeding: false);

        Assert.Equal([P(1), P(0)], d.Regular); // snubbed peers never take a regular slot, whatever their rate
        Assert.NotNull(d.Optimistic);
        Assert.Equal(2, choker.ExtraOptimistic.Count); // 5 slots - 2 regular - 1 optimistic
        Assert.All(choker.ExtraOptimistic, p => Assert.True(choker.IsSnubbed(peers.Single(x => x.Id == p), 100)));
        Assert.DoesNotContain(d.Optimistic!.Value, choker.ExtraOptimistic);
        Assert.Equal(5, d.Unchoked.Count);
        Assert.Equal(d.Unchoked.OrderBy(p => p.Value), d.ToUnchoke);

        // The extra unchokes stay until the optimistic rotation, like the optimistic one.
        var extras = choker.ExtraOptimistic.ToHashSet();
        var again = choker.Tick(110, peers, seeding: false);
        Assert.True(again.Rechoked);
        Assert.Equal(extras, choker.ExtraOptimistic);
        Assert.Empty(again.ToChoke);

        // A snubbed peer that sends a block again competes for a regular slot: one extra unchoke fewer.
        var revived = extras.First();
        peers = [.. peers.Select(p => p.Id == revived ? p with { LastBlockAt = 115 } : p)];
        var third = choker.Tick(120, peers, seeding: false);
        Assert.Contains(revived, third.Regular);
        Assert.Single(choker.ExtraOptimistic);
        Assert.Equal(5, third.Unchoked.Count);
    }

    [Fact]
    public void Without_snubbed_peers_or_while_seeding_there_is_one_optimistic_unchoke_at_most()
    {
        // Three interested peers, all fresh: 3 regular, 1 optimistic slot with nobody left for it, no extras.
        var few = new Choker(new ChokerOptions(), new Random(1));
        var d = few.Tick(0, Peers(3), seeding: false);
        Assert.Equal(3, d.Regular.Count);
        Assert.Null(d.Optimistic);
        Assert.Empty(few.ExtraOptimistic);

        // A seed receives nothing, so nobody is snubbed: 4 regular + 1 optimistic, no extras.
        var seed = new Choker(new ChokerOptions(), new Random(1));
        var s = seed.Tick(100, Peers(8, lastBlockAt: 0), seeding: true);
        Assert.Equal(4, s.Regular.Count);
        Assert.Empty(seed.ExtraOptimistic);
        Assert.Equal(5, s.Unchoked.Count);
    }

    [Fact]
    public void Choking_disabled_unchokes_every_interested_peer_and_a_free_rider_none()
    {
        var open = new Choker(new ChokerOptions(Enabled: false), new Random(1)).Tick(0, Peers(12, interested: i => i % 2 == 0), false);
        Assert.Equal(6, open.Unchoked.Count);
        Assert.Null(open.Optimistic);
        var freeRider = new Choker(new ChokerOptions(FreeRider: true), new Random(1)).Tick(0, Peers(12), false);
        Assert.Empty(freeRider.Unchoked);
    }

    [Fact]
    public void Same_seed_same_decisions()
    {
        string Run(int seed)
        {
            var choker = new Choker(new ChokerOptions(), new Random(seed));
            var peers = Enumerable.Range(0, 15).Select(i => new ChokerPeer(P(i), true, i % 3, 0, 0)).ToList();
            return string.Join(";", Enumerable.Range(0, 12).Select(k => string.Join(",", choker.Tick(k * 10, peers, false).Unchoked.OrderBy(p => p.Value))));
        }

        Assert.Equal(Run(9), Run(9));
    }

    public static Arbitrary<(int Seed, int Peers, int Slots)> Setups() =>
        (from seed in Gen.Choose(0, 100_000)
         from peers in Gen.Choose(0, 30)
         from slots in Gen.Choose(1, 8)
         select (seed, peers, slots)).ToArbitrary();

    [Property(Arbitrary = [typeof(ChokerTests)], MaxTest = 200)]
    public bool Never_more_than_the_upload_slots_and_only_interested_peers((int Seed, int Peers, int Slots) s)
    {
        var rng = new Random(s.Seed);
        var choker = new Choker(new ChokerOptions(UploadSlots: s.Slots), new Random(s.Seed));
        var unchoked = new HashSet<PeerId>();
        for (var t = 0; t < 200; t += 10)
        {
            var peers = Enumerable.Range(0, s.Peers)
                .Select(i => new ChokerPeer(P(i), rng.Next(3) > 0, rng.Next(1000), rng.Next(1000), t - rng.Next(120)))
                .ToList();
            var d = choker.Tick(t, peers, seeding: rng.Next(2) == 0);
            unchoked.UnionWith(d.ToUnchoke);
            unchoked.ExceptWith(d.ToChoke);
            var interested = peers.Where(p => p.Interested).Select(p => p.Id).ToHashSet();
            if (d.Unchoked.Count > s.Slots || !d.Unchoked.All(interested.Contains) || !unchoked.SetEquals(d.Unchoked))
            {
                return false;
            }

            var expected = Math.Min(s.Slots, interested.Count);
            if (d.Rechoked && d.Unchoked.Count < expected && d.Regular.Count == s.Slots - 1)
            {
                return false;
            }
        }

        return true;
    }
}
