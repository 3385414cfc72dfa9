namespace P2POrleans.Unstructured;

/// <summary>How the overlay links between the peers are generated (docs/gnutella.md, topologies).</summary>
[GenerateSerializer, Alias("p2p.unstructured.TopologyKind")]
public enum TopologyKind
{
    /// <summary>A complete ternary tree of a given depth.</summary>
    Tree = 0,

    /// <summary>A random regular graph of a given degree.</summary>
    Random = 1,

    /// <summary>Barabási–Albert preferential attachment (power-law degrees).</summary>
    PowerLaw = 2,

    /// <summary>An edge list read from a file.</summary>
    Edges = 3,
}
