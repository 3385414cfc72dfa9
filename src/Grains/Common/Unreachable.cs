using Orleans.Runtime;

namespace P2POrleans.Common;

/// <summary>
/// Which exceptions of a grain call mean "that peer is dead" (docs/architecture.md, peer calls), and
/// of which kind: the peer itself said it is not a member, or its silo did not answer.
/// </summary>
public static class Unreachable
{
    public static bool Is(Exception e) => Classify(e) != PeerFault.None;

    /// <summary>
    /// The peer itself answered that it is not a member (it failed, left or never joined), as opposed
    /// to its silo being unreachable: a durable peer on a crashed silo comes back, a non-member does not.
    /// </summary>
    public static bool IsNotMember(Exception e) => Classify(e) == PeerFault.NotMember;

    /// <summary>The fault an exception of a grain call stands for; <see cref="PeerFault.None"/> for any other error (a real bug or a refused request).</summary>
    public static PeerFault Classify(Exception e) => e switch
    {
        PeerUnreachableException => PeerFault.NotMember,
        SiloUnavailableException => PeerFault.SiloUnreachable,
        OrleansMessageRejectionException => PeerFault.SiloUnreachable,
        Orleans.Runtime.Messaging.ConnectionFailedException => PeerFault.SiloUnreachable,
        TimeoutException => PeerFault.TimedOut,
        AggregateException { InnerExceptions.Count: 1 } a => Classify(a.InnerExceptions[0]),
        _ => PeerFault.None,
    };

    /// <summary>The fault in words, for error messages (never an exception type).</summary>
    public static string Describe(PeerFault fault, TimeSpan timeout) => fault switch
    {
        PeerFault.NotMember => "not a member",
        PeerFault.SiloUnreachable => "its silo is unreachable",
        PeerFault.TimedOut => $"no answer within {Seconds(timeout)}",
        _ => "answered",
    };

    private static string Seconds(TimeSpan t) =>
        t.TotalSeconds >= 1 ? t.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " s"
            : t.TotalMilliseconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture) + " ms";
}
