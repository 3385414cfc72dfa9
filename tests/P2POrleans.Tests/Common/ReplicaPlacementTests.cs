using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.Common;

namespace P2POrleans.Tests.Common;

/// <summary>Replica placement awareness: the greedy walk of the successor list over distinct silos.</summary>
public sealed class ReplicaPlacementTests
{
    /// <summary>An owner's silo, the silos of its successors in ring order, and k copies (1..9).</summary>
    public sealed record Layout(int OwnerSilo, int[] SuccessorSilos, int Copies)
    {
        public IReadOnlyList<int> Successors => Enumerable.Range(0, SuccessorSilos.Length).ToList();

        public int SiloOf(int successor) => SuccessorSilos[successor];

        public IReadOnlyList<int> Spread() => ReplicaPlacement.Spread(OwnerSilo, Successors, SiloOf, Copies);

        public override string ToString() => $"owner on {OwnerSilo}, successors on [{string.Join(", ", SuccessorSilos)}], k = {Copies}";
    }

    public static Arbitrary<Layout> Layouts() =>
        (from silos in Gen.Choose(1, 5)
         from owner in Gen.Choose(0, silos - 1)
         from length in Gen.Choose(0, 16)
         from list in Gen.ArrayOf(Gen.Choose(0, silos - 1), length)
         from copies in Gen.Choose(1, 9)
         select new Layout(owner, list, copies)).ToArbitrary();

    [Property(Arbitrary = [typeof(ReplicaPlacementTests)], MaxTest = 1000)]
    public bool Copies_go_to_distinct_successors_as_many_as_plain_chord(Layout l)
    {
        var chosen = l.Spread();
        return chosen.Distinct().Count() == chosen.Count
            && chosen.Count == ReplicaPlacement.Plain(l.Successors, l.Copies).Count;
    }

    [Property(Arbitrary = [typeof(ReplicaPlacementTests)], MaxTest = 1000)]
    public bool The_copies_span_min_k_and_the_distinct_silos_of_the_list(Layout l)
    {
        var silos = l.Spread().Select(l.SiloOf).Append(l.OwnerSilo).Distinct().Count();
        var available = l.SuccessorSilos.Append(l.OwnerSilo).Distinct().Count();
        return silos == Math.Min(Math.Min(l.Copies, l.SuccessorSilos.Length + 1), available);
    }

    [Property(Arbitrary = [typeof(ReplicaPlacementTests)], MaxTest = 1000)]
    public bool Removing_any_one_silo_leaves_a_copy_when_the_list_reaches_a_second_silo(Layout l)
    {
        var holders = l.Spread().Select(l.SiloOf).Append(l.OwnerSilo).ToList();
        var reachesSecond = l.SuccessorSilos.Any(s => s != l.OwnerSilo);
        return l.Copies < 2 || !reachesSecond || Enumerable.Range(0, 5).All(dead => holders.Any(h => h != dead));
    }

    [Property(Arbitrary = [typeof(ReplicaPlacementTests)], MaxTest = 1000)]
    public bool When_the_owners_silo_dies_its_first_live_successor_holds_a_copy(Layout l)
    {
        // Every peer of the owner's silo dies with it: the key's next owner is the first successor elsewhere.
        var firstLive = l.Successors.Cast<int?>().FirstOrDefault(s => l.SiloOf(s!.Value) != l.OwnerSilo);
        return l.Copies < 2 || firstLive is null || l.Spread().Contains(firstLive.Value);
    }

    [Property(Arbitrary = [typeof(ReplicaPlacementTests)], MaxTest = 1000)]
    public bool On_one_silo_placement_is_plain_chord(Layout l)
    {
        var oneSilo = l with { OwnerSilo = 0, SuccessorSilos = new int[l.SuccessorSilos.Length] };
        return oneSilo.Spread().SequenceEqual(ReplicaPlacement.Plain(oneSilo.Successors, l.Copies));
    }

    /// <summary>A layout and which successors' silos the owner knows (stabilize has not reported the others yet).</summary>
    public sealed record PartlyKnown(Layout Layout, bool[] Known)
    {
        public IReadOnlyList<int> Spread() => ReplicaPlacement.SpreadOverKnownHosts(
            Layout.OwnerSilo.ToString(CultureInfo.InvariantCulture), Layout.Successors,
            s => Known[s] ? Layout.SiloOf(s).ToString(CultureInfo.InvariantCulture) : null, Layout.Copies);

        public override string ToString() => $"{Layout}, known [{string.Join(", ", Known.Select(k => k ? 1 : 0))}]";
    }

    public static Arbitrary<PartlyKnown> PartlyKnownLayouts() =>
        (from l in Layouts().Generator
         from known in Gen.ArrayOf(Gen.Elements(true, false), l.SuccessorSilos.Length)
         select new PartlyKnown(l, known)).ToArbitrary();

    [Property(Arbitrary = [typeof(ReplicaPlacementTests)], MaxTest = 1000)]
    public bool With_unknown_silos_the_owners_first_successor_elsewhere_still_holds_a_copy(PartlyKnown p)
    {
        var l = p.Layout;
        var firstLive = l.Successors.Cast<int?>().FirstOrDefault(s => l.SiloOf(s!.Value) != l.OwnerSilo);
        var chosen = p.Spread();
        return chosen.Distinct().Count() == chosen.Count
            && chosen.Count >= ReplicaPlacement.Plain(l.Successors, l.Copies).Count
            && (l.Copies < 2 || firstLive is null || chosen.Contains(firstLive.Value));
    }

    [Property(Arbitrary = [typeof(ReplicaPlacementTests)], MaxTest = 1000)]
    public bool With_every_silo_known_the_walk_is_the_plain_spread(Layout l) =>
        new PartlyKnown(l, [.. l.SuccessorSilos.Select(_ => true)]).Spread().SequenceEqual(l.Spread());

    [Fact]
    public void A_successor_of_unknown_silo_gets_a_copy_without_covering_a_silo()
    {
        // Owner on A; successors on A (unknown), A (unknown), B, C: the unknown ones might be anywhere.
        string?[] silos = [null, null, "B", "C", "B"];
        Assert.Equal([0, 1, 2, 3], ReplicaPlacement.SpreadOverKnownHosts("A", [0, 1, 2, 3, 4], i => silos[i], 3));
        Assert.Equal([2, 3], ReplicaPlacement.SpreadOverKnownHosts("A", [2, 3, 4], i => silos[i], 3));
    }

    [Fact]
    public void The_greedy_walk_skips_successors_on_silos_that_hold_a_copy()
    {
        // Owner on A; successors on A, A, B, B, C: copies at the first B and the first C.
        string[] silos = ["A", "A", "B", "B", "C"];
        var chosen = ReplicaPlacement.Spread("A", [0, 1, 2, 3, 4], i => silos[i], 3);
        Assert.Equal([2, 4], chosen);

        // Only two silos for three copies: the third copy falls back to the first successor not taken.
        Assert.Equal([2, 0], ReplicaPlacement.Spread("A", [0, 1, 2, 3], i => silos[i], 3));
        Assert.Empty(ReplicaPlacement.Spread("A", [0, 1], i => silos[i], 1));
    }
}
