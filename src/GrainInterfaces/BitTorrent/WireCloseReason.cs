namespace P2POrleans.BitTorrent;

/// <summary>Why a peer wire connection (BEP 3 over TCP) was closed; counted per member.</summary>
[GenerateSerializer]
public enum WireCloseReason
{
    /// <summary>The other side closed it (or the member stopped).</summary>
    Closed = 0,

    /// <summary>Not a BEP 3 handshake ("BitTorrent protocol" missing or short).</summary>
    BadHandshake = 1,

    /// <summary>The handshake named another torrent.</summary>
    WrongInfoHash = 2,

    /// <summary>A length prefix larger than any message of this torrent can be.</summary>
    LengthOverLimit = 3,

    /// <summary>A message id BEP 3 does not define (extensions are not negotiated).</summary>
    UnknownMessageId = 4,

    /// <summary>A known message with the wrong length for its id.</summary>
    BadMessageLength = 5,

    /// <summary>A bitfield of the wrong size or with spare bits set, or a have for a piece that does not exist.</summary>
    BadPieceIndex = 6,

    /// <summary>A request or cancel for a block that is not one of the torrent's 16 KiB blocks.</summary>
    RequestOutsideTorrent = 7,

    /// <summary>A piece message whose block is not one of the torrent's blocks.</summary>
    BlockOutsideTorrent = 8,

    /// <summary>The connection ended in the middle of a message.</summary>
    Truncated = 9,

    /// <summary>Nothing arrived for longer than the idle timeout (no keep-alive either).</summary>
    Timeout = 10,

    /// <summary>We connected to ourselves.</summary>
    SelfConnection = 11,

    /// <summary>A second connection to a peer we already have one with.</summary>
    Duplicate = 12,

    /// <summary>The member refused it: the peer is banned or the member has its maximum of connections.</summary>
    Refused = 13,

    /// <summary>The peer's pieces failed their hash too often: banned (as in the simulated swarm).</summary>
    Banned = 14,

    /// <summary>The peer could not be reached (connection refused, reset, or dial timeout).</summary>
    Unreachable = 15,
}
