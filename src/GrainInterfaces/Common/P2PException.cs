namespace P2POrleans.Common;

/// <summary>A request that cannot be served as asked (unknown overlay, bad parameter...); the message is for the user.</summary>
[GenerateSerializer, Alias("p2p.P2PException")]
public sealed class P2PException : Exception
{
    public P2PException()
    {
    }

    public P2PException(string message)
        : base(message)
    {
    }

    public P2PException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
