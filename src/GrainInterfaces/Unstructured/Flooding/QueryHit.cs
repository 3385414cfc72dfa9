
namespace P2POrleans.Unstructured.Flooding;

/// <summary>
/// QueryHit (0x81): number of hits, port, IP address, speed, the result set and, in the last 16
/// bytes, the servent id of the responder (spec 2.2.5). The hit count is the size of
/// <see cref="Results"/>; equality compares the result set element by element.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.QueryHit")]
public sealed record QueryHit : DescriptorPayload
{
    public QueryHit(ushort port, uint address, uint speed, IReadOnlyList<QueryHitResult> results, Guid serventId)
    {
        ArgumentNullException.ThrowIfNull(results);
        Port = port;
        Address = address;
        Speed = speed;
        Results = results.ToArray();
        ServentId = serventId;
    }

    [Id(0)] public ushort Port { get; init; }

    [Id(1)] public uint Address { get; init; }

    /// <summary>Speed of the responder in kb/s.</summary>
    [Id(2)] public uint Speed { get; init; }

    [Id(3)] public IReadOnlyList<QueryHitResult> Results { get; init; }

    [Id(4)] public Guid ServentId { get; init; }

    public int HitCount => Results.Count;

    public PeerEndpoint Endpoint => new(Address, Port);

    public override PayloadType Type => PayloadType.QueryHit;

    public bool Equals(QueryHit? other) =>
        other is not null
        && Port == other.Port
        && Address == other.Address
        && Speed == other.Speed
        && ServentId == other.ServentId
        && Results.SequenceEqual(other.Results);

    public override int GetHashCode() => HashCode.Combine(Port, Address, Speed, ServentId, Results.Count);
}
