namespace P2POrleans.ClusterTests.BitTorrent;

/// <summary>A cluster of its own for the BitTorrent test that kills a silo (killed silos do not come back).</summary>
public sealed class SwarmKillableClusterFixture : ClusterFixture;
