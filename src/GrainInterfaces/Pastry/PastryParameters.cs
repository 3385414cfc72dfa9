using P2POrleans.Common;

namespace P2POrleans.Pastry;

/// <summary>
/// The parameters of a Pastry overlay (Rowstron and Druschel 2001, section 2): ids of
/// <see cref="IdBits"/> bits read as digits of <see cref="DigitBits"/> bits (b), a leaf set of
/// <see cref="LeafSetSize"/> (|L|) ids, a neighbourhood set of <see cref="NeighbourhoodSize"/> (|M|)
/// peers, and whether routing-table slots are chosen by proximity (section 2.5).
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.pastry.Parameters")]
public sealed record PastryParameters
{
    public static PastryParameters Default { get; } = new();

    /// <summary>m, 128 in the paper. Ids up to 128 bits are supported.</summary>
    [Id(0)] public int IdBits { get; init; } = 128;

    /// <summary>b, 4 in the paper; 1..8 allowed.</summary>
    [Id(1)] public int DigitBits { get; init; } = 4;

    /// <summary>|L|: |L|/2 numerically closest smaller and |L|/2 closest larger ids. Even, at least 2.</summary>
    [Id(2)] public int LeafSetSize { get; init; } = 16;

    /// <summary>|M|: the peers closest by the proximity metric.</summary>
    [Id(3)] public int NeighbourhoodSize { get; init; } = 32;

    /// <summary>Proximity neighbour selection: keep the lowest-RTT candidate in every slot.</summary>
    [Id(4)] public bool ProximitySelection { get; init; } = true;

    public IdSpace Space => new(IdBits);

    /// <summary>ceil(m / b): the rows a routing table can have.</summary>
    public int Rows => Space.DigitCount(DigitBits);

    /// <summary>2^b.</summary>
    public int Columns => 1 << DigitBits;

    /// <summary>Values digit <paramref name="row"/> can take: 2^b, fewer for a short last digit (b not dividing m).</summary>
    public int ColumnsInRow(int row) => 1 << Math.Min(DigitBits, IdBits - (row * DigitBits));

    public PastryParameters Validate()
    {
        if (IdBits is < 1 or > 128)
        {
            throw new ArgumentOutOfRangeException(nameof(IdBits), IdBits, "Pastry ids are 1 to 128 bits");
        }

        if (DigitBits is < 1 or > 8 || DigitBits > IdBits)
        {
            throw new ArgumentOutOfRangeException(nameof(DigitBits), DigitBits, "b must be 1..8 and at most the id bits");
        }

        if (LeafSetSize < 2 || LeafSetSize % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(LeafSetSize), LeafSetSize, "the leaf set size must be even and at least 2");
        }

        if (NeighbourhoodSize < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(NeighbourhoodSize), NeighbourhoodSize, "the neighbourhood size cannot be negative");
        }

        return this;
    }
}
