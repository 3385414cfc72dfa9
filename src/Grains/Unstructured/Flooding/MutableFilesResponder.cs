
namespace P2POrleans.Unstructured.Flooding;

/// <summary>A servent's own files answering Queries, with a library that `share` can replace.</summary>
public sealed class MutableFilesResponder(ServentIdentity identity, SharedLibrary library) : IQueryResponder
{
    private LocalFilesResponder _inner = new(identity, library);

    public SharedLibrary Library { get; private set; } = library;

    public uint FilesShared => _inner.FilesShared;

    public uint KilobytesShared => _inner.KilobytesShared;

    public IReadOnlyList<QueryHit> Answer(Query query, PeerEndpoint requester) => _inner.Answer(query, requester);

    public void Replace(SharedLibrary library)
    {
        ArgumentNullException.ThrowIfNull(library);
        Library = library;
        _inner = new LocalFilesResponder(identity, library);
    }

    /// <summary>Adds a file with the next free index.</summary>
    public SharedFile Add(string name, uint size)
    {
        var (library, file) = Library.With(name, size);
        Replace(library);
        return file;
    }
}
