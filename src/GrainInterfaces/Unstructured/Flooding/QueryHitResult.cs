namespace P2POrleans.Unstructured.Flooding;

/// <summary>One entry of a QueryHit result set: file index, file size, file name (spec 2.2.5).</summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.QueryHitResult")]
public sealed record QueryHitResult([property: Id(0)] uint FileIndex, [property: Id(1)] uint FileSize, string FileName)
{
    [Id(2)] public string FileName { get; init; } = FileName ?? throw new ArgumentNullException(nameof(FileName));
}
