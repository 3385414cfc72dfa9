using P2POrleans.Common;

namespace P2POrleans.Kelips;

/// <summary>
/// The partition of peers and files into k affinity groups (Kelips section 2). A peer's id is
/// already a SHA-1 value, so its group is id mod k; a file's group is SHA-1(name) mod k.
/// </summary>
public sealed class AffinityGroups
{
    public AffinityGroups(int count)
    {
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "there must be at least one affinity group");
        }

        Count = count;
    }

    public int Count { get; }

    /// <summary>k = ceil(sqrt(n)), the size that balances view and contact memory (section 2).</summary>
    public static int DefaultGroupCount(int expectedPeers)
    {
        if (expectedPeers < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(expectedPeers), expectedPeers, "expected peers must be at least 1");
        }

        var k = (int)Math.Sqrt(expectedPeers);
        while ((long)k * k < expectedPeers)
        {
            k++;
        }

        return Math.Max(1, k);
    }

    /// <summary>The affinity group of a peer: its id mod k.</summary>
    public int Of(NodeId id)
    {
        // Horner over the 20 big-endian bytes: no BigInteger on the gossip path.
        Span<byte> bytes = stackalloc byte[20];
        id.WriteBigEndian(bytes);
        ulong r = 0;
        foreach (var b in bytes)
        {
            r = ((r << 8) | b) % (ulong)Count;
        }

        return (int)r;
    }

    /// <summary>The affinity group of a file: SHA-1 of its name, mod k.</summary>
    public int OfFile(string fileName) => Of(IdSpace.Sha1.Hash(fileName));
}
