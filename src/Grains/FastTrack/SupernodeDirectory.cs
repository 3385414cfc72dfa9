using P2POrleans.Unstructured;
using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.FastTrack;

/// <summary>
/// A supernode's index of its children's files, a small Napster server (a
/// <see cref="FileDirectory"/> inside) that also answers Gnutella-style Queries from other
/// supernodes: one QueryHit per matching child, carrying that child's servent id and address, so a
/// download (or a Push) goes to the child, not to the supernode.
/// </summary>
public sealed class SupernodeDirectory : IQueryResponder
{
    private readonly FileDirectory _directory = new();
    private readonly Dictionary<PeerEndpoint, ServentIdentity> _children = [];

    public SupernodeDirectory(int maxChildren = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChildren, 1);
        MaxChildren = maxChildren;
    }

    public int MaxChildren { get; }

    public int ChildCount => _children.Count;

    public bool IsFull => _children.Count >= MaxChildren;

    public int FileCount => _directory.FileCount;

    public IReadOnlyCollection<ServentIdentity> Children => _children.Values;

    public uint FilesShared => (uint)_directory.FileCount;

    public uint KilobytesShared => (uint)Math.Min(
        uint.MaxValue,
        _directory.OnlinePeers.SelectMany(_directory.FilesOf).Sum(e => (long)e.File.Size) / 1024);

    /// <summary>Indexes a child's files (replacing an earlier list); false when the supernode is full.</summary>
    public bool AddChild(ServentIdentity child, IEnumerable<SharedFile> files)
    {
        ArgumentNullException.ThrowIfNull(child);
        if (!_children.ContainsKey(child.Endpoint) && IsFull)
        {
            return false;
        }

        _children[child.Endpoint] = child;
        _directory.AddPeer(child.Endpoint, files);
        return true;
    }

    public bool RemoveChild(PeerEndpoint child)
    {
        _directory.RemovePeer(child);
        return _children.Remove(child);
    }

    public IReadOnlyList<DirectoryEntry> Search(string keywords) => _directory.Search(keywords);

    public IReadOnlyList<QueryHit> Answer(Query query, PeerEndpoint requester)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Search(query.SearchCriteria)
            .Where(e => e.Peer != requester)
            .GroupBy(e => e.Peer)
            .Select(g => (Child: _children[g.Key], Files: g.Select(e => e.File).ToArray()))
            .Where(c => c.Child.Speed >= query.MinimumSpeed)
            .OrderBy(c => c.Child.Endpoint)
            .SelectMany(c => LocalFilesResponder.ToQueryHits(c.Child, c.Files))
            .ToArray();
    }
}
