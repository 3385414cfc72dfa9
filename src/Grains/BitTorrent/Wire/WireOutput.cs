using P2POrleans.BitTorrent.Messages;

namespace P2POrleans.BitTorrent.Wire;

/// <summary>What the connections must do after an event: frames to send per connection, then connections to close.</summary>
public sealed class WireOutput
{
    public static WireOutput None { get; } = new();

    public List<(int Connection, IReadOnlyList<PeerMessage> Messages)> Sends { get; } = [];

    public List<(int Connection, WireCloseReason Reason)> Closes { get; } = [];

    /// <summary>True when a piece was verified by the step that produced this output.</summary>
    public bool Verified { get; set; }

    /// <summary>True when the download completed in the step that produced this output.</summary>
    public bool CompletedNow { get; set; }

    public long BytesUp { get; set; }

    public long BytesDown { get; set; }
}
