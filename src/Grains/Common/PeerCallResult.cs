namespace P2POrleans.Common;

/// <summary>How one call to another peer ended (<see cref="PeerCalls{TPeer}"/>).</summary>
/// <param name="Fault">Why it failed; <see cref="PeerFault.None"/> when it answered.</param>
/// <param name="Forgotten">Whether the caller dropped the peer from its tables (see <see cref="PeerCalls{TPeer}.ShouldForget"/>).</param>
public readonly record struct PeerCallResult(PeerFault Fault, bool Forgotten)
{
    public static PeerCallResult Answered => default;

    public bool Ok => Fault == PeerFault.None;
}

/// <summary>How one call to another peer ended, with its answer when it answered.</summary>
public readonly record struct PeerCallResult<T>(PeerFault Fault, bool Forgotten, T? Value)
{
    public bool Ok => Fault == PeerFault.None;

    public PeerCallResult WithoutValue() => new(Fault, Forgotten);
}
