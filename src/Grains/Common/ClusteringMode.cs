namespace P2POrleans.Common;

/// <summary>How silos find each other and clients find gateways (DESIGN.md section 10).</summary>
public enum ClusteringMode
{
    /// <summary>Orleans' development clustering: silos on this machine, the first one is the primary.</summary>
    Localhost,

    /// <summary>Microsoft.Orleans.Clustering.Redis: the membership table lives in a Redis hash.</summary>
    Redis,
}
