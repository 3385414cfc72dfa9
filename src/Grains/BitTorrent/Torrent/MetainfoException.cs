namespace P2POrleans.BitTorrent.Torrent;

/// <summary>A .torrent that is valid bencode but not a valid BEP 3 metainfo file.</summary>
public sealed class MetainfoException(string message) : Exception(message);
