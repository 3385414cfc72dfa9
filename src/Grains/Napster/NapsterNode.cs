using P2POrleans.Common;
using P2POrleans.Unstructured;

namespace P2POrleans.Napster;

/// <summary>
/// One Napster client's state and rules: the files it shares (its whole list goes to the server on
/// every login), the peers the introducer named, its uploads, and how a server's answer becomes
/// the search's hits. No Orleans types: <see cref="NapsterPeerGrain"/> holds one.
/// </summary>
public sealed class NapsterNode
{
    private static readonly DescriptorCounts SearchRequest = new(0, 0, 0, 1, 0);
    private static readonly DescriptorCounts SearchAnswer = new(0, 0, 0, 0, 1);

    public NapsterNode(int node, NapsterParameters parameters, IReadOnlyList<SharedFile> files)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(files);
        Node = node;
        Parameters = parameters;
        Identity = UnstructuredWorld.Identity(parameters.Seed, node);
        Library = new SharedLibrary(files);
    }

    public int Node { get; }

    public NapsterParameters Parameters { get; }

    public ServentIdentity Identity { get; }

    public PeerEndpoint Endpoint => Identity.Endpoint;

    public SharedLibrary Library { get; private set; }

    /// <summary>The peers the introducer handed this one when it joined (its `peers` links).</summary>
    public IReadOnlyList<PeerEndpoint> Introduced { get; set; } = [];

    public long Uploads { get; private set; }

    /// <summary>Requests sent to the server.</summary>
    public DescriptorCounts Sent { get; private set; } = DescriptorCounts.Zero;

    /// <summary>Napster peers accept connections: the ping answers with the speed only.</summary>
    public PeerProbe Probe => new(Identity.Speed, false);

    public SharedFile Share(string name, uint size)
    {
        var (library, file) = Library.With(name, size);
        Library = library;
        return file;
    }

    /// <summary>Sends a file to a requester (counted: uploads are what `peers` shows as the reputation column).</summary>
    public SharedFile Upload(uint fileIndex)
    {
        var file = Library.Find(fileIndex) ?? throw new P2PException($"peer {Node} has no file {fileIndex}");
        Uploads++;
        return file;
    }

    /// <summary>
    /// The server's answer as the search's outcome: one request and one answer, the entries of other
    /// peers as hits (a hit's path back is the server, -1, then this peer), one hop.
    /// </summary>
    public QueryOutcome Searched(string text, IReadOnlyList<DirectoryEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Sent += SearchRequest;
        var hits = entries.Where(e => e.Peer != Endpoint).Select(e =>
        {
            var node = UnstructuredNodes.NodeOf(e.Peer);
            var identity = UnstructuredWorld.Identity(Parameters.Seed, node);
            return new FoundFile(node, e.Peer, e.File, identity.ServentId, identity.Speed, [-1, Node]);
        }).ToList();
        return new QueryOutcome(NapsterParameters.Name, text, Node, 1, hits, [Node], SearchRequest + SearchAnswer, hits.Count > 0 ? 1 : null, null);
    }

    /// <summary>The server is down: the request went unanswered.</summary>
    public static QueryOutcome SearchFailed(int node, string text, string error) =>
        new(NapsterParameters.Name, text, node, 1, [], [node], SearchRequest, null, error);

    public UnstructuredPeerView View() =>
        new(Node, Endpoint, "client", Library.Files.Count, Introduced.Select(UnstructuredNodes.NodeOf).ToList(), false, Sent, DescriptorCounts.Zero, 0, 0, Uploads);
}
