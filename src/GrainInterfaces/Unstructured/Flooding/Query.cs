namespace P2POrleans.Unstructured.Flooding;

/// <summary>Query (0x80): minimum speed in kb/s, then the NUL-terminated search criteria (spec 2.2.4).</summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.Query")]
public sealed record Query : DescriptorPayload
{
    public Query(ushort minimumSpeed, string searchCriteria)
    {
        ArgumentNullException.ThrowIfNull(searchCriteria);
        MinimumSpeed = minimumSpeed;
        SearchCriteria = searchCriteria;
    }

    [Id(0)] public ushort MinimumSpeed { get; init; }

    [Id(1)] public string SearchCriteria { get; init; }

    public override PayloadType Type => PayloadType.Query;
}
