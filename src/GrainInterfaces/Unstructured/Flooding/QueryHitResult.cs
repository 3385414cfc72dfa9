namespace P2POrleans.Unstructured.Flooding;

/// <summary>One entry of a QueryHit result set: file index, file size, file name (spec 2.2.5).</summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.QueryHitResult")]
public sealed record QueryHitResult
{
    public QueryHitResult(uint fileIndex, uint fileSize, string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        FileIndex = fileIndex;
        FileSize = fileSize;
        FileName = fileName;
    }

    [Id(0)] public uint FileIndex { get; init; }

    [Id(1)] public uint FileSize { get; init; }

    [Id(2)] public string FileName { get; init; }
}
