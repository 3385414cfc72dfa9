using P2POrleans.Common;

namespace P2POrleans.Unstructured;

/// <summary>
/// The peers, links and files an unstructured overlay starts with, derived from its parameters
/// only (each from its own seeded stream), so a Napster, a Gnutella and a FastTrack overlay with
/// the same values have the same peers sharing the same files.
/// </summary>
public sealed class UnstructuredWorld
{
    private static readonly string[] Artists =
    [
        "beatles", "madonna", "metallica", "eminem", "radiohead", "nirvana", "shakira", "moby", "coldplay", "oasis",
        "blur", "bjork", "prince", "queen", "abba", "u2", "rem", "pixies", "portishead", "daftpunk",
    ];

    private static readonly string[] Songs =
    [
        "yesterday", "vogue", "one", "stan", "creep", "lithium", "loba", "porcelain", "yellow", "wonderwall",
        "song2", "joga", "kiss", "bohemian", "waterloo", "elevation", "imitation", "debaser", "roads", "around",
    ];

    private static readonly uint[] Speeds = [56, 128, 384, 1_000, 10_000]; // modem to LAN, kb/s

    private UnstructuredWorld(UnstructuredParameters parameters, Topology topology)
    {
        Parameters = parameters;
        Topology = topology;
        Catalogue = Enumerable.Range(0, parameters.Titles).Select(Title).ToArray();
        Libraries = FileDistribution.Assign(
            topology.NodeCount, Catalogue, parameters.FilesPerPeer, parameters.FreeRiders, SeededRandom.Create(parameters.Seed, "files"));
        FirewalledPeers = FileDistribution.FreeRiders(topology.NodeCount, parameters.Firewalled, SeededRandom.Create(parameters.Seed, "firewall"));
    }

    public UnstructuredParameters Parameters { get; }

    public Topology Topology { get; }

    public int PeerCount => Topology.NodeCount;

    public IReadOnlyList<string> Catalogue { get; }

    public IReadOnlyList<SharedLibrary> Libraries { get; }

    public IReadOnlySet<int> FirewalledPeers { get; }

    /// <summary>Builds the world; a malformed edge list or impossible graph throws <see cref="P2PException"/>.</summary>
    public static UnstructuredWorld Build(UnstructuredParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return new UnstructuredWorld(parameters, BuildTopology(parameters));
    }

    public static Topology BuildTopology(UnstructuredParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var rng = SeededRandom.Create(parameters.Seed, "topology");
        try
        {
            return parameters.Topology switch
            {
                TopologyKind.Tree => TopologyGenerator.TernaryTree(parameters.Depth),
                TopologyKind.Random => TopologyGenerator.RandomRegular(parameters.Peers, parameters.Degree, rng),
                TopologyKind.PowerLaw => TopologyGenerator.BarabasiAlbert(parameters.Peers, Math.Max(1, parameters.Degree / 2), rng),
                _ => TopologyGenerator.ParseEdgeList(parameters.EdgeList ?? ""),
            };
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new P2PException("cannot build the topology: " + e.Message, e);
        }
    }

    /// <summary>Title i of the catalogue: "artist - song.mp3", then numbered takes past 400.</summary>
    public static string Title(int i)
    {
        var artist = Artists[i % Artists.Length];
        var song = Songs[(i / Artists.Length) % Songs.Length];
        var take = i / (Artists.Length * Songs.Length);
        return take == 0 ? $"{artist} - {song}.mp3" : $"{artist} - {song} take{take}.mp3";
    }

    /// <summary>Servent id, address and speed of peer n, from the seed.</summary>
    public static ServentIdentity Identity(long seed, int node)
    {
        var rng = SeededRandom.Create(seed, "servent", UnstructuredNodes.IdOf(node));
        Span<byte> id = stackalloc byte[16];
        rng.NextBytes(id);
        return new ServentIdentity(new Guid(id), UnstructuredNodes.EndpointOf(node), Speeds[rng.Next(Speeds.Length)]);
    }

    /// <summary>Bytes per second a peer uploads at (its advertised speed in kb/s).</summary>
    public static double BytesPerSecond(ServentIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return identity.Speed * 1000.0 / 8;
    }

    /// <summary>Queries for an experiment: titles drawn with the same Zipf popularity as the files, as "artist song".</summary>
    public IReadOnlyList<string> SampleQueries(int count, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var weights = Enumerable.Range(0, Catalogue.Count).Select(i => 1.0 / (i + 1)).ToArray();
        var sum = weights.Sum();
        var queries = new List<string>(count);
        for (var q = 0; q < count; q++)
        {
            var x = rng.NextDouble() * sum;
            var i = 0;
            while (i < weights.Length - 1 && x > weights[i])
            {
                x -= weights[i];
                i++;
            }

            queries.Add(QueryFor(Catalogue[i]));
        }

        return queries;
    }

    /// <summary>The words of a title without the extension: "beatles yesterday".</summary>
    public static string QueryFor(string title) =>
        string.Join(' ', KeywordQuery.SplitWords(title).Where(w => w != "mp3"));
}
