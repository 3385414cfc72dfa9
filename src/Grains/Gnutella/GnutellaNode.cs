using P2POrleans.Common;
using P2POrleans.Unstructured;
using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.Gnutella;

/// <summary>
/// One Gnutella 0.4 servent's state and rules beyond routing (which is <see cref="Servent"/>'s):
/// its files, whether it is firewalled, the downloads a Push brought it (GIV), and who may download
/// from whom. No Orleans types: <see cref="GnutellaPeerGrain"/> holds one and carries its descriptors.
/// </summary>
public sealed class GnutellaNode
{
    private readonly Dictionary<(Guid Servent, uint Index), SharedFile> _received = [];

    public GnutellaNode(int node, ServentSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        Node = node;
        Parameters = setup.Parameters;
        Firewalled = setup.Firewalled;
        var identity = UnstructuredWorld.Identity(Parameters.Seed, node);
        Files = new MutableFilesResponder(identity, new SharedLibrary(setup.Files));
        Servent = new Servent(identity, Files, ServentOptions.For(Parameters), SeededRandom.Create(Parameters.Seed, "descriptors", UnstructuredNodes.IdOf(node)));
        foreach (var n in setup.Neighbours)
        {
            Connect(n);
        }
    }

    public int Node { get; }

    public GnutellaParameters Parameters { get; }

    public Servent Servent { get; }

    public MutableFilesResponder Files { get; }

    /// <summary>Behind a firewall: it accepts no connection, so a download from it needs a Push (spec 2.2.6).</summary>
    public bool Firewalled { get; }

    public IEnumerable<int> Neighbours => Servent.Neighbours.Select(UnstructuredNodes.NodeOf);

    public PeerProbe Probe => new(Servent.Identity.Speed, Firewalled);

    public void Connect(int neighbour) => Servent.AddNeighbour(UnstructuredNodes.EndpointOf(neighbour));

    public void Disconnect(int neighbour) => Servent.RemoveNeighbour(UnstructuredNodes.EndpointOf(neighbour));

    /// <summary>The simulated time of a round of the overlay's stepped clock (what caches and tables expire by).</summary>
    public TimeSpan TimeOf(long round) => TimeSpan.FromSeconds(round * (double)Parameters.RoundSeconds);

    /// <summary>HTTP GET /get/&lt;index&gt;/: a firewalled servent refuses the connection.</summary>
    public SharedFile Download(uint fileIndex) =>
        Firewalled
            ? throw new P2PException($"peer {Node} is firewalled: connection refused (send a Push)")
            : Files.Library.Find(fileIndex) ?? throw new P2PException($"peer {Node} has no file {fileIndex}");

    /// <summary>A Push delivered here: the file to send with GIV, and to whom; null when it names no file of ours.</summary>
    public (int To, SharedFile File)? Giv(Push push)
    {
        ArgumentNullException.ThrowIfNull(push);
        return Files.Library.Find(push.FileIndex) is { } file ? (UnstructuredNodes.NodeOf(push.Endpoint), file) : null;
    }

    /// <summary>A firewalled host's GIV arrived: the file is here.</summary>
    public void Received(Guid serventId, SharedFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        _received[(serventId, file.Index)] = file;
    }

    public SharedFile? ReceivedFrom(Guid serventId, uint fileIndex) => _received.GetValueOrDefault((serventId, fileIndex));

    /// <summary>A firewalled requester cannot take a GIV from a firewalled host: both sides refuse connections.</summary>
    public bool CanDownloadFrom(ProbedHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return !(host.Firewalled && Firewalled);
    }

    public UnstructuredPeerView View(long rejected) =>
        new(Node, Servent.Endpoint, "servent", Files.Library.Files.Count, Neighbours.Order().ToList(), Firewalled,
            CountsOf.Sent(Servent.Counters), CountsOf.Received(Servent.Counters), Servent.Counters.Duplicates, rejected, 0);
}
