namespace P2POrleans.Tests.Pastry;

/// <summary>A random network to build: everything else is derived from the seed.</summary>
public sealed record NetworkCase(int Seed, int Nodes, int DigitBits, int LeafSetSize, bool Proximity, bool Clustered);
