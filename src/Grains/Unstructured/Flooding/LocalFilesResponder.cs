
namespace P2POrleans.Unstructured.Flooding;

/// <summary>A servent's own shared files answering a Query (spec 2.2.4: only if its speed reaches the minimum).</summary>
public sealed class LocalFilesResponder : IQueryResponder
{
    private readonly ServentIdentity _identity;
    private readonly SharedLibrary _library;

    public LocalFilesResponder(ServentIdentity identity, SharedLibrary library)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(library);
        _identity = identity;
        _library = library;
    }

    public uint FilesShared => _library.FileCount;

    public uint KilobytesShared => _library.KilobytesShared;

    public IReadOnlyList<QueryHit> Answer(Query query, PeerEndpoint requester)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.MinimumSpeed > _identity.Speed)
        {
            return [];
        }

        var matches = _library.Match(new KeywordQuery(query.SearchCriteria));
        return ToQueryHits(_identity, matches);
    }

    /// <summary>One QueryHit per 255 results: the hit count is one byte (spec 2.2.5).</summary>
    public static IReadOnlyList<QueryHit> ToQueryHits(ServentIdentity identity, IReadOnlyList<SharedFile> files)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(files);
        return files.Chunk(byte.MaxValue)
            .Select(chunk => new QueryHit(
                identity.Endpoint.Port,
                identity.Endpoint.Address,
                identity.Speed,
                chunk.Select(f => new QueryHitResult(f.Index, f.Size, f.Name)).ToArray(),
                identity.ServentId))
            .ToArray();
    }
}
