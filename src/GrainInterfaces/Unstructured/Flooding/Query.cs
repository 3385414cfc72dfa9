namespace P2POrleans.Unstructured.Flooding;

/// <summary>Query (0x80): minimum speed in kb/s, then the NUL-terminated search criteria (spec 2.2.4).</summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.Query")]
public sealed record Query([property: Id(0)] ushort MinimumSpeed, string SearchCriteria) : DescriptorPayload
{
    [Id(1)] public string SearchCriteria { get; init; } = SearchCriteria ?? throw new ArgumentNullException(nameof(SearchCriteria));

    public override PayloadType Type => PayloadType.Query;
}
