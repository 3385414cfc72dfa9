namespace P2POrleans.Common;

/// <summary>
/// Why a call to another peer failed, as the call policy (<see cref="PeerCalls{TPeer}"/>) tells them
/// apart. Only <see cref="NotMember"/> is an answer from the peer itself; the other two mean nothing
/// came back, so the peer may be alive behind a crashed, hung or partitioned silo.
/// </summary>
public enum PeerFault
{
    /// <summary>The call answered.</summary>
    None = 0,

    /// <summary>The peer answered that it is not a member (it failed, left or never joined): it is gone for good.</summary>
    NotMember = 1,

    /// <summary>Its silo could not be reached: connection refused, silo declared dead, message rejected.</summary>
    SiloUnreachable = 2,

    /// <summary>No answer within the per-call timeout (a hung or overloaded silo, or a partition).</summary>
    TimedOut = 3,
}
