namespace P2POrleans.Pastry;

/// <summary>What a node decides for a message with a given key.</summary>
public enum PastryRouteAction
{
    /// <summary>This node is the destination (numerically closest it knows of).</summary>
    Deliver = 0,

    /// <summary>Send the message on to <see cref="PastryRouteDecision.Node"/>.</summary>
    Forward = 1,
}
