namespace P2POrleans.BitTorrent.Tracker;

/// <summary>A tracker could not be reached or refused an announce; the message says which, in words.</summary>
public sealed class TrackerException(string message) : Exception(message);
