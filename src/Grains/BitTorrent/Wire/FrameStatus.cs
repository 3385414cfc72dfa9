namespace P2POrleans.BitTorrent.Wire;

/// <summary>What <see cref="FrameDecoder.TryDecode"/> found at the start of a buffer.</summary>
public enum FrameStatus
{
    /// <summary>Not a whole frame yet: read more bytes.</summary>
    NeedMore,

    /// <summary>One frame (its message, or none for one we ignore), of the reported length.</summary>
    Frame,

    /// <summary>A frame that breaks BEP 3 or names something outside the torrent: close the connection.</summary>
    Error,
}
