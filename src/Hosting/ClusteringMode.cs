namespace P2POrleans.Hosting;

/// <summary>How silos find each other and clients find gateways (docs/cluster.md).</summary>
public enum ClusteringMode
{
    /// <summary>Orleans' development clustering: silos on this machine, the first one is the primary.</summary>
    Localhost,

    /// <summary>Microsoft.Orleans.Clustering.Redis: the membership table lives in a Redis hash.</summary>
    Redis,
}
