namespace P2POrleans.Client.Bench;

/// <summary>What one lookup cost: routing hops, grain calls in all, and whether it found its key.</summary>
public readonly record struct BenchLookup(int Hops, int Messages, bool Success);
