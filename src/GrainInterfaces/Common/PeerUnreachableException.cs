namespace P2POrleans.Common;

/// <summary>
/// Thrown by a peer that has failed, left or never joined (docs/architecture.md section 4): callers treat the
/// peer as dead at once instead of waiting for a timeout.
/// </summary>
[GenerateSerializer, Alias("p2p.PeerUnreachableException")]
public sealed class PeerUnreachableException : Exception
{
    public PeerUnreachableException()
    {
    }

    public PeerUnreachableException(string message)
        : base(message)
    {
    }

    public PeerUnreachableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
