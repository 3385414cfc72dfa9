using P2POrleans.Common;

namespace P2POrleans.Pastry;

/// <summary>
/// The parameters of a Pastry overlay (Rowstron and Druschel 2001, section 2): ids of
/// <see cref="Bits"/> bits read as digits of <see cref="DigitBits"/> bits (b), a leaf set of
/// <see cref="LeafSetSize"/> (|L|) ids, a neighbourhood set of <see cref="NeighbourhoodSize"/> (|M|)
/// peers, whether routing-table slots are chosen by proximity (section 2.5), the copies of each key
/// (k, on the k numerically closest peers, PAST-style) and the lookup mode.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.pastry.Parameters")]
public sealed record PastryParameters : OverlayParameters
{
    public const string Name = "pastry";

    public static PastryParameters Default { get; } = new();

    public override string Protocol => Name;

    /// <summary>m, 128 in the paper. Ids up to 128 bits are supported.</summary>
    [Id(0)] public int Bits { get; init; } = 128;

    /// <summary>b, 4 in the paper; 1..8 allowed.</summary>
    [Id(1)] public int DigitBits { get; init; } = 4;

    /// <summary>|L|: |L|/2 numerically closest smaller and |L|/2 closest larger ids. Even, at least 2.</summary>
    [Id(2)] public int LeafSetSize { get; init; } = 16;

    /// <summary>|M|: the peers closest by the proximity metric.</summary>
    [Id(3)] public int NeighbourhoodSize { get; init; } = 32;

    /// <summary>Proximity neighbour selection: keep the lowest-RTT candidate in every slot.</summary>
    [Id(4)] public bool ProximitySelection { get; init; } = true;

    /// <summary>k: copies of every key, on the k numerically closest peers (within the leaf set).</summary>
    [Id(5)] public int Replicas { get; init; } = 4;

    [Id(6)] public PastryMode Mode { get; init; } = PastryMode.Iterative;

    /// <summary>
    /// Durable peers: each peer persists its leaf set, tables and keys with grain storage,
    /// so a silo crash relocates it with its state instead of losing it (docs/pastry.md).
    /// </summary>
    [Id(7)] public bool Durable { get; init; }

    /// <summary>Replica placement awareness: the k copies go to leaf-set members on distinct silos, closest first.</summary>
    [Id(8)] public bool SpreadReplicas { get; init; }

    public override bool IsDurable => Durable;

    public override int IdBits => Bits;

    /// <summary>ceil(m / b): the rows a routing table can have.</summary>
    public int Rows => Space.DigitCount(DigitBits);

    /// <summary>2^b.</summary>
    public int Columns => 1 << DigitBits;

    /// <summary>Values digit <paramref name="row"/> can take: 2^b, fewer for a short last digit (b not dividing m).</summary>
    public int ColumnsInRow(int row) => 1 << Math.Min(DigitBits, IdBits - (row * DigitBits));

    public override IEnumerable<string> Validate()
    {
        foreach (var problem in base.Validate().Concat(StateProblems()))
        {
            yield return problem;
        }

        if (Replicas < 1 || Replicas > (LeafSetSize / 2) + 1)
        {
            yield return $"replicas must be between 1 and |L|/2 + 1 = {(LeafSetSize / 2) + 1} (got {Replicas})";
        }

        if (!Enum.IsDefined(Mode))
        {
            yield return $"mode must be iterative or recursive (got {Mode})";
        }
    }

    /// <summary>Throws on the first problem of the node-state parameters (the pure classes call it); returns this for chaining.</summary>
    public PastryParameters EnsureValid()
    {
        var problem = StateProblems().FirstOrDefault();
        return problem is null ? this : throw new ArgumentOutOfRangeException(nameof(PastryParameters), problem);
    }

    /// <summary>Problems of the parameters a node's state depends on (m, b, |L|, |M|).</summary>
    private IEnumerable<string> StateProblems()
    {
        if (Bits is < 1 or > 128)
        {
            yield return $"bits must be between 1 and 128 (got {Bits})";
        }

        if (DigitBits is < 1 or > 8 || DigitBits > Bits)
        {
            yield return $"b must be between 1 and 8 and at most the id bits (got {DigitBits})";
        }

        if (LeafSetSize is < 2 or > 256 || LeafSetSize % 2 != 0)
        {
            yield return $"the leaf set size must be even and between 2 and 256 (got {LeafSetSize})";
        }

        if (NeighbourhoodSize is < 0 or > 256)
        {
            yield return $"the neighbourhood size must be between 0 and 256 (got {NeighbourhoodSize})";
        }
    }
}
