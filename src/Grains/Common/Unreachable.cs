using Orleans.Runtime;

namespace P2POrleans.Common;

/// <summary>Which exceptions of a grain call mean "that peer is dead" (DESIGN.md section 4).</summary>
public static class Unreachable
{
    public static bool Is(Exception e) => e switch
    {
        PeerUnreachableException => true,
        SiloUnavailableException => true,
        TimeoutException => true,
        OrleansMessageRejectionException => true,
        AggregateException { InnerExceptions.Count: 1 } a => Is(a.InnerExceptions[0]),
        _ => false,
    };

    /// <summary>
    /// The peer itself answered that it is not a member (it failed, left or never joined), as opposed
    /// to its silo being unreachable: a durable peer on a crashed silo comes back, a non-member does not.
    /// </summary>
    public static bool IsNotMember(Exception e) => e switch
    {
        PeerUnreachableException => true,
        AggregateException { InnerExceptions.Count: 1 } a => IsNotMember(a.InnerExceptions[0]),
        _ => false,
    };
}
