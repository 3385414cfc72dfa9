using P2POrleans.Common;

namespace P2POrleans.Kelips.Gossip;

/// <summary>A gossip message the peer has decided to send, and to whom; the grain delivers it.</summary>
public sealed record GossipSend(NodeId Target, GossipMessage Message, bool ToContact)
{
    /// <summary>Size under <see cref="KelipsSizeModel"/>, for bandwidth accounting.</summary>
    public int Bytes => KelipsSizeModel.MessageBytes(Message);
}
