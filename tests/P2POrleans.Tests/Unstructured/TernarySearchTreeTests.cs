using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.Unstructured;

namespace P2POrleans.Tests.Unstructured;

/// <summary>The ternary search tree against SortedDictionary (ordinal) as the reference, over random operation sequences.</summary>
public sealed class TernarySearchTreeTests
{
    public sealed record Op(bool Insert, string Key, int Value);

    private static readonly Gen<string> _keys =
        from length in Gen.Choose(1, 4)
        from chars in Gen.ArrayOf(Gen.Elements('a', 'b', 'Z', 'é'), length)
        select new string(chars);

    public static Arbitrary<Op[]> Operations() =>
        Gen.ArrayOf(
            from insert in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
            from key in _keys
            from value in Gen.Choose(0, 1000)
            select new Op(insert, key, value)).ToArbitrary();

    private static (TernarySearchTree<int> Tree, SortedDictionary<string, int> Reference) Apply(Op[] ops)
    {
        var tree = new TernarySearchTree<int>();
        var reference = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var op in ops)
        {
            if (op.Insert)
            {
                Assert.Equal(!reference.ContainsKey(op.Key), tree.Insert(op.Key, op.Value));
                reference[op.Key] = op.Value;
            }
            else
            {
                Assert.Equal(reference.Remove(op.Key), tree.Remove(op.Key));
            }
        }

        return (tree, reference);
    }

    [Property(Arbitrary = [typeof(TernarySearchTreeTests)], MaxTest = 300)]
    public void Exact_lookup_matches_the_reference(Op[] ops)
    {
        var (tree, reference) = Apply(ops);
        Assert.Equal(reference.Count, tree.Count);
        foreach (var key in ops.Select(o => o.Key).Concat(["a", "ab", "zzz", "Zé"]).Distinct())
        {
            var found = tree.TryGetValue(key, out var value);
            Assert.Equal(reference.TryGetValue(key, out var expected), found);
            if (found)
            {
                Assert.Equal(expected, value);
            }
        }
    }

    [Property(Arbitrary = [typeof(TernarySearchTreeTests)], MaxTest = 300)]
    public void Prefix_search_lists_the_reference_keys_with_that_prefix_in_ordinal_order(Op[] ops)
    {
        var (tree, reference) = Apply(ops);
        var prefixes = ops.SelectMany(o => Enumerable.Range(0, o.Key.Length + 1).Select(n => o.Key[..n])).Concat(["q", "éé"]).Distinct();
        foreach (var prefix in prefixes)
        {
            var expected = reference.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToArray();
            Assert.Equal(expected, tree.PrefixSearch(prefix));
            Assert.Equal(expected.Take(2), tree.PrefixSearch(prefix, maxResults: 2));
        }
    }

    [Property(Arbitrary = [typeof(TernarySearchTreeTests)], MaxTest = 200)]
    public void Deleting_every_key_prunes_the_tree_to_nothing(Op[] ops)
    {
        var (tree, reference) = Apply(ops);
        foreach (var key in reference.Keys.ToArray())
        {
            Assert.True(tree.Remove(key));
        }

        Assert.Equal(0, tree.Count);
        Assert.Equal(0, tree.NodeCount());
        Assert.Empty(tree.PrefixSearch(string.Empty));
    }

    [Fact]
    public void Empty_keys_are_refused()
    {
        var tree = new TernarySearchTree<int>();
        Assert.Throws<ArgumentException>(() => tree.Insert(string.Empty, 1));
        Assert.Throws<ArgumentException>(() => tree.TryGetValue(string.Empty, out _));
    }

    [Fact]
    public void A_very_long_key_does_not_overflow_the_stack()
    {
        var tree = new TernarySearchTree<int>();
        var key = new string('a', 200_000);
        tree.Insert(key, 1);
        tree.Insert(key[..^1] + "b", 2);
        Assert.Equal(2, tree.PrefixSearch(key[..1000]).Count);
        Assert.True(tree.Remove(key));
        Assert.True(tree.TryGetValue(key[..^1] + "b", out var v) && v == 2);
    }
}
