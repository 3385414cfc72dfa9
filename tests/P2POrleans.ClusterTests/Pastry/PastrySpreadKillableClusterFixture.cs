namespace P2POrleans.ClusterTests.Pastry;

/// <summary>A cluster of its own for the volatile replica-placement test, which kills a silo.</summary>
public sealed class PastrySpreadKillableClusterFixture : ClusterFixture;
