namespace P2POrleans.Client.Soak;

/// <summary>What a read during the soak returned: the value (null if not found) and the lookup's simulated latency and hops.</summary>
public readonly record struct SoakRead(string? Value, double LatencyMs, int Hops);
