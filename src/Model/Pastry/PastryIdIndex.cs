using P2POrleans.Common;
using P2POrleans.Pastry.Tables;

namespace P2POrleans.Pastry;

/// <summary>
/// The sorted ids of a membership, for ground truth: the numerically closest node to a key, the
/// ideal leaf set of a node, and the candidates of a routing-table slot — ids sharing a digit
/// prefix are a contiguous run of the sorted array, so each query is a binary search, O(log N).
/// </summary>
public sealed class PastryIdIndex
{
    private readonly UInt128[] _keys;
    private readonly NodeId[] _ids;

    public PastryIdIndex(IEnumerable<NodeId> ids, PastryParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters.EnsureValid();
        var space = parameters.Space;
        var keys = new List<UInt128>();
        foreach (var id in ids)
        {
            if (!space.Contains(id))
            {
                throw new ArgumentOutOfRangeException(nameof(ids), id, "an id is outside the id space");
            }

            keys.Add(PastryBits.ToUInt128(id));
        }

        keys.Sort();
        _keys = [.. keys.Distinct()];
        _ids = Array.ConvertAll(_keys, PastryBits.FromUInt128);
    }

    public PastryParameters Parameters { get; }

    public int Count => _ids.Length;

    /// <summary>The ids in increasing order.</summary>
    public IReadOnlyList<NodeId> Ids => _ids;

    public int IndexOf(NodeId id)
    {
        var i = Array.BinarySearch(_keys, PastryBits.ToUInt128(id));
        return i < 0 ? -1 : i;
    }

    public bool Contains(NodeId id) => IndexOf(id) >= 0;

    /// <summary>The live node numerically closest to the key (ties as <see cref="PastryMetric"/>).</summary>
    public NodeId NumericallyClosest(NodeId key)
    {
        if (_ids.Length == 0)
        {
            throw new InvalidOperationException("no live nodes");
        }

        var p = LowerBound(PastryBits.ToUInt128(key));
        var above = _ids[p % _ids.Length];
        var below = _ids[(p - 1 + _ids.Length) % _ids.Length];
        return PastryMetric.IsCloser(Parameters.Space, key, below, above) ? below : above;
    }

    /// <summary>Indices [Start, End) of the ids that share at least <paramref name="digits"/> digits with owner.</summary>
    public (int Start, int End) PrefixRange(NodeId owner, int digits)
    {
        var bits = Math.Min(digits * Parameters.DigitBits, Parameters.IdBits);
        var (low, high) = PastryBits.PrefixRange(PastryBits.ToUInt128(owner), bits, Parameters.IdBits);
        return (LowerBound(low), UpperBound(high));
    }

    /// <summary>Indices [Start, End) of the candidates for owner's R[row][column].</summary>
    public (int Start, int End) SlotRange(NodeId owner, int row, int column)
    {
        var (low, high) = PastryBits.SlotRange(PastryBits.ToUInt128(owner), row, column, Parameters.DigitBits, Parameters.IdBits);
        return (LowerBound(low), UpperBound(high));
    }

    /// <summary>The |L|/2 ids closest counter-clockwise of owner within half the circle (owner excluded), closest first.</summary>
    public IReadOnlyList<NodeId> IdealSmaller(NodeId owner) => Walk(owner, clockwise: false);

    /// <summary>The |L|/2 ids closest clockwise of owner within half the circle (owner excluded), closest first.</summary>
    public IReadOnlyList<NodeId> IdealLarger(NodeId owner) => Walk(owner, clockwise: true);

    private List<NodeId> Walk(NodeId owner, bool clockwise)
    {
        var key = PastryBits.ToUInt128(owner);
        var n = _ids.Length;
        var others = n - (IndexOf(owner) >= 0 ? 1 : 0);
        var take = Math.Min(Parameters.LeafSetSize / 2, others);
        var result = new List<NodeId>(take);
        var space = Parameters.Space;
        var half = space.PowerOfTwo(space.Bits - 1);
        var i = clockwise ? UpperBound(key) : LowerBound(key) - 1;
        for (var step = 0; step < n && result.Count < take; step++)
        {
            var id = _ids[((i % n) + n) % n];
            if (id != owner)
            {
                // A side holds nodes within half the circle in its direction (see LeafSet).
                if ((clockwise ? space.Distance(owner, id) : space.Distance(id, owner)) > half)
                {
                    break;
                }

                result.Add(id);
            }

            i += clockwise ? 1 : -1;
        }

        return result;
    }

    /// <summary>First index whose key is at least value.</summary>
    private int LowerBound(UInt128 value)
    {
        int lo = 0, hi = _keys.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_keys[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>First index whose key is greater than value.</summary>
    private int UpperBound(UInt128 value)
    {
        int lo = 0, hi = _keys.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_keys[mid] <= value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
