using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.Common;
using P2POrleans.Pastry;
using P2POrleans.Pastry.Tables;

namespace P2POrleans.Tests.Pastry;

/// <summary>
/// Replica placement awareness for Pastry: <see cref="PastryReplicas.Holders(IdSpace, NodeId, IEnumerable{NodeId}, int, bool, Func{NodeId, string?})"/>
/// over candidates in numeric distance to the key, the closest being the root (section 2.3).
/// </summary>
public sealed class PastryPlacementTests
{
    private static readonly IdSpace Space = new(32);

    /// <summary>Candidates (a node and its leaf set) with their silos, a key and k copies.</summary>
    public sealed record Layout(NodeId Key, NodeId[] Candidates, int[] Silos, int Copies)
    {
        public string? SiloOf(NodeId id) => "silo-" + Silos[Array.IndexOf(Candidates, id)];

        public IReadOnlyList<NodeId> Spread() => PastryReplicas.Holders(Space, Key, Candidates, Copies, spread: true, SiloOf);

        public IReadOnlyList<NodeId> Plain() => PastryReplicas.Holders(Space, Key, Candidates, Copies, spread: false, SiloOf);

        /// <summary>The candidates closest to the key first.</summary>
        public List<NodeId> ByDistance() => [.. Candidates.OrderBy(c => c, Comparer<NodeId>.Create((a, b) => PastryMetric.Compare(Space, Key, a, b)))];

        public override string ToString() => $"k = {Copies}, key {Key.ToHex()}, candidates {string.Join(", ", Candidates.Select((c, i) => $"{c.ToHex()}@{Silos[i]}"))}";
    }

    public static Arbitrary<Layout> Layouts() =>
        (from seed in Gen.Choose(0, int.MaxValue)
         from count in Gen.Choose(1, 33)
         from silos in Gen.Choose(1, 4)
         from copies in Gen.Choose(1, 9)
         select Make(seed, count, silos, copies)).ToArbitrary();

    private static Layout Make(int seed, int count, int silos, int copies)
    {
        var random = new Random(seed);
        var ids = new HashSet<NodeId>();
        while (ids.Count < count)
        {
            ids.Add(Space.Hash($"{seed}-{random.Next()}"));
        }

        return new Layout(Space.Hash($"key-{seed}"), [.. ids], [.. ids.Select(_ => random.Next(silos))], copies);
    }

    [Property(Arbitrary = [typeof(PastryPlacementTests)], MaxTest = 1000)]
    public bool The_root_comes_first_and_holders_are_distinct_and_as_many_as_plain(Layout l)
    {
        var spread = l.Spread();
        return spread[0] == l.ByDistance()[0]
            && spread.Distinct().Count() == spread.Count
            && spread.Count == Math.Min(l.Copies, l.Candidates.Length)
            && l.Plain().SequenceEqual(l.ByDistance().Take(l.Copies));
    }

    [Property(Arbitrary = [typeof(PastryPlacementTests)], MaxTest = 1000)]
    public bool Plain_placement_is_the_k_closest_of_the_leaf_set(Layout l) =>
        l.Plain().SequenceEqual(l.ByDistance().Take(l.Copies));

    [Property(Arbitrary = [typeof(PastryPlacementTests)], MaxTest = 1000)]
    public bool The_copies_span_min_k_and_the_distinct_silos(Layout l) =>
        l.Spread().Select(l.SiloOf).Distinct().Count() == Math.Min(l.Copies, l.Candidates.Select(l.SiloOf).Distinct().Count());

    /// <summary>The one-silo-crash argument: the new root after the root's silo dies is the closest candidate off that silo, and it holds a copy.</summary>
    [Property(Arbitrary = [typeof(PastryPlacementTests)], MaxTest = 1000)]
    public bool The_first_holder_off_the_roots_silo_is_the_closest_candidate_off_that_silo(Layout l)
    {
        var spread = l.Spread();
        var rootSilo = l.SiloOf(spread[0]);
        var newRoot = l.ByDistance().FirstOrDefault(c => l.SiloOf(c) != rootSilo);
        return l.Copies < 2 || newRoot == default
            || spread.First(h => l.SiloOf(h) != rootSilo) == newRoot;
    }

    [Property(Arbitrary = [typeof(PastryPlacementTests)], MaxTest = 1000)]
    public bool Removing_any_one_silo_leaves_a_copy(Layout l)
    {
        var spread = l.Spread();
        var silos = l.Candidates.Select(l.SiloOf).Distinct().ToList();
        return l.Copies < 2 || silos.Count < 2 || silos.All(dead => spread.Any(h => l.SiloOf(h) != dead));
    }

    [Property(Arbitrary = [typeof(PastryPlacementTests)], MaxTest = 300)]
    public bool On_one_silo_spread_is_plain(Layout l)
    {
        var one = l with { Silos = new int[l.Candidates.Length] };
        return one.Spread().SequenceEqual(one.Plain());
    }

    [Fact]
    public void Unknown_silos_count_as_distinct_hosts()
    {
        var l = Make(7, 12, 1, 3);
        var unknown = PastryReplicas.Holders(Space, l.Key, l.Candidates, 3, spread: true, _ => null);
        Assert.Equal(l.ByDistance().Take(3), unknown);
    }
}
