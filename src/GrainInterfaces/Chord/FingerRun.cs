using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>Fingers From..(next run's From - 1) all point at Node (0-based: finger i starts at n + 2^i).</summary>
[GenerateSerializer, Immutable, Alias("p2p.chord.FingerRun")]
public readonly record struct FingerRun(
    [property: Id(0)] int From,
    [property: Id(1)] NodeId Node);
